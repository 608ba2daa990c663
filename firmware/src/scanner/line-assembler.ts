// Turns the barcode module's UART byte stream (chunks split anywhere) into whole reads.
// A read ends at CR, LF or CRLF. GS (0x1D, the GS1 field separator) is kept inside a read;
// NULs and other control bytes are line noise and are dropped (and counted). A read longer
// than `maxLine` without a terminator is discarded up to the next terminator, so a stuck
// or chattering module can never grow memory.
const CR = 13;
const LF = 10;
const GS = 29;

export interface AssemblerStats {
  lines: number;
  noiseBytes: number;
  overlong: number;
}

export class LineAssembler {
  private buf = "";
  private skipping = false;
  private maxLine: number;
  private onLine: (line: string) => void;
  stats: AssemblerStats = { lines: 0, noiseBytes: 0, overlong: 0 };

  constructor(maxLine: number, onLine: (line: string) => void) {
    this.maxLine = maxLine;
    this.onLine = onLine;
  }

  push(chunk: string): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === CR || c === LF) {
        this.take(chunk, start, i);
        start = i + 1;
        this.end();
      } else if ((c < 32 && c !== GS) || c === 127) {
        this.take(chunk, start, i);
        start = i + 1;
        this.stats.noiseBytes++;
      }
    }
    this.take(chunk, start, chunk.length);
  }

  /** Appends chunk[from, to) to the current read unless it is being skipped. */
  private take(chunk: string, from: number, to: number): void {
    if (to <= from || this.skipping) return;
    this.buf += chunk.substring(from, to);
    if (this.buf.length > this.maxLine) {
      this.buf = "";
      this.skipping = true;
      this.stats.overlong++;
    }
  }

  private end(): void {
    const line = this.buf;
    this.buf = "";
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (line.length === 0) return; // the LF of a CRLF, or a blank read
    this.stats.lines++;
    this.onLine(line);
  }
}
