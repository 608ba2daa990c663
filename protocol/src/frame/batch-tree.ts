// A batch frame from its item tree (after the envelope, CRC and tag have been checked).
// Sequence numbers are implicit (first seq + index), so a decoded batch is contiguous by
// construction; what is checked here is that every record is valid for its event kind.
import type { Item } from "../cbor/item";
import type { ScanRecord } from "../record";
import type { BatchFrame } from "./types";
import { recordFromItem, headerClock, type Clock } from "./wire-record";
import { recordProblem, MAX_RECORDS_PER_FRAME } from "./validate";
import { isIntIn, U32 } from "./text";
import { reject } from "./reject";

export function batchFromTree(t: Item[]): BatchFrame {
  const device = t[2] as string;
  if (!isIntIn(t[3], 0, U32) || !isIntIn(t[4], 0, U32) || !isIntIn(t[5], 0, U32)) reject("bad-structure", "boot, uptime and time must be integers 0..2^32-1");
  if (typeof t[6] !== "boolean") reject("bad-structure", "trusted must be a boolean");
  const items = t[8];
  if (!Array.isArray(items)) return reject("bad-structure", "records are not an array");
  if (items.length > MAX_RECORDS_PER_FRAME) reject("bad-structure", items.length + " records, limit " + MAX_RECORDS_PER_FRAME);
  const first = t[7] as number;
  if (items.length === 0 ? first !== 0 : !isIntIn(first, 1, U32 - items.length + 1)) reject("bad-structure", "bad first seq");
  const frame: BatchFrame = { device: device, boot: t[3] as number, uptime: t[4] as number, time: t[5] as number, trusted: t[6] as boolean, records: [] };
  let prev: Clock = headerClock(frame);
  for (let i = 0; i < items.length; i++) {
    const r: ScanRecord = recordFromItem(items[i], first + i, prev);
    const p = recordProblem(r);
    if (p) reject("bad-record", "record " + (first + i) + ": " + p);
    frame.records.push(r);
    prev = r;
  }
  return frame;
}
