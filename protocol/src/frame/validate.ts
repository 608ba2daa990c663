// What a well-formed record and frame is. The encoders assume these hold (a board checks
// each record before journaling it); the decoders check them on everything that arrives.
// Each check returns a short problem description, or null when all is well.
import type { ScanRecord } from "../record";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, EV_CLOSE, OPEN_BY_VOUCHER, OPEN_BY_RX } from "../record";
import type { AckFrame, BatchFrame, CommandFrame } from "./types";
import { isCode } from "./code-item";
import { isDeviceId, isDigits, isIntIn, isLowerHex, isPrintable, U32 } from "./text";

/** Most records in one batch frame (the size limit usually binds first). */
export const MAX_RECORDS_PER_FRAME = 250;
export const MAX_UNITS = 65535;
export const MAX_RX_CHARS = 40;
export const MAX_BATCH_CHARS = 20;

// Which optional fields each event kind carries; every other optional field must be absent.
const FIELDS: { [kind: number]: string[] } = {};
FIELDS[EV_OPEN] = ["openBy", "patient", "rx"];
FIELDS[EV_DISPENSE] = ["code", "batch", "expiry"];
FIELDS[EV_SPLIT] = ["code", "batch", "expiry", "units", "perPack"];
FIELDS[EV_UNDO] = ["ref"];
FIELDS[EV_NOCODE] = ["code", "units"];
FIELDS[EV_CLOSE] = [];
const OPTIONAL = ["code", "batch", "expiry", "units", "perPack", "ref", "openBy", "patient", "rx"];

export function recordProblem(r: ScanRecord): string | null {
  if (!r || typeof r !== "object") return "not a record";
  if (!isIntIn(r.seq, 1, U32)) return "seq must be an integer 1..2^32-1";
  if (!isIntIn(r.time, 0, U32)) return "time must be an integer 0..2^32-1";
  if (typeof r.trusted !== "boolean") return "trusted must be a boolean";
  if (!isIntIn(r.boot, 0, U32)) return "boot must be an integer 0..2^32-1";
  if (!isIntIn(r.uptime, 0, U32)) return "uptime must be an integer 0..2^32-1";
  if (!isIntIn(r.session, 0, r.seq)) return "session must be 0 or the seq of an earlier or this record";
  const allowed = FIELDS[r.event];
  if (!allowed || !isIntIn(r.event, 1, 6)) return "unknown event " + r.event;
  const rec = r as unknown as { [k: string]: unknown };
  for (let i = 0; i < OPTIONAL.length; i++) {
    const f = OPTIONAL[i];
    if (rec[f] !== undefined && allowed.indexOf(f) < 0) return f + " not allowed for event " + r.event;
  }
  if (r.event === EV_OPEN) {
    if (r.openBy === OPEN_BY_VOUCHER) {
      if (!isLowerHex(r.patient, 16)) return "patient must be 16 lowercase hex digits";
      if (r.rx !== undefined) return "rx not allowed when opened by voucher";
    } else if (r.openBy === OPEN_BY_RX) {
      if (!isPrintable(r.rx, 1, MAX_RX_CHARS)) return "rx must be 1..40 printable ASCII characters";
      if (r.patient !== undefined) return "patient not allowed when opened by prescription";
    } else return "openBy must be OPEN_BY_VOUCHER or OPEN_BY_RX";
  }
  if (r.event === EV_DISPENSE || r.event === EV_SPLIT || r.event === EV_NOCODE) {
    if (!isCode(r.code)) return "code must be 1..64 printable ASCII characters";
  }
  if (r.batch !== undefined && !isPrintable(r.batch, 1, MAX_BATCH_CHARS)) return "batch must be 1..20 printable ASCII characters";
  if (r.expiry !== undefined && !isDigits(r.expiry, 6)) return "expiry must be 6 digits (YYMMDD)";
  if (r.event === EV_SPLIT) {
    if (!isIntIn(r.perPack, 1, MAX_UNITS)) return "perPack must be an integer 1..65535";
    if (!isIntIn(r.units, 1, r.perPack as number)) return "units must be an integer 1..perPack";
  }
  if (r.event === EV_NOCODE && !isIntIn(r.units, 1, MAX_UNITS)) return "units must be an integer 1..65535";
  if (r.event === EV_UNDO && !isIntIn(r.ref, 1, r.seq - 1)) return "ref must be the seq of an earlier record";
  return null;
}

export function batchProblem(f: BatchFrame): string | null {
  if (!f || typeof f !== "object") return "not a frame";
  if (!isDeviceId(f.device)) return "device must be 1..64 of [A-Za-z0-9._-]";
  if (!isIntIn(f.boot, 0, U32) || !isIntIn(f.uptime, 0, U32) || !isIntIn(f.time, 0, U32)) return "boot, uptime and time must be integers 0..2^32-1";
  if (typeof f.trusted !== "boolean") return "trusted must be a boolean";
  if (!Array.isArray(f.records)) return "records must be an array";
  if (f.records.length > MAX_RECORDS_PER_FRAME) return "more than " + MAX_RECORDS_PER_FRAME + " records";
  for (let i = 0; i < f.records.length; i++) {
    const p = recordProblem(f.records[i]);
    if (p) return "record " + i + ": " + p;
    if (i > 0 && f.records[i].seq !== f.records[i - 1].seq + 1) return "records not contiguous at index " + i;
  }
  return null;
}

export function ackProblem(a: AckFrame): string | null {
  if (!a || typeof a !== "object") return "not an ack";
  if (!isDeviceId(a.device)) return "device must be 1..64 of [A-Za-z0-9._-]";
  if (!isIntIn(a.upto, 0, U32)) return "upto must be an integer 0..2^32-1";
  if (!isIntIn(a.time, 0, U32)) return "time must be an integer 0..2^32-1";
  return null;
}

export function commandProblem(c: CommandFrame): string | null {
  if (!c || typeof c !== "object") return "not a command";
  if (!isDeviceId(c.device)) return "device must be 1..64 of [A-Za-z0-9._-]";
  if (!isIntIn(c.id, 1, U32)) return "id must be an integer 1..2^32-1";
  if (c.time !== undefined && !isIntIn(c.time, 0, U32)) return "time must be an integer 0..2^32-1";
  if (c.config !== undefined) {
    const k = c.config;
    if (!k || typeof k !== "object") return "config must be an object";
    if (k.sessionTimeout !== undefined && !isIntIn(k.sessionTimeout, 1, U32)) return "sessionTimeout must be an integer >= 1";
    if (k.batchMax !== undefined && !isIntIn(k.batchMax, 1, MAX_RECORDS_PER_FRAME)) return "batchMax must be an integer 1..250";
    if (k.warnFreePct !== undefined && !isIntIn(k.warnFreePct, 0, 100)) return "warnFreePct must be an integer 0..100";
  }
  if (c.warn !== undefined) {
    if (!Array.isArray(c.warn)) return "warn must be an array";
    for (let i = 0; i < c.warn.length; i++) if (!isCode(c.warn[i])) return "warn " + i + " is not a code";
  }
  if (c.warnReplace !== undefined && typeof c.warnReplace !== "boolean") return "warnReplace must be a boolean";
  return null;
}
