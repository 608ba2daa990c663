// Board side: verifies and decodes an ack or command frame sent down by the gateway.
// Order: size, CBOR, outer array, CRC, tag, fields, canonical form. Never throws.
// The caller still compares value.device with its own id.
import type { AckFrame, CommandFrame, DecodeResult, DownFrame, Hashing } from "./types";
import { FRAME_ACK, FRAME_COMMAND } from "./types";
import type { Item } from "../cbor/item";
import { decodeItem } from "../cbor/reader";
import { encodeItem } from "../cbor/writer";
import { checkCanonical, checkOuter, checkSeal, checkSize } from "./envelope";
import { DOWN_ITEMS, ackTree, commandTree } from "./layout";
import { ackFromTree, commandFromTree } from "./down-tree";
import { asRejection, reject } from "./reject";

export function decodeDown(bytes: Uint8Array, key: Uint8Array, h: Hashing): DecodeResult<DownFrame> {
  try {
    checkSize(bytes);
    const read = decodeItem(bytes);
    if (!read.ok) return reject(read.truncated ? "truncated" : "not-cbor", read.message);
    const type = checkOuter(bytes, read.value, [FRAME_ACK, FRAME_COMMAND], [DOWN_ITEMS, DOWN_ITEMS]);
    checkSeal(bytes, key, h);
    const t = read.value as Item[];
    if (type === FRAME_ACK) {
      const ack: AckFrame = ackFromTree(t);
      checkCanonical(bytes, encodeItem(ackTree(ack)));
      return { ok: true, value: { type: 2, ack: ack } };
    }
    const cmd: CommandFrame = commandFromTree(t);
    checkCanonical(bytes, encodeItem(commandTree(cmd)));
    return { ok: true, value: { type: 3, command: cmd } };
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
}
