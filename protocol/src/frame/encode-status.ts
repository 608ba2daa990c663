// Board side: a status frame as canonical CBOR, sealed like every frame.
import type { Hashing, StatusFrame } from "./types";
import { encodeItem } from "../cbor/writer";
import { statusTree } from "./layout";
import { sealFrame } from "./seal";

/**
 * Encodes a status frame. The fields must be in range (integers 0..2^32-1, firmware 1..40
 * printable ASCII, board 1..16 of [A-Za-z0-9._-]); the gateway refuses a frame that is not ("bad-structure").
 */
export function encodeStatus(frame: StatusFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(encodeItem(statusTree(frame)), key, h);
}
