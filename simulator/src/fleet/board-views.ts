// What each simulated board shows and signals, for the gateway dashboard's boards panel:
// LEDs, the last tone, the display line, the last feedback the doctor got, and the link.
// Read from the boards' own event logs, so the panel shows exactly what a tester asserts on.
import type { BoardView, BoardViewSource } from "../../../gateway/src/dashboard/board-views";
import type { BoardEvent } from "../espruino/events";
import { decodeFeedback } from "./feedback-decoder";
import type { FleetBoard } from "./fleet-board";

/** Events looked at for the last feedback pattern: a pattern is a few LED and tone steps. */
const FEEDBACK_WINDOW = 64;
const POLL_MS = 1000;

function toneName(e: Extract<BoardEvent, { kind: "buzzer" }>): string | null {
  if (e.duty <= 0 || e.freq <= 0) return null;
  return e.freq >= 1000 ? (e.freq / 1000).toFixed(1) + " kHz" : Math.round(e.freq) + " Hz";
}

/** One board's view from its event log (pure: the same events give the same view). */
export function viewOf(b: FleetBoard, updatedAt: number): BoardView {
  const events = b.board.events.all;
  const leds = { LED1: false, LED2: false };
  let buzzer: string | null = null;
  let display: string | null = null;
  let online: boolean | undefined;
  for (const e of events) {
    if (e.kind === "led") leds[e.led] = e.on;
    else if (e.kind === "buzzer") buzzer = toneName(e) ?? buzzer;
    else if (e.kind === "display") display = e.lines.join(" ").trim();
    else if (e.kind === "link") online = e.up;
    else if (e.kind === "power" && e.state !== "on") {
      leds.LED1 = false;
      leds.LED2 = false;
    }
  }
  const signals = decodeFeedback(events.slice(-FEEDBACK_WINDOW), b.board.facts.buzzerPin);
  const last = signals.length ? signals[signals.length - 1] : null;
  return {
    id: b.device,
    board: b.plan.kind,
    leds: [
      { name: "LED1", colour: "red", on: leds.LED1 },
      { name: "LED2", colour: "green", on: leds.LED2 },
    ],
    buzzer,
    display: b.board.facts.display ? display : null,
    feedback: last ? last.kinds[0] : null,
    online: b.board.facts.hasNet || b.board.facts.usb ? online ?? false : undefined,
    updatedAt,
  };
}

/** A BoardViewSource over a running fleet; views are rebuilt only for boards whose log grew. */
export class FleetBoardViews implements BoardViewSource {
  private boards: readonly FleetBoard[] = [];
  private readonly seen = new Map<string, { length: number; view: BoardView }>();
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;

  /** Points the source at the boards of a (new) fleet run. */
  attach(boards: readonly FleetBoard[]): void {
    this.boards = boards;
    this.seen.clear();
    this.notify();
  }

  list(): BoardView[] {
    const now = Date.now();
    return this.boards.map((b) => {
      const length = b.board.events.all.length;
      const had = this.seen.get(b.device);
      if (had && had.length === length) return had.view;
      const view = viewOf(b, now);
      this.seen.set(b.device, { length, view });
      return view;
    });
  }

  on(change: () => void): () => void {
    this.listeners.add(change);
    if (!this.timer) {
      this.timer = setInterval(() => {
        if (this.boards.some((b) => this.seen.get(b.device)?.length !== b.board.events.all.length)) this.notify();
      }, POLL_MS);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(change);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}
