// Gateway side: verifies and decodes anything a board sends on its up topic, a batch or a
// status frame. Never throws. Envelope, CRC and tag first (verify-up.ts), then the fields,
// then the canonical form (the bytes must be exactly what the encoder makes of the result).
// A batch frame in its canonical spelling takes the strict reader (fast-batch.ts, as in
// decode-batch.ts); anything else takes the full path below.
import type { DecodeResult, Hashing, UpFrame } from "../frame/types";
import { FRAME_BATCH, FRAME_STATUS } from "../frame/types";
import { checkCanonical, checkSize } from "../frame/envelope";
import { BATCH_ITEMS, STATUS_ITEMS, batchTree, statusTree } from "../frame/layout";
import { batchFromTree } from "../frame/batch-tree";
import { statusFromTree } from "../frame/status-tree";
import { asRejection } from "../frame/reject";
import { cborxEncode } from "./cbor";
import { verifyUp } from "./verify-up";
import { readCanonicalBatch } from "./fast-batch";
import { sealMatches } from "./seal-check";

/** keyFor: the device's secret, or null for a device the gateway does not know. */
export function decodeUp(bytes: Uint8Array, keyFor: (device: string) => Uint8Array | null, h: Hashing): DecodeResult<UpFrame> {
  try {
    checkSize(bytes);
    const fast = readCanonicalBatch(bytes);
    if (fast !== null) {
      sealMatches(bytes, fast.device, keyFor, h);
      return { ok: true, value: { type: 1, batch: fast } };
    }
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
  return decodeUpReference(bytes, keyFor, h);
}

/** The full path for every up frame (cbor-x, item tree, validation, re-encoding): what decodeUp agrees with. */
export function decodeUpReference(bytes: Uint8Array, keyFor: (device: string) => Uint8Array | null, h: Hashing): DecodeResult<UpFrame> {
  try {
    const v = verifyUp(bytes, keyFor, h, [FRAME_BATCH, FRAME_STATUS], [BATCH_ITEMS, STATUS_ITEMS]);
    if (v.type === FRAME_BATCH) {
      const batch = batchFromTree(v.tree);
      checkCanonical(bytes, cborxEncode(batchTree(batch)));
      return { ok: true, value: { type: 1, batch: batch } };
    }
    const status = statusFromTree(v.tree);
    checkCanonical(bytes, cborxEncode(statusTree(status)));
    return { ok: true, value: { type: 4, status: status } };
  } catch (e) {
    const r = asRejection(e);
    return { ok: false, reason: r.reason, message: r.message };
  }
}
