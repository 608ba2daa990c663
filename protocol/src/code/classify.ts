// classifyScan: what one read at the counter means.
//
// Conventions, in this order:
// - anything parseCode accepts is a trace code ("code");
// - a read parseCode rejects for a code-specific reason (truncated, lost GS, bad check
//   digit, retail barcode...) stays a rejection: it was meant as a code and must be rescanned,
//   never taken for a patient or a prescription;
// - otherwise "RX" (upper case) + 6..30 of [0-9A-Z-] is a prescription number ("rx"), kept
//   as scanned;
// - otherwise 32..128 of [0-9A-Za-z+/=_-] with at least one non-digit is a patient's
//   insurance e-voucher QR payload ("voucher"); an all-digit string is never a voucher, so
//   numeric code reads cannot open a session by accident;
// - anything else is rejected as not-a-code.
// An AIM identifier the reader puts in front (e.g. "]Q1") and line endings are removed first.
import type { CodeRejectReason, TraceCode } from "./types";
import { isDigits } from "./chars";
import { charsIn } from "../frame/text";
import { stripSymbology, trimRead } from "./noise";
import { parseCode } from "./parse";

export type ScanClass =
  | { type: "code"; code: TraceCode }
  | { type: "voucher"; token: string }
  | { type: "rx"; rx: string }
  | { type: "reject"; reason: CodeRejectReason; message: string };

export const RX_PREFIX = "RX";
export const RX_MIN_CHARS = 6;
export const RX_MAX_CHARS = 30;
export const VOUCHER_MIN_CHARS = 32;
export const VOUCHER_MAX_CHARS = 128;

// Character walks (charsIn over ranges) rather than regex classes: the board's regex engine is
// the weak spot. A prescription number is [0-9A-Z-]; an e-voucher token 0-9 A-Z a-z + / = _ -.
const RX_CHARS = "09AZ--";
const VOUCHER_CHARS = "09AZ--az++//==__";

/** Decides whether a read is a trace code, a prescription, an e-voucher, or nothing usable. */
export function classifyScan(raw: string): ScanClass {
  const parsed = parseCode(raw);
  if (parsed.ok) return { type: "code", code: parsed.code };
  if (parsed.reason === "not-a-code") {
    const t = stripSymbology(trimRead(raw)).text;
    const body = t.slice(RX_PREFIX.length);
    if (t.indexOf(RX_PREFIX) === 0 && charsIn(body, RX_MIN_CHARS, RX_MAX_CHARS, RX_CHARS)) return { type: "rx", rx: t };
    if (charsIn(t, VOUCHER_MIN_CHARS, VOUCHER_MAX_CHARS, VOUCHER_CHARS) && !isDigits(t)) return { type: "voucher", token: t };
  }
  return { type: "reject", reason: parsed.reason, message: parsed.message };
}
