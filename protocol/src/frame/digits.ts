// Decimal digit strings <-> fixed-width big-endian binary, with byte-array arithmetic
// (multiply-add and long division by 10) so 19- and 14-digit values stay exact on a
// board without BigInt or 64-bit integers.

/** Packs a string of decimal digits into `size` bytes, big-endian. Caller checks the digits fit. */
export function packDigits(digits: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < digits.length; i++) {
    let carry = digits.charCodeAt(i) - 48;
    for (let j = size - 1; j >= 0; j--) {
      const v = out[j] * 10 + carry;
      out[j] = v & 255;
      carry = v >> 8;
    }
  }
  return out;
}

/** The `width`-digit decimal string of a big-endian value; null if it needs more digits. */
export function unpackDigits(bytes: Uint8Array, width: number): string | null {
  const n = new Uint8Array(bytes.length);
  n.set(bytes);
  let s = "";
  for (let d = 0; d < width; d++) {
    let rem = 0;
    for (let j = 0; j < n.length; j++) {
      const v = rem * 256 + n[j];
      n[j] = (v / 10) | 0;
      rem = v % 10;
    }
    s = String.fromCharCode(48 + rem) + s;
  }
  for (let j = 0; j < n.length; j++) if (n[j] !== 0) return null;
  return s;
}
