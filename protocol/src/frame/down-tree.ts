// Ack and command frames from their item trees (after the envelope has been checked).
import type { Item, IntMap } from "../cbor/item";
import { isIntMap } from "../cbor/item";
import type { AckFrame, CommandFrame, DeviceConfig } from "./types";
import { CMD_TIME, CMD_CONFIG, CMD_WARN, CMD_WARN_REPLACE, CFG_SESSION_TIMEOUT, CFG_BATCH_MAX, CFG_WARN_FREE_PCT } from "./layout";
import { codeFromItem } from "./code-item";
import { ackProblem, commandProblem } from "./validate";
import { reject } from "./reject";

export function ackFromTree(t: Item[]): AckFrame {
  const ack: AckFrame = { device: t[2] as string, upto: t[3] as number, time: t[4] as number };
  const p = ackProblem(ack);
  if (p) reject("bad-structure", p);
  return ack;
}

function known(m: IntMap, max: number, what: string): void {
  for (let i = 0; i < m.keys.length; i++) if (m.keys[i] < 1 || m.keys[i] > max) reject("bad-structure", "unknown " + what + " key " + m.keys[i]);
}

function field(m: IntMap, key: number): Item | undefined {
  const i = m.keys.indexOf(key);
  return i < 0 ? undefined : m.vals[i];
}

export function commandFromTree(t: Item[]): CommandFrame {
  const f = t[4];
  if (!isIntMap(f)) return reject("bad-structure", "command fields are not a map");
  known(f, CMD_WARN_REPLACE, "command");
  const cmd: CommandFrame = { device: t[2] as string, id: t[3] as number };
  const time = field(f, CMD_TIME);
  if (time !== undefined) cmd.time = time as number;
  const cfg = field(f, CMD_CONFIG);
  if (cfg !== undefined) {
    if (!isIntMap(cfg)) reject("bad-structure", "config is not a map");
    const m = cfg as IntMap;
    known(m, CFG_WARN_FREE_PCT, "config");
    const c: DeviceConfig = {};
    const st = field(m, CFG_SESSION_TIMEOUT);
    const bm = field(m, CFG_BATCH_MAX);
    const wf = field(m, CFG_WARN_FREE_PCT);
    if (st !== undefined) c.sessionTimeout = st as number;
    if (bm !== undefined) c.batchMax = bm as number;
    if (wf !== undefined) c.warnFreePct = wf as number;
    cmd.config = c;
  }
  const warn = field(f, CMD_WARN);
  if (warn !== undefined) {
    if (!Array.isArray(warn)) reject("bad-structure", "warn is not an array");
    const list: string[] = [];
    const w = warn as Item[];
    for (let i = 0; i < w.length; i++) {
      const c = codeFromItem(w[i]);
      if (c === null) reject("bad-structure", "warn " + i + " is not a code");
      list.push(c as string);
    }
    cmd.warn = list;
  }
  const wr = field(f, CMD_WARN_REPLACE);
  if (wr !== undefined) cmd.warnReplace = wr as boolean;
  const p = commandProblem(cmd);
  if (p) reject("bad-structure", p);
  return cmd;
}
