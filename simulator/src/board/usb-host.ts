// The host's end of a board's USB CDC serial port (the Pico's): what the gateway's serial
// bridge or a test plugs into. Bytes written here reach the board's USB "data" handlers, in
// virtual time, unless USB is the board's console: then they go to the REPL (not emulated;
// counted and dropped), as on the board, where input to the console never reaches handlers.
// Bytes the board writes (USB.write, and print() while USB is the console) come out here as
// raw chunks and as complete lines.

export interface UsbHost {
  /** Bytes from the host to the board (delivered in the board's virtual time). */
  write(data: string): void;
  /** Raw chunks the board sends. Returns a function that stops the delivery. */
  onData(fn: (chunk: string) => void): () => void;
  /** Complete lines the board sends, without "\r" / "\n". Returns an unsubscribe function. */
  onLine(fn: (line: string) => void): () => void;
  /** What the board sent (the last OUTPUT_KEPT bytes). */
  readonly output: string;
  /** True while USB is the board's console (the firmware has not moved it elsewhere). */
  readonly consoleOnUsb: boolean;
  readonly counts: UsbCounts;
}

export interface UsbCounts {
  /** Bytes delivered to the firmware's USB "data" handlers. */
  toBoard: number;
  /** Bytes the board sent to the host. */
  fromBoard: number;
  /** Bytes that went to the REPL because USB was the console. */
  toConsole: number;
  /** Bytes written while the board was off. */
  dropped: number;
}

export const OUTPUT_KEPT = 64 * 1024;
/** Longest partial line kept while waiting for its end. */
const MAX_PENDING_LINE = 16 * 1024;

/** The board side the port needs: a clock to deliver on and the board's state. */
export interface UsbBoardSide {
  later(ms: number, fn: () => void): void;
  powered(): boolean;
  consoleOnUsb(): boolean;
  /** Emits "data" on the firmware's USB object. */
  deliver(chunk: string): void;
}

export class UsbPort implements UsbHost {
  readonly counts: UsbCounts = { toBoard: 0, fromBoard: 0, toConsole: 0, dropped: 0 };
  private out = "";
  private pendingLine = "";
  private readonly dataFns = new Set<(chunk: string) => void>();
  private readonly lineFns = new Set<(line: string) => void>();

  constructor(private readonly board: UsbBoardSide) {}

  get output(): string {
    return this.out;
  }

  get consoleOnUsb(): boolean {
    return this.board.consoleOnUsb();
  }

  write(data: string): void {
    const chunk = String(data);
    if (!chunk.length) return;
    // USB full speed: a write arrives within the next millisecond, in one chunk
    this.board.later(1, () => {
      if (!this.board.powered()) this.counts.dropped += chunk.length;
      else if (this.board.consoleOnUsb()) this.counts.toConsole += chunk.length;
      else {
        this.counts.toBoard += chunk.length;
        this.board.deliver(chunk);
      }
    });
  }

  onData(fn: (chunk: string) => void): () => void {
    this.dataFns.add(fn);
    return () => this.dataFns.delete(fn);
  }

  onLine(fn: (line: string) => void): () => void {
    this.lineFns.add(fn);
    return () => this.lineFns.delete(fn);
  }

  /** Bytes the board sent. */
  fromBoard(chunk: string): void {
    if (!chunk.length) return;
    this.counts.fromBoard += chunk.length;
    this.out = (this.out + chunk).slice(-OUTPUT_KEPT);
    for (const fn of this.dataFns) fn(chunk);
    if (!this.lineFns.size) return;
    let text = this.pendingLine + chunk;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n")) {
      const line = text.slice(0, nl).replace(/\r/g, "");
      text = text.slice(nl + 1);
      for (const fn of this.lineFns) fn(line);
    }
    this.pendingLine = text.length > MAX_PENDING_LINE ? "" : text;
  }

  /** A power cycle: a half-sent line is gone. */
  reset(): void {
    this.pendingLine = "";
  }
}
