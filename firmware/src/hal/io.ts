// Small interfaces through which the pure firmware logic reaches the board's hardware.
// Only firmware/src/boards/* implements them with Espruino globals.

/** A byte stream from the barcode module (UART), delivered in chunks split anywhere. */
export interface UartSource {
  onData(handler: (chunk: string) => void): void;
}

export interface Leds {
  /** Sets the red and green LEDs (true = lit). */
  set(red: boolean, green: boolean): void;
}

export interface Buzzer {
  /** Starts a tone at `hz`; 0 silences it. */
  tone(hz: number): void;
}

export interface Button {
  /** Calls back once per press with its duration in milliseconds (on release). */
  onPress(handler: (ms: number) => void): void;
}

export interface Display {
  /** Shows up to two short lines of text. */
  show(line1: string, line2: string): void;
}

export interface Clock {
  /** Unix seconds by the board clock (untrusted until set by the gateway). */
  now(): number;
  /** Seconds since this boot, monotonic: unaffected by setTime. */
  uptime(): number;
  /** Sets the board clock (Unix seconds) without disturbing uptime(). */
  setTime(unixSeconds: number): void;
}

export interface Timers {
  after(ms: number, fn: () => void): number;
  cancel(id: number): void;
}

export interface Random {
  /** A uniformly random 32-bit unsigned integer. */
  u32(): number;
}

export interface Log {
  (msg: string): void;
}
