// Seeded frame mutations for the ingest fuzz: each takes sealed, valid frames and returns
// bytes that differ from every valid frame in some way a real link or attacker produces
// (bit rot, truncation, splices, garbage, oversize).
import { encode } from "cbor-x";
import { MAX_FRAME_BYTES } from "../../../protocol/src/frame/types";

export type Rng = () => number;

function int(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(rng, 256);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A random JS value: valid CBOR once encoded, but not a frame. */
function randomValue(rng: Rng, depth: number): unknown {
  switch (int(rng, depth > 2 ? 4 : 7)) {
    case 0: return int(rng, 1 << 30) - (1 << 29);
    case 1: return String.fromCharCode(...randomBytes(rng, int(rng, 12)));
    case 2: return rng() < 0.5;
    case 3: return null;
    case 4: return Array.from({ length: int(rng, 6) }, () => randomValue(rng, depth + 1));
    case 5: return Object.fromEntries(Array.from({ length: int(rng, 5) }, (_, i) => [String(i), randomValue(rng, depth + 1)]));
    default: return randomBytes(rng, int(rng, 40));
  }
}

export const MUTATIONS: { name: string; apply: (rng: Rng, f: Uint8Array, other: Uint8Array) => Uint8Array }[] = [
  { name: "bit-flips", apply: (rng, f) => { const o = f.slice(); for (let k = 1 + int(rng, 3); k > 0; k--) o[int(rng, o.length)] ^= 1 << int(rng, 8); return o; } },
  { name: "byte-overwrite", apply: (rng, f) => { const o = f.slice(); const i = int(rng, o.length); o[i] = (o[i] + 1 + int(rng, 255)) & 0xff; return o; } },
  { name: "truncate", apply: (rng, f) => f.slice(0, int(rng, f.length)) },
  { name: "append", apply: (rng, f) => concat(f, randomBytes(rng, 1 + int(rng, 16))) },
  { name: "insert", apply: (rng, f) => { const i = int(rng, f.length + 1); return concat(concat(f.slice(0, i), randomBytes(rng, 1 + int(rng, 4))), f.slice(i)); } },
  { name: "delete", apply: (rng, f) => { const i = int(rng, f.length); return concat(f.slice(0, i), f.slice(i + 1 + int(rng, 4))); } },
  { name: "splice", apply: (rng, f, other) => concat(f.slice(0, 1 + int(rng, f.length - 1)), other.slice(1 + int(rng, other.length - 1))) },
  { name: "garbage", apply: (rng) => randomBytes(rng, int(rng, 300)) },
  { name: "cbor-not-a-frame", apply: (rng) => new Uint8Array(encode(randomValue(rng, 0))) },
  { name: "oversize", apply: (rng, f) => { const o = new Uint8Array(MAX_FRAME_BYTES + 1 + int(rng, 4096)); o.set(f); return o; } },
  { name: "empty", apply: () => new Uint8Array(0) },
];

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
