// Byte-string helpers: on Espruino strings are byte strings, and Storage returns them, so
// the journal works on strings with charCodeAt/String.fromCharCode, never on text.

export function u32ToStr(v: number): string {
  return String.fromCharCode((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}

export function u16ToStr(v: number): string {
  return String.fromCharCode((v >>> 8) & 255, v & 255);
}

export function strU32(s: string, at: number): number {
  return ((s.charCodeAt(at) << 24) | (s.charCodeAt(at + 1) << 16) | (s.charCodeAt(at + 2) << 8) | s.charCodeAt(at + 3)) >>> 0;
}

export function strU16(s: string, at: number): number {
  return (s.charCodeAt(at) << 8) | s.charCodeAt(at + 1);
}

/** Unsigned LEB128 for values below 2^32 (at most 5 bytes). */
export function varintToStr(v: number): string {
  let out = "";
  let x = v >>> 0;
  while (x >= 128) {
    out += String.fromCharCode((x & 127) | 128);
    x = x >>> 7;
  }
  return out + String.fromCharCode(x);
}

/** Reader state for varints: value and the offset after it; end < 0 means malformed. */
export interface Cursor {
  pos: number;
  end: number;
}

/** Reads a varint at c.pos, advancing it; returns -1 (and sets c.end = -1) when malformed. */
export function readVarint(s: string, c: Cursor): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 5; i++) {
    if (c.pos >= c.end) break;
    const b = s.charCodeAt(c.pos++);
    v += (b & 127) * mul;
    if (b < 128) return v;
    mul *= 128;
  }
  c.end = -1;
  return -1;
}

/** Short string: one length byte then the bytes; returns null when it runs past the end. */
export function shortStr(v: string): string {
  return String.fromCharCode(v.length) + v;
}

export function readShortStr(s: string, c: Cursor): string | null {
  if (c.pos >= c.end) {
    c.end = -1;
    return null;
  }
  const n = s.charCodeAt(c.pos++);
  if (c.pos + n > c.end) {
    c.end = -1;
    return null;
  }
  const v = s.substr(c.pos, n);
  c.pos += n;
  return v;
}

// Digit tests are the code parser's own: one copy on the board.
export { isDigits, digitsValue } from "../../../protocol/src/code/chars";

export function padDigits(v: number, width: number): string {
  let s = "" + v;
  while (s.length < width) s = "0" + s;
  return s;
}
