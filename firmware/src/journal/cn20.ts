// The 20-digit code (leading 8) packed into 8 bytes: 6 product digits after the 8 in 20
// bits, 13 serial digits (< 2^44) in 44 bits. Exact with doubles: no part exceeds 2^53.
import { isDigits, digitsValue, padDigits, u32ToStr, strU32 } from "./bytes";

const TWO32 = 4294967296;

export function isPackableCn20(key: string): boolean {
  return key.length === 20 && key.charCodeAt(0) === 56 && isDigits(key);
}

export function packCn20(key: string): string {
  const product = digitsValue(key, 1, 7);
  const serial = digitsValue(key, 7, 20);
  const serialHi = Math.floor(serial / TWO32);
  const serialLo = serial - serialHi * TWO32;
  return u32ToStr(product * 4096 + serialHi) + u32ToStr(serialLo);
}

/** Null when the bytes cannot be a packed code (product or serial out of range). */
export function unpackCn20(s: string, at: number): string | null {
  const w0 = strU32(s, at);
  const product = Math.floor(w0 / 4096);
  const serial = (w0 - product * 4096) * TWO32 + strU32(s, at + 4);
  if (product > 999999 || serial > 9999999999999) return null;
  return "8" + padDigits(product, 6) + padDigits(serial, 13);
}
