// What simulated boards show and signal, for the dashboard's board panel. The gateway
// cannot see LEDs or hear buzzers: a source (the simulator) plugs in through
// `handle.dashboard.setBoardViews(source)`. Without a source the panel stays hidden.

export type LedColour = "red" | "green" | "blue" | "yellow" | "white";

export interface BoardLed {
  /** Pin or role name as the board profile calls it ("LED1", "ok"). */
  name: string;
  colour: LedColour;
  on: boolean;
}

export interface BoardView {
  /** Device id, as provisioned at the gateway. */
  id: string;
  /** Board profile ("pico", "esp32"). */
  board?: string;
  leds: BoardLed[];
  /** Last buzzer pattern as the firmware played it, e.g. "short", "long-long", or null if silent so far. */
  buzzer: string | null;
  /** Text on the board's display line, or null for boards without a display. */
  display: string | null;
  /** Kind of the last feedback the operator got ("ok", "duplicate", "warn-list", "bad-code", ...). */
  feedback: string | null;
  /** Whether the board's link to the gateway is up. */
  online?: boolean;
  /** Unix milliseconds of the last change. */
  updatedAt: number;
}

export interface BoardViewSource {
  list(): BoardView[];
  /** Calls `change` whenever any board's view changed; returns an unsubscribe function. */
  on(change: () => void): () => void;
}
