// Gateway side: verifies and decodes a batch frame from a board. Never throws.
// Order: size limit, CBOR (cbor-x), outer array, CRC, device key, tag, records, canonical
// form (the bytes must be exactly what the encoder makes of the decoded frame, so one
// frame has one spelling and nothing unchecked can ride along).
import type { BatchFrame, DecodeResult, Hashing } from "../frame/types";
import { FRAME_BATCH } from "../frame/types";
import type { Item } from "../cbor/item";
import { checkCanonical, checkOuter, checkSize } from "../frame/envelope";
import { crcMatches, tagMatches } from "../frame/seal";
import { BATCH_ITEMS, batchTree } from "../frame/layout";
import { batchFromTree } from "../frame/batch-tree";
import { asRejection, reject } from "../frame/reject";
import { cborxDecode, cborxEncode, fromCborX } from "./cbor";

/** keyFor: the device's secret, or null for a device the gateway does not know. */
export function decodeBatch(bytes: Uint8Array, keyFor: (device: string) => Uint8Array | null, h: Hashing): DecodeResult<BatchFrame> {
  try {
    checkSize(bytes);
    const read = cborxDecode(bytes);
    if (!read.ok) return reject(read.truncated ? "truncated" : "not-cbor", read.message);
    const tree = fromCborX(read.value, 0);
    if (tree === null) return reject("bad-structure", "uses CBOR features frames never use");
    checkOuter(bytes, tree, [FRAME_BATCH], [BATCH_ITEMS]);
    if (!crcMatches(bytes, h)) reject("bad-crc", "CRC-32 mismatch");
    const t = tree as Item[];
    const device = t[2] as string;
    const key = keyFor(device);
    if (!key) reject("unknown-device", "no secret for device " + device);
    if (!tagMatches(bytes, key as Uint8Array, h)) reject("bad-tag", "authentication tag mismatch for device " + device);
    const frame = batchFromTree(t);
    checkCanonical(bytes, cborxEncode(batchTree(frame)));
    return { ok: true, value: frame };
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
}
