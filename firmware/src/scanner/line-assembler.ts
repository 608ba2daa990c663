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

// Written as locals of the constructor rather than members (one-byte names on the board).
export class LineAssembler {
  stats: AssemblerStats = { noiseBytes: 0, overlong: 0 };
  push: (chunk: string) => void;

  constructor(maxLine: number, onLine: (line: string) => void) {
    const stats = this.stats;
    let buf = "";
    let skipping = false;
    /** Appends chunk[from, to) to the current read unless it is being skipped. */
    const take = (chunk: string, from: number, to: number) => {
      if (to <= from || skipping) return;
      buf += chunk.substring(from, to);
      if (buf.length > maxLine) {
        buf = "";
        skipping = true;
        stats.overlong++;
      }
    };
    this.push = (chunk) => {
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c === CR || c === LF) {
          take(chunk, start, i);
          start = i + 1;
          // the end of a read: handed on unless it was skipped or is empty (the LF of a CRLF)
          const line = buf;
          buf = "";
          if (skipping) skipping = false;
          else if (line.length > 0) onLine(line);
        } else if ((c < 32 && c !== GS) || c === 127) {
          take(chunk, start, i);
          start = i + 1;
          stats.noiseBytes++;
        }
      }
      take(chunk, start, chunk.length);
    };
  }
}
