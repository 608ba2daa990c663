// Short ASCII messages a board can show on its display for each rejection (under 40 chars).
import type { CodeRejectReason } from "./types";

export type Rejection = { ok: false; reason: CodeRejectReason; message: string };

export const REJECT_MESSAGES: { [R in CodeRejectReason]: string } = {
  empty: "Nothing read, scan again",
  garbage: "Unreadable data, scan again",
  "retail-ean13": "Retail barcode, not a trace code",
  truncated: "Partial read, scan again",
  "bad-prefix": "20 digits but no leading 8",
  "bad-length": "Wrong number of digits",
  "bad-gtin-check": "GTIN check digit wrong, scan again",
  "bad-date": "Expiry (17) is not a real date",
  "missing-gtin": "GS1 code without GTIN (01)",
  "missing-serial": "GS1 code without serial (21)",
  "field-too-long": "Batch/serial over 20 chars",
  "lost-separator": "Lost GS: set reader to keep GS/FNC1",
  "unknown-ai": "Malformed GS1 data, scan again",
  "not-a-code": "Not a trace code",
};

/** Shown when one read holds two different codes (two boxes read into one line). */
export const TWO_CODES_MESSAGE = "Two codes in one read, scan one box";

export function reject(reason: CodeRejectReason, message?: string): Rejection {
  return { ok: false, reason: reason, message: message || REJECT_MESSAGES[reason] };
}
