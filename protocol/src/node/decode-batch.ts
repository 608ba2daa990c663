// Gateway side: verifies and decodes a batch frame from a board. Never throws. A status
// frame is "bad-type" here; decodeUp (decode-up.ts) takes both.
// Order: size limit, CBOR (cbor-x), outer array, CRC, device key, tag, records, canonical
// form (the bytes must be exactly what the encoder makes of the decoded frame, so one
// frame has one spelling and nothing unchecked can ride along).
import type { BatchFrame, DecodeResult, Hashing } from "../frame/types";
import { FRAME_BATCH } from "../frame/types";
import { checkCanonical } from "../frame/envelope";
import { BATCH_ITEMS, batchTree } from "../frame/layout";
import { batchFromTree } from "../frame/batch-tree";
import { asRejection } from "../frame/reject";
import { cborxEncode } from "./cbor";
import { verifyUp } from "./verify-up";

/** keyFor: the device's secret, or null for a device the gateway does not know. */
export function decodeBatch(bytes: Uint8Array, keyFor: (device: string) => Uint8Array | null, h: Hashing): DecodeResult<BatchFrame> {
  try {
    const frame = batchFromTree(verifyUp(bytes, keyFor, h, [FRAME_BATCH], [BATCH_ITEMS]).tree);
    checkCanonical(bytes, cborxEncode(batchTree(frame)));
    return { ok: true, value: frame };
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
}
