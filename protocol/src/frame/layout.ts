// Frame layouts as positional CBOR arrays (byte-by-byte description in protocol/README.md).
// Every frame ends with the same two fixed-size items, so their position is known from
// the end of the frame without parsing:
//   ... 0x44 <CRC-32, 4 bytes big-endian> 0x50 <tag, 16 bytes>
import type { Item, IntMap } from "../cbor/item";
import type { AckFrame, BatchFrame, CommandFrame, StatusFrame } from "./types";
import { FRAME_VERSION, FRAME_BATCH, FRAME_ACK, FRAME_COMMAND, FRAME_STATUS } from "./types";
import { recordToItem, headerClock, type Clock } from "./wire-record";
import { codeToItem } from "./code-item";

export const CRC_BYTES = 4;
/** HMAC-SHA256 truncated to its first 16 bytes (128 bits). */
export const TAG_BYTES = 16;
/** Bytes of the CRC item plus the tag item at the end of every frame. */
export const SEAL_BYTES = 1 + CRC_BYTES + 1 + TAG_BYTES;
export const CRC_HEAD = 0x44; // bstr of length 4
export const TAG_HEAD = 0x50; // bstr of length 16

// Positions inside the outer arrays.
export const BATCH_ITEMS = 11; // version type device boot uptime time trusted firstSeq records crc tag
export const DOWN_ITEMS = 7; // version type device (upto time | id fields) crc tag
/** version type device boot uptime time trusted firmware board seqHead ackedUpto
 *  flashUsed flashTotal memUsage sessionOpen crc tag */
export const STATUS_ITEMS = 17;

// Command field keys (map with unsigned integer keys, ascending).
export const CMD_TIME = 1;
export const CMD_CONFIG = 2;
export const CMD_WARN = 3;
export const CMD_WARN_REPLACE = 4;
export const CFG_SESSION_TIMEOUT = 1;
export const CFG_BATCH_MAX = 2;
export const CFG_WARN_FREE_PCT = 3;

function sealSlots(items: Item[]): Item[] {
  items.push(new Uint8Array(CRC_BYTES), new Uint8Array(TAG_BYTES));
  return items;
}

/** The batch frame as an item tree, with zeroed CRC and tag slots. */
export function batchTree(frame: BatchFrame): Item[] {
  const n = frame.records.length;
  // the records array, each record coded against the one before it (the first against the header)
  const records: Item[] = [];
  let prev: Clock = headerClock(frame);
  for (let i = 0; i < n; i++) {
    const r = frame.records[i];
    records.push(recordToItem(r, prev));
    prev = r;
  }
  return sealSlots([
    FRAME_VERSION, FRAME_BATCH, frame.device, frame.boot, frame.uptime, frame.time, frame.trusted,
    n > 0 ? frame.records[0].seq : 0, records,
  ]);
}

export function ackTree(ack: AckFrame): Item[] {
  return sealSlots([FRAME_VERSION, FRAME_ACK, ack.device, ack.upto, ack.time]);
}

function addField(m: IntMap, key: number, v: Item | undefined): void {
  if (v === undefined) return;
  m.keys.push(key);
  m.vals.push(v);
}

export function commandTree(cmd: CommandFrame): Item[] {
  const fields: IntMap = { keys: [], vals: [] };
  addField(fields, CMD_TIME, cmd.time);
  if (cmd.config !== undefined) {
    const c: IntMap = { keys: [], vals: [] };
    addField(c, CFG_SESSION_TIMEOUT, cmd.config.sessionTimeout);
    addField(c, CFG_BATCH_MAX, cmd.config.batchMax);
    addField(c, CFG_WARN_FREE_PCT, cmd.config.warnFreePct);
    addField(fields, CMD_CONFIG, c);
  }
  if (cmd.warn !== undefined) {
    const w: Item[] = [];
    for (let i = 0; i < cmd.warn.length; i++) w.push(codeToItem(cmd.warn[i]));
    addField(fields, CMD_WARN, w);
  }
  addField(fields, CMD_WARN_REPLACE, cmd.warnReplace);
  return sealSlots([FRAME_VERSION, FRAME_COMMAND, cmd.device, cmd.id, fields]);
}

/** The status frame as an item tree; an absent memUsage is null. */
export function statusTree(s: StatusFrame): Item[] {
  return sealSlots([
    FRAME_VERSION, FRAME_STATUS, s.device, s.boot, s.uptime, s.time, s.trusted, s.firmware, s.board,
    s.seqHead, s.ackedUpto, s.flashUsed, s.flashTotal, s.memUsage === undefined ? null : s.memUsage, s.sessionOpen,
  ]);
}
