// Turns the barcode module's UART byte stream (chunks split anywhere) into whole reads.
// A read ends at CR, LF or CRLF. GS (0x1D, the GS1 field separator) is kept inside a read;
// NULs and other control bytes are line noise and are dropped (and counted). A read longer
// than `maxLine` without a terminator is discarded up to the next terminator, so a stuck
// or chattering module can never grow memory.
const CR = 13;
const LF = 10;
const GS = 29;

export interface AssemblerStats {
  noiseBytes: number;
  overlong: number;
}

export class LineAssembler {
  private buf_ = "";
  private skipping_ = false;
  private maxLine_: number;
  private onLine_: (line: string) => void;
  stats: AssemblerStats = { noiseBytes: 0, overlong: 0 };

  constructor(maxLine: number, onLine: (line: string) => void) {
    this.maxLine_ = maxLine;
    this.onLine_ = onLine;
  }

  push(chunk: string): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === CR || c === LF) {
        this.take_(chunk, start, i);
        start = i + 1;
        // the end of a read: handed on unless it was skipped or is empty (the LF of a CRLF)
        const line = this.buf_;
        this.buf_ = "";
        if (this.skipping_) this.skipping_ = false;
        else if (line.length > 0) this.onLine_(line);
      } else if ((c < 32 && c !== GS) || c === 127) {
        this.take_(chunk, start, i);
        start = i + 1;
        this.stats.noiseBytes++;
      }
    }
    this.take_(chunk, start, chunk.length);
  }

  /** Appends chunk[from, to) to the current read unless it is being skipped. */
  private take_(chunk: string, from: number, to: number): void {
    if (to <= from || this.skipping_) return;
    this.buf_ += chunk.substring(from, to);
    if (this.buf_.length > this.maxLine_) {
      this.buf_ = "";
      this.skipping_ = true;
      this.stats.overlong++;
    }
  }
}
