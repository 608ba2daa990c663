// Byte helpers that behave the same on Espruino (whose strings are byte strings) and Node.
import { charsIn } from "../frame/text";

/** Constant-time equality: the time taken does not depend on where the arrays differ. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const HEX = "0123456789abcdef";

/** Lowercase hex of a byte array. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

/** Bytes of a hex string (either case); null when the text is not an even run of hex digits. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !charsIn(hex, 0, hex.length, "09afAF")) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

/** One byte per character (low 8 bits): Espruino's string model, no UTF-8 involved. */
export function bytesFromString(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
  return out;
}

/** One character per byte, the inverse of bytesFromString. */
export function stringFromBytes(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** a followed by b, as a new array. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The unsigned 32-bit big-endian value at b[at..at+4). */
export function getU32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Writes v (taken as 32 bits) big-endian into b[at..at+4). */
export function putU32(b: Uint8Array, at: number, v: number): void {
  for (let i = 3; i >= 0; i--) {
    b[at + i] = v & 255;
    v >>>= 8;
  }
}
