// The journal's byte reader and writer, shared by page headers, records and the packed
// 20-digit code. On Espruino strings are byte strings, and Storage returns them, so the
// journal works on strings with charCodeAt/String.fromCharCode, never on text.
import type { FlashStore } from "../hal/flash";

/** The low n bytes of v (< 2^32), big-endian. */
export function be(v: number, n: number): string {
  let s = "";
  for (; n--; v >>>= 8) s = String.fromCharCode(v & 255) + s;
  return s;
}

/** The n-byte (n <= 4) big-endian number at s[at]. */
export function rd(s: string, at: number, n: number): number {
  let v = 0;
  while (n--) v = v * 256 + s.charCodeAt(at++);
  return v;
}

/** Unsigned LEB128 for values below 2^32 (at most 5 bytes). */
export function varint(v: number): string {
  let s = "";
  for (v >>>= 0; v > 127; v >>>= 7) s += String.fromCharCode((v & 127) | 128);
  return s + String.fromCharCode(v);
}

/** Short string: one length byte then the bytes (callers keep it below 256 bytes). */
export function short(v: string): string {
  return String.fromCharCode(v.length) + v;
}

/** Writes and reads back: true only when the flash holds exactly `data` at `at`. */
export function putBack(store: FlashStore, name: string, data: string, at?: number, size?: number): boolean {
  try {
    return store.write(name, data, at, size) !== false && store.read(name, at, data.length) === data;
  } catch {
    return false;
  }
}
