// The board's record check: what a record must satisfy to be journaled, framed and accepted
// by the gateway. Returns a short ASCII fault ("bad <field>" or "extra <field>") or null.
// The gateway's recordProblem (validate.ts) words the same faults at length, so the rules
// live here once and the long texts stay out of the board's bundle.
import type { ScanRecord } from "../record";
import { EV_OPEN, EV_SPLIT, EV_UNDO, EV_NOCODE, OPEN_BY_VOUCHER, OPEN_BY_RX } from "../record";
import { isCode } from "./code-item";
import { MAX_BATCH_CHARS, MAX_RX_CHARS, MAX_UNITS } from "./limits";
import { charsIn, DIGITS, isIntIn, LOWER_HEX, PRINTABLE, U32 } from "./text";

export function recordFault(r: ScanRecord): string | null {
  if (!r || typeof r !== "object") return "bad record";
  // Optional fields each event kind may carry (space-separated, padded); others must be absent.
  // Fields are read by name, never by a string key: the board's bundler shortens field names.
  // Local, not module-level: on the board these arrays are variables only during a check.
  const ALLOWED = ["", " openBy patient rx ", " code batch expiry ", " code batch expiry units perPack ", " ref ", " code units ", " "];
  const OPTIONAL = ["code", "batch", "expiry", "units", "perPack", "ref", "openBy", "patient", "rx"];
  const REQUIRED = ["seq", "time", "boot", "uptime"];
  const req = [r.seq, r.time, r.boot, r.uptime];
  for (let i = 0; i < 4; i++) if (!isIntIn(req[i], i ? 0 : 1, U32)) return "bad " + REQUIRED[i];
  if (typeof r.trusted !== "boolean") return "bad trusted";
  if (!isIntIn(r.session, 0, r.seq)) return "bad session";
  const ev = r.event;
  if (!isIntIn(ev, 1, 6)) return "bad event";
  const opt = [r.code, r.batch, r.expiry, r.units, r.perPack, r.ref, r.openBy, r.patient, r.rx];
  for (let i = 0; i < OPTIONAL.length; i++) if (opt[i] !== undefined && ALLOWED[ev].indexOf(" " + OPTIONAL[i] + " ") < 0) return "extra " + OPTIONAL[i];
  if (ev === EV_OPEN) {
    if (r.openBy === OPEN_BY_VOUCHER) {
      if (!charsIn(r.patient, 16, 16, LOWER_HEX)) return "bad patient";
      if (r.rx !== undefined) return "extra rx";
    } else if (r.openBy === OPEN_BY_RX) {
      if (!charsIn(r.rx, 1, MAX_RX_CHARS, PRINTABLE)) return "bad rx";
      if (r.patient !== undefined) return "extra patient";
    } else return "bad openBy";
  }
  // EV_DISPENSE, EV_SPLIT, EV_NOCODE: exactly the kinds that allow a code, and need one.
  if (ALLOWED[ev].indexOf(" code ") >= 0 && !isCode(r.code)) return "bad code";
  if (r.batch !== undefined && !charsIn(r.batch, 1, MAX_BATCH_CHARS, PRINTABLE)) return "bad batch";
  if (r.expiry !== undefined && !charsIn(r.expiry, 6, 6, DIGITS)) return "bad expiry";
  if (ev === EV_SPLIT) {
    if (!isIntIn(r.perPack, 1, MAX_UNITS)) return "bad perPack";
    if (!isIntIn(r.units, 1, r.perPack as number)) return "bad units";
  }
  if (ev === EV_NOCODE && !isIntIn(r.units, 1, MAX_UNITS)) return "bad units";
  if (ev === EV_UNDO && !isIntIn(r.ref, 1, r.seq - 1)) return "bad ref";
  return null;
}
