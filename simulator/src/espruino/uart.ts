// The barcode module on a UART, seen from the host: a scan becomes bytes on the wire at the
// baud rate's pace (10 bits per byte), delivered to the board's "data" handlers in chunks
// split anywhere, optionally with the faults seen in the field.
import { type Rng, randomInt } from "./random";

export interface ScanOptions {
  /** "random" (default): 1..16 bytes per chunk; "whole": one chunk; "bytes": one per byte; or a fixed size. */
  chunking?: "random" | "whole" | "bytes" | number;
  /** Wire speed the module sends at (default: the board's scanner baud rate). */
  baud?: number;
  /** Random stray bytes sent before the line (reader power-up noise), never CR or LF. */
  noise?: number;
  /** The module reads the same box twice. */
  doubled?: boolean;
  /** The module loses every GS (0x1D) separator. */
  dropGS?: boolean;
  /** Line ending the module appends (default "\r\n"). */
  terminator?: string;
}

export interface UartChunk {
  /** Virtual ms after the scan starts at which the chunk's last byte has arrived. */
  atMs: number;
  data: string;
}

/** Splits what the module sends into timed chunks. Pure: same rng state, same chunks. */
export function scanChunks(line: string, opts: ScanOptions, defaultBaud: number, rng: Rng): { chunks: UartChunk[]; durationMs: number; baud: number } {
  const baud = opts.baud ?? defaultBaud;
  const term = opts.terminator ?? "\r\n";
  let body = opts.dropGS ? line.split("\x1d").join("") : line;
  body += term;
  if (opts.doubled) body += body;
  let noise = "";
  for (let i = 0; i < (opts.noise ?? 0); i++) {
    let b = randomInt(rng, 0, 255);
    if (b === 10 || b === 13) b = 0;
    noise += String.fromCharCode(b);
  }
  const wire = noise + body;
  const byteMs = 10000 / baud;
  const chunks: UartChunk[] = [];
  let i = 0;
  while (i < wire.length) {
    const c = opts.chunking ?? "random";
    const n = c === "whole" ? wire.length : c === "bytes" ? 1 : typeof c === "number" ? Math.max(1, Math.floor(c)) : randomInt(rng, 1, 16);
    const data = wire.slice(i, i + n);
    i += data.length;
    chunks.push({ atMs: i * byteMs, data });
  }
  return { chunks, durationMs: wire.length * byteMs, baud };
}
