// What a well-formed record and frame is, worded for people: the gateway's logs and
// rejection messages, tools and tests. The record rules themselves live in record-fault.ts
// (the board's short check); this file only words them at length, so nothing here is on
// the board's import path. Each check returns a problem description, or null.
import type { ScanRecord } from "../record";
import type { AckFrame, BatchFrame, CommandFrame } from "./types";
import { isCode } from "./code-item";
import { recordFault } from "./record-fault";
import { MAX_RECORDS_PER_FRAME } from "./limits";
import { isDeviceId, isIntIn, U32 } from "./text";

export { MAX_RECORDS_PER_FRAME, MAX_UNITS, MAX_RX_CHARS, MAX_BATCH_CHARS } from "./limits";

const WORDED: { [fault: string]: string } = {
  "bad record": "not a record",
  "bad seq": "seq must be an integer 1..2^32-1",
  "bad time": "time must be an integer 0..2^32-1",
  "bad trusted": "trusted must be a boolean",
  "bad boot": "boot must be an integer 0..2^32-1",
  "bad uptime": "uptime must be an integer 0..2^32-1",
  "bad session": "session must be 0 or the seq of an earlier or this record",
  "bad patient": "patient must be 16 lowercase hex digits",
  "bad rx": "rx must be 1..40 printable ASCII characters",
  "bad openBy": "openBy must be OPEN_BY_VOUCHER or OPEN_BY_RX",
  "bad code": "code must be 1..64 printable ASCII characters",
  "bad batch": "batch must be 1..20 printable ASCII characters",
  "bad expiry": "expiry must be 6 digits (YYMMDD)",
  "bad perPack": "perPack must be an integer 1..65535",
  "bad ref": "ref must be the seq of an earlier record",
};

export function recordProblem(r: ScanRecord): string | null {
  const fault = recordFault(r);
  if (fault === null) return null;
  if (fault === "bad event") return "unknown event " + r.event;
  if (fault === "bad units") return r.event === 3 ? "units must be an integer 1..perPack" : "units must be an integer 1..65535";
  if (fault.indexOf("extra ") === 0) {
    const f = fault.substring(6);
    if (r.event === 1 && (f === "rx" || f === "patient")) return f + " not allowed when opened by " + (f === "rx" ? "voucher" : "prescription");
    return f + " not allowed for event " + r.event;
  }
  return WORDED[fault] || fault;
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
