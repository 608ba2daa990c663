// Minimal canonical CBOR writer (RFC 8949 section 4.2.1 "core deterministic encoding":
// shortest argument, definite lengths). Two passes over the same code: a counting pass
// sizes the output, a writing pass fills one exactly sized Uint8Array, so a board never
// builds a growing array of numbers. Text is written one byte per character: the frame
// layer only lets printable ASCII through, where that equals UTF-8.
import type { Item, IntMap } from "./item";

/**
 * Writes `v` into `b` (or only counts its bytes when `b` is null); returns the byte count.
 * The output and its position are locals of this call (one-byte names on the board).
 */
function write(v: Item, b: Uint8Array | null): number {
  let n = 0;
  const put = (byte: number) => {
    if (b) b[n] = byte;
    n++;
  };
  /** A head: major type (0..7) and a 32-bit unsigned argument, shortest form. */
  const head = (major: number, arg: number) => {
    // argument bytes after the initial byte: 0, 1, 2 or 4 (info 24, 25, 26)
    const k = arg < 24 ? 0 : arg < 0x100 ? 1 : arg < 0x10000 ? 2 : 4;
    put((major << 5) | (k === 0 ? arg : k === 4 ? 26 : 23 + k));
    for (let i = k - 1; i >= 0; i--) put((arg >>> (8 * i)) & 255);
  };
  const item = (v: Item) => {
    if (typeof v === "number") {
      if (v >= 0) head(0, v);
      else head(1, -1 - v);
    } else if (typeof v === "string") {
      head(3, v.length);
      for (let i = 0; i < v.length; i++) put(v.charCodeAt(i) & 255);
    } else if (v === true) put(0xf5);
    else if (v === false) put(0xf4);
    else if (v === null) put(0xf6);
    else if (v instanceof Uint8Array) {
      head(2, v.length);
      if (b) b.set(v, n);
      n += v.length;
    } else if (Array.isArray(v)) {
      head(4, v.length);
      for (let i = 0; i < v.length; i++) item(v[i]);
    } else {
      const m = v as IntMap;
      head(5, m.keys.length);
      for (let i = 0; i < m.keys.length; i++) {
        head(0, m.keys[i]);
        item(m.vals[i]);
      }
    }
  };
  item(v);
  return n;
}

/** Encoded size of an item in bytes. */
export function itemSize(v: Item): number {
  return write(v, null);
}

/** Canonical CBOR bytes of an item. */
export function encodeItem(v: Item): Uint8Array {
  const b = new Uint8Array(itemSize(v));
  write(v, b);
  return b;
}
