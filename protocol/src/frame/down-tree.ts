// Ack and command frames from their item trees (after the envelope, CRC and tag have been
// checked). Board side: each field is range-checked as it is read, with short messages,
// so the gateway's long-worded validators stay out of the board's bundle.
import type { Item, IntMap } from "../cbor/item";
import { isIntMap } from "../cbor/item";
import type { AckFrame, CommandFrame, DeviceConfig } from "./types";
import { CMD_TIME, CMD_CONFIG, CMD_WARN, CMD_WARN_REPLACE, CFG_SESSION_TIMEOUT, CFG_BATCH_MAX, CFG_WARN_FREE_PCT } from "./layout";
import { codeFromItem, codeToItem } from "./code-item";
import { MAX_RECORDS_PER_FRAME } from "./limits";
import { isIntIn, U32 } from "./text";
import { bad } from "./reject";

function int(v: Item | undefined, min: number, max: number, what: string): number {
  if (!isIntIn(v, min, max)) bad(what);
  return v as number;
}

export function ackFromTree(t: Item[]): AckFrame {
  return { device: t[2] as string, upto: int(t[3], 0, U32, "upto"), time: int(t[4], 0, U32, "time") };
}

/** The map, after checking every key is one of 1..max (ascending is the reader's job). */
function fields(v: Item | undefined, max: number, what: string): IntMap {
  if (v === undefined || !isIntMap(v)) return bad(what);
  for (const k of v.keys) if (k < 1 || k > max) bad(what + " key");
  return v;
}

function field(m: IntMap, key: number): Item | undefined {
  const i = m.keys.indexOf(key);
  return i < 0 ? undefined : m.vals[i];
}

export function commandFromTree(t: Item[]): CommandFrame {
  const f = fields(t[4], CMD_WARN_REPLACE, "fields");
  const cmd: CommandFrame = { device: t[2] as string, id: int(t[3], 1, U32, "id") };
  const time = field(f, CMD_TIME);
  if (time !== undefined) cmd.time = int(time, 0, U32, "time");
  const cfg = field(f, CMD_CONFIG);
  if (cfg !== undefined) {
    const m = fields(cfg, CFG_WARN_FREE_PCT, "config");
    const c: DeviceConfig = {};
    const st = field(m, CFG_SESSION_TIMEOUT);
    const bm = field(m, CFG_BATCH_MAX);
    const wf = field(m, CFG_WARN_FREE_PCT);
    if (st !== undefined) c.sessionTimeout = int(st, 1, U32, "sessionTimeout");
    if (bm !== undefined) c.batchMax = int(bm, 1, MAX_RECORDS_PER_FRAME, "batchMax");
    if (wf !== undefined) c.warnFreePct = int(wf, 0, 100, "warnFreePct");
    cmd.config = c;
  }
  const warn = field(f, CMD_WARN);
  if (warn !== undefined) {
    if (!Array.isArray(warn)) bad("warn");
    const list: string[] = [];
    for (const w of warn as Item[]) {
      const c = codeFromItem(w);
      // A code sent as text although it has a packed form is not canonical.
      if (c === null || typeof w !== typeof codeToItem(c)) bad("warn code");
      list.push(c as string);
    }
    cmd.warn = list;
  }
  const wr = field(f, CMD_WARN_REPLACE);
  if (wr !== undefined) {
    if (typeof wr !== "boolean") bad("warnReplace");
    cmd.warnReplace = wr as boolean;
  }
  return cmd;
}
