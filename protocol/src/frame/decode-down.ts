// Board side: verifies and decodes an ack or command frame sent down by the gateway.
// Order: size, CBOR, outer array, CRC, tag, fields. Never throws. The caller still
// compares value.device with its own id.
// No re-encoding pass: the reader accepts only shortest-form, definite-length items with
// ascending map keys, and down-tree.ts refuses a code sent as text when it has a packed
// form, so every accepted frame is already the one canonical spelling of its value (the
// fuzz test re-encodes every accepted mutant to hold this).
import type { DecodeResult, DownFrame, Hashing } from "./types";
import { FRAME_ACK, FRAME_COMMAND } from "./types";
import type { Item } from "../cbor/item";
import { decodeItem } from "../cbor/reader";
import { checkOuter, checkSeal, checkSize } from "./envelope";
import { DOWN_ITEMS } from "./layout";
import { ackFromTree, commandFromTree } from "./down-tree";
import { asRejection, reject } from "./reject";

export function decodeDown(bytes: Uint8Array, key: Uint8Array, h: Hashing): DecodeResult<DownFrame> {
  try {
    checkSize(bytes);
    const read = decodeItem(bytes);
    if (!read.ok) return reject(read.truncated ? "truncated" : "not-cbor", read.message);
    const t = read.value as Item[];
    const type = checkOuter(bytes, t, [FRAME_ACK, FRAME_COMMAND], [DOWN_ITEMS, DOWN_ITEMS]);
    checkSeal(bytes, key, h);
    return { ok: true, value: type === FRAME_ACK ? { type: 2, ack: ackFromTree(t) } : { type: 3, command: commandFromTree(t) } };
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
}
