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

// Character walks rather than regex classes: the board's regex engine is the weak spot.
function isRxChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 45;
}

function every(s: string, test: (c: number) => boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    if (!test(s.charCodeAt(i))) return false;
  }
  return true;
}

/** Decides whether a read is a trace code, a prescription, an e-voucher, or nothing usable. */
export function classifyScan(raw: string): ScanClass {
  const parsed = parseCode(raw);
  if (parsed.ok) return { type: "code", code: parsed.code };
  if (parsed.reason === "not-a-code") {
    const t = stripSymbology(trimRead(raw)).text;
    const body = t.slice(RX_PREFIX.length);
    if (t.indexOf(RX_PREFIX) === 0 && body.length >= RX_MIN_CHARS && body.length <= RX_MAX_CHARS && every(body, isRxChar)) return { type: "rx", rx: t };
    // an e-voucher token: 0-9 A-Z a-z + / = _ -
    if (t.length >= VOUCHER_MIN_CHARS && t.length <= VOUCHER_MAX_CHARS && every(t, (c) => isRxChar(c) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61 || c === 95) && !isDigits(t)) return { type: "voucher", token: t };
  }
  return { type: "reject", reason: parsed.reason, message: parsed.message };
}
