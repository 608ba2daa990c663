// Board side: a batch frame as canonical CBOR, sealed with CRC-32 and the device's tag.
import type { BatchFrame, Hashing } from "./types";
import { MAX_FRAME_BYTES } from "./types";
import { encodeItem, itemSize } from "../cbor/writer";
import { batchTree } from "./layout";
import { recordToItem, headerClock, type Clock } from "./wire-record";
import { sealFrame } from "./seal";
import { MAX_RECORDS_PER_FRAME } from "./limits";

/**
 * Encodes a batch frame. The frame must pass batchProblem() (a board checks each record
 * with recordProblem() before journaling it, so a frame built from the journal does), and
 * should be sized with fitRecords() to stay under MAX_FRAME_BYTES.
 */
export function encodeBatch(frame: BatchFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(encodeItem(batchTree(frame)), key, h);
}

/** Exact encoded size of a batch frame in bytes. */
export function batchBytes(frame: BatchFrame): number {
  return itemSize(batchTree(frame));
}

/**
 * How many leading records of frame.records fit in one frame of at most `maxBytes`
 * (MAX_FRAME_BYTES when absent) and MAX_RECORDS_PER_FRAME records. Exact, not an estimate:
 * it sizes each record the way encodeBatch codes it, against the record before it.
 */
export function fitRecords(frame: BatchFrame, maxBytes?: number): number {
  const limit = maxBytes === undefined ? MAX_FRAME_BYTES : maxBytes;
  const n = frame.records.length;
  if (n === 0) return 0;
  const header: BatchFrame = { device: frame.device, boot: frame.boot, uptime: frame.uptime, time: frame.time, trusted: frame.trusted, records: [] };
  const tree = batchTree(header);
  tree[7] = frame.records[0].seq;
  let size = itemSize(tree) - 1; // the empty records array head is counted below
  let prev: Clock = headerClock(frame);
  let fit = 0;
  for (let i = 0; i < n && i < MAX_RECORDS_PER_FRAME; i++) {
    size += itemSize(recordToItem(frame.records[i], prev));
    prev = frame.records[i];
    // the records array's CBOR head: 1, 2 or 3 bytes by count
    if (size + (i + 1 < 24 ? 1 : i + 1 < 256 ? 2 : 3) > limit) break;
    fit = i + 1;
  }
  return fit;
}
