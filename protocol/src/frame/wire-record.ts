// One scan record as a positional CBOR array (layout in protocol/README.md):
//   [ev, dt, sref, (boot, uptime)?, ...fields of the event kind]
// ev    = (event - 1) + 6 * trusted + 12 * explicitClock   (0..23: always one byte)
// dt    = time - previous time (signed; the first record is relative to the frame time)
// sref  = 0: same session as the previous record (the first record: as a header with no
//         session); 1: no session; else seq - session + 2
// boot and uptime are sent only when they do not follow from the previous record (or the
// frame header): same boot and uptime advanced exactly by dt.
import type { Item } from "../cbor/item";
import type { EventKind, ScanRecord } from "../record";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, OPEN_BY_VOUCHER } from "../record";
import { fromHex, toHex } from "../crypto/bytes";
import { codeFromItem, codeToItem } from "./code-item";
import { reject } from "./reject";
import { isIntIn, isPrintable, U32 } from "./text";

/** The state a record's time and session fields are coded against: the record before it. */
export interface Clock {
  time: number;
  boot: number;
  uptime: number;
  session: number;
}

/** What the first record of a frame is coded against: the header's clock and no session. */
export function headerClock(f: { time: number; boot: number; uptime: number }): Clock {
  return { time: f.time, boot: f.boot, uptime: f.uptime, session: 0 };
}

const TRUSTED_FLAG = 6;
const CLOCK_FLAG = 12;

/** GS1 extras (batch, expiry) as trailing items; a missing batch before an expiry is null. */
function pushExtras(out: Item[], r: ScanRecord): void {
  if (r.expiry !== undefined) {
    out.push(r.batch === undefined ? null : r.batch, parseInt(r.expiry, 10));
  } else if (r.batch !== undefined) out.push(r.batch);
}

export function recordToItem(r: ScanRecord, prev: Clock): Item[] {
  // same boot and the uptime moved as the clock did: boot and uptime are left out
  const follows = r.boot === prev.boot && r.uptime - prev.uptime === r.time - prev.time;
  // session: 0 = as before, 1 = none, else seq - session + 2
  const session = r.session === prev.session ? 0 : r.session === 0 ? 1 : r.seq - r.session + 2;
  const out: Item[] = [r.event - 1 + (r.trusted ? TRUSTED_FLAG : 0) + (follows ? 0 : CLOCK_FLAG), r.time - prev.time, session];
  if (!follows) {
    out.push(r.boot, r.uptime);
  }
  const ev = r.event;
  if (ev === EV_OPEN) {
    out.push(r.openBy as number, r.openBy === OPEN_BY_VOUCHER ? (fromHex(r.patient as string) as Uint8Array) : (r.rx as string));
  } else if (ev === EV_DISPENSE) {
    out.push(codeToItem(r.code as string));
    pushExtras(out, r);
  } else if (ev === EV_SPLIT) {
    out.push(codeToItem(r.code as string), r.units as number, r.perPack as number);
    pushExtras(out, r);
  } else if (ev === EV_UNDO) out.push(r.seq - (r.ref as number));
  else if (ev === EV_NOCODE) {
    out.push(codeToItem(r.code as string), r.units as number);
  }
  return out;
}

function int(v: Item | undefined, min: number, max: number, what: string): number {
  if (!isIntIn(v, min, max)) reject("bad-record", what + " out of range");
  return v as number;
}

function code(v: Item | undefined): string {
  const c = v === undefined ? null : codeFromItem(v);
  if (c === null) reject("bad-record", "bad code item");
  return c as string;
}

/** Reads the trailing GS1 extras from index i (batch or null, then expiry); returns the next index. */
function readExtras(r: ScanRecord, a: Item[], i: number): number {
  if (i >= a.length) return i;
  const b = a[i];
  if (b !== null) {
    if (!isPrintable(b, 1, 20)) reject("bad-record", "bad batch");
    r.batch = b as string;
  }
  i++;
  if (i < a.length) {
    r.expiry = ("00000" + int(a[i], 0, 999999, "expiry")).slice(-6);
    i++;
  } else if (b === null) reject("bad-record", "null batch without an expiry");
  return i;
}

export function recordFromItem(v: Item, seq: number, prev: Clock): ScanRecord {
  if (!Array.isArray(v) || v.length < 3) return reject("bad-structure", "record is not an array of 3+ items");
  const ev = int(v[0], 0, 23, "event byte");
  const explicitClock = ev >= CLOCK_FLAG;
  const trusted = ev % CLOCK_FLAG >= TRUSTED_FLAG;
  const event = ((ev % TRUSTED_FLAG) + 1) as EventKind;
  const time = prev.time + int(v[1], -U32, U32, "time delta");
  const sref = int(v[2], 0, seq + 1, "session reference");
  let i = 3;
  let boot = prev.boot;
  let uptime = prev.uptime + (time - prev.time);
  if (explicitClock) {
    boot = int(v[3], 0, U32, "boot");
    uptime = int(v[4], 0, U32, "uptime");
    i = 5;
  }
  const r: ScanRecord = { seq: seq, time: time, trusted: trusted, boot: boot, uptime: uptime, event: event, session: sref === 0 ? prev.session : sref === 1 ? 0 : seq - sref + 2 };
  if (event === EV_OPEN) {
    r.openBy = int(v[i], 1, 2, "openBy");
    const who = v[i + 1];
    if (r.openBy === OPEN_BY_VOUCHER) {
      if (!(who instanceof Uint8Array) || who.length !== 8) reject("bad-record", "patient must be 8 bytes");
      r.patient = toHex(who as Uint8Array);
    } else {
      if (typeof who !== "string") reject("bad-record", "rx must be text");
      r.rx = who as string;
    }
    i += 2;
  } else if (event === EV_DISPENSE) {
    r.code = code(v[i]);
    i = readExtras(r, v, i + 1);
  } else if (event === EV_SPLIT) {
    r.code = code(v[i]);
    r.units = int(v[i + 1], 1, 65535, "units");
    r.perPack = int(v[i + 2], 1, 65535, "perPack");
    i = readExtras(r, v, i + 3);
  } else if (event === EV_UNDO) {
    r.ref = seq - int(v[i], 1, seq - 1, "undo reference");
    i++;
  } else if (event === EV_NOCODE) {
    r.code = code(v[i]);
    r.units = int(v[i + 1], 1, 65535, "units");
    i += 2;
  }
  if (i !== v.length) reject("bad-record", "record has " + v.length + " items, expected " + i);
  return r;
}
