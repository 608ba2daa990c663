// Gateway side: verifies and decodes a batch frame from a board. Never throws. A status
// frame is "bad-type" here; decodeUp (decode-up.ts) takes both.
// Order: size limit, CBOR (cbor-x), outer array, CRC, device key, tag, records, canonical
// form (the bytes must be exactly what the encoder makes of the decoded frame, so one
// frame has one spelling and nothing unchecked can ride along).
//
// decodeBatch first tries the strict canonical reader (fast-batch.ts): a frame it reads
// through is one the full path accepts up to CRC and tag, with the same value, so only the
// CRC, the key and the tag are left to check. Any other frame takes the full path
// (decodeBatchReference), which gives the same result and reason as it always did.
import type { BatchFrame, DecodeResult, Hashing } from "../frame/types";
import { FRAME_BATCH } from "../frame/types";
import { checkCanonical, checkSize } from "../frame/envelope";
import { BATCH_ITEMS, batchTree } from "../frame/layout";
import { batchFromTree } from "../frame/batch-tree";
import { asRejection } from "../frame/reject";
import { cborxEncode } from "./cbor";
import { verifyUp } from "./verify-up";
import { readCanonicalBatch } from "./fast-batch";
import { sealMatches } from "./seal-check";

/** keyFor: the device's secret, or null for a device the gateway does not know. */
export function decodeBatch(bytes: Uint8Array, keyFor: (device: string) => Uint8Array | null, h: Hashing): DecodeResult<BatchFrame> {
  try {
    checkSize(bytes);
    const frame = readCanonicalBatch(bytes);
    if (frame === null) return decodeBatchReference(bytes, keyFor, h);
    sealMatches(bytes, frame.device, keyFor, h);
    return { ok: true, value: frame };
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
}

/**
 * The full path, every frame: cbor-x, the item tree, validation, then the canonical form by
 * re-encoding the decoded frame and comparing bytes. The reference decodeBatch agrees with.
 */
export function decodeBatchReference(bytes: Uint8Array, keyFor: (device: string) => Uint8Array | null, h: Hashing): DecodeResult<BatchFrame> {
  try {
    const frame = batchFromTree(verifyUp(bytes, keyFor, h, [FRAME_BATCH], [BATCH_ITEMS]).tree);
    checkCanonical(bytes, cborxEncode(batchTree(frame)));
    return { ok: true, value: frame };
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
}
