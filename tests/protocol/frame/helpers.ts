// Building deliberately wrong frames: edit the item tree or the bytes, then seal again so
// the decoder gets past CRC and tag to the check under test.
import type { Item } from "../../../protocol/src/cbor/item";
import { encodeItem } from "../../../protocol/src/cbor/writer";
import { sealFrame } from "../../../protocol/src/frame/seal";
import { SEAL_BYTES, TAG_BYTES } from "../../../protocol/src/frame/layout";
import { pureHashing } from "../../../protocol/src/crypto";

export const KEY = new Uint8Array(32).map((_, i) => (i * 13 + 5) & 255);

/** Encodes an item tree whose last two items are the seal slots, and seals it. */
export function sealTree(tree: Item[], key: Uint8Array = KEY): Uint8Array {
  return sealFrame(encodeItem(tree), key, pureHashing);
}

/** Seals arbitrary bytes in place: sets the slot heads and fills CRC and tag. */
export function reseal(bytes: Uint8Array, key: Uint8Array = KEY): Uint8Array {
  if (bytes.length < SEAL_BYTES) return bytes;
  bytes[bytes.length - SEAL_BYTES] = 0x44;
  bytes[bytes.length - TAG_BYTES - 1] = 0x50;
  return sealFrame(bytes, key, pureHashing);
}

/** A seeded generator of integers in [0, n): the fuzz suites' inputs repeat exactly, run after run. */
export function seededInts(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s % n;
  };
}

/** The mutations every fuzz suite makes, each drawing from `rnd` in the same order as before. */
export const mutations = {
  /** One to three bits flipped, in place. */
  flipBits(b: Uint8Array, rnd: (n: number) => number): Uint8Array {
    for (let k = 1 + rnd(3); k > 0; k--) b[rnd(b.length)] ^= 1 << rnd(8);
    return b;
  },
  /** Cut short at a random length. */
  truncate(b: Uint8Array, rnd: (n: number) => number): Uint8Array {
    return b.slice(0, rnd(b.length));
  },
  /** One to four random bytes inserted at a random place. */
  insert(b: Uint8Array, rnd: (n: number) => number): Uint8Array {
    const at = rnd(b.length + 1);
    const ins = new Uint8Array(1 + rnd(4)).map(() => rnd(256));
    return new Uint8Array([...b.subarray(0, at), ...ins, ...b.subarray(at)]);
  },
  /** One to four bytes removed from a random place. */
  remove(b: Uint8Array, rnd: (n: number) => number): Uint8Array {
    const at = rnd(b.length);
    return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + 1 + rnd(4))]);
  },
  /** One byte overwritten with a random value, in place. */
  overwrite(b: Uint8Array, rnd: (n: number) => number): Uint8Array {
    b[rnd(b.length)] = rnd(256);
    return b;
  },
};
