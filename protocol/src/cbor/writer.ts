// Minimal canonical CBOR writer (RFC 8949 section 4.2.1 "core deterministic encoding":
// shortest argument, definite lengths). Two passes over the same code: a counting pass
// sizes the output, a writing pass fills one exactly sized Uint8Array, so a board never
// builds a growing array of numbers. Text is written one byte per character: the frame
// layer only lets printable ASCII through, where that equals UTF-8.
import type { Item, IntMap } from "./item";

export interface Sink {
  /** Null while counting. */
  b: Uint8Array | null;
  n: number;
}

function put(w: Sink, byte: number): void {
  if (w.b) w.b[w.n] = byte;
  w.n++;
}

/** Writes a head: major type (0..7) and a 32-bit unsigned argument, shortest form. */
export function writeHead(w: Sink, major: number, arg: number): void {
  // argument bytes after the initial byte: 0, 1, 2 or 4 (info 24, 25, 26)
  const n = arg < 24 ? 0 : arg < 0x100 ? 1 : arg < 0x10000 ? 2 : 4;
  put(w, (major << 5) | (n === 0 ? arg : n === 4 ? 26 : 23 + n));
  for (let i = n - 1; i >= 0; i--) put(w, (arg >>> (8 * i)) & 255);
}

export function writeItem(w: Sink, v: Item): void {
  if (typeof v === "number") {
    if (v >= 0) writeHead(w, 0, v);
    else writeHead(w, 1, -1 - v);
  } else if (typeof v === "string") {
    writeHead(w, 3, v.length);
    for (let i = 0; i < v.length; i++) put(w, v.charCodeAt(i) & 255);
  } else if (v === true) put(w, 0xf5);
  else if (v === false) put(w, 0xf4);
  else if (v === null) put(w, 0xf6);
  else if (v instanceof Uint8Array) {
    writeHead(w, 2, v.length);
    if (w.b) w.b.set(v, w.n);
    w.n += v.length;
  } else if (Array.isArray(v)) {
    writeHead(w, 4, v.length);
    for (let i = 0; i < v.length; i++) writeItem(w, v[i]);
  } else {
    const m = v as IntMap;
    writeHead(w, 5, m.keys.length);
    for (let i = 0; i < m.keys.length; i++) {
      writeHead(w, 0, m.keys[i]);
      writeItem(w, m.vals[i]);
    }
  }
}

/** Encoded size of an item in bytes. */
export function itemSize(v: Item): number {
  const w: Sink = { b: null, n: 0 };
  writeItem(w, v);
  return w.n;
}

/** Canonical CBOR bytes of an item. */
export function encodeItem(v: Item): Uint8Array {
  const w: Sink = { b: new Uint8Array(itemSize(v)), n: 0 };
  writeItem(w, v);
  return w.b as Uint8Array;
}
