// SHA-256 (FIPS 180-4) in plain 32-bit JavaScript, board-safe: no Math.imul, no BigInt,
// additions kept in 32 bits with `| 0` and results read back with `>>> 0`.
import { bytesFromString, getU32, putU32 } from "./bytes";

// The 64 round constants (FIPS 180-4 section 4.2.2) as base64 of their big-endian bytes:
// a third of the size of 64 number literals in the board's bundle. Unpacked on first use.
const K64 = "QoovmHE3RJG1wPvP6bXbpTlWwltZ8RHxkj+CpKscXtXYB6qYEoNbASQxhb5VDH3Dcr5ddIDesf6b3AanwZvxdOSbacHvvkeGD8GdxiQMocwt6SxvSnSEqlywqdx2+YjamD5RUqgxxm2wAyfIv1l/x8bgC/PVp5FHBspjURQpKWcntwqFLhshOE0sbfxTOA0TZQpzVHZqCruBwskuknIshaK/6KGoGmZLwkuLcMdsUaPRkugZ1pkGJPQONYUQaqBwGaTBFh43bAgnSHdMNLC8tTkcDLNO2KpKW5zKT2gub/N0j4LueKVjb4TIeBSMxwIIkL7/+qRQbOu++aP3xnF48g==";
let K: Int32Array | null = null;

function roundConstants(): Int32Array {
  const b = bytesFromString(atob(K64));
  const k = new Int32Array(64);
  for (let i = 0; i < 64; i++) k[i] = getU32(b, i * 4);
  return k;
}

function compress(H: Int32Array, W: Int32Array, block: Uint8Array, off: number): void {
  const k = K || (K = roundConstants());
  for (let i = 0; i < 16; i++) W[i] = getU32(block, off + i * 4);
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15];
    const b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + k[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
}

/** SHA-256 digest (32 bytes) of a byte array. */
export function sha256(bytes: Uint8Array): Uint8Array {
  const H = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const W = new Int32Array(64);
  const n = bytes.length;
  const full = n - (n % 64);
  for (let off = 0; off < full; off += 64) compress(H, W, bytes, off);
  // The tail, the 0x80 marker and the 64-bit bit length fit in one or two final blocks.
  const rest = n - full;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(bytes.subarray(full, n));
  tail[rest] = 0x80;
  const hi = Math.floor(n / 0x20000000); // bits above the low 32 of n * 8
  const lo = (n << 3) >>> 0;
  const e = tail.length;
  putU32(tail, e - 8, hi);
  putU32(tail, e - 4, lo);
  for (let off = 0; off < e; off += 64) compress(H, W, tail, off);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) putU32(out, i * 4, H[i]);
  return out;
}
