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
