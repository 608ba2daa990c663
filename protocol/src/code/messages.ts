// Short ASCII messages a board can show on its display for each rejection (under 40 chars).
import type { CodeRejectReason } from "./types";
import { HAS_DISPLAY } from "../board-flags";

export type Rejection = { ok: false; reason: CodeRejectReason; message: string };

/**
 * The message for a reason. A switch rather than a lookup object: on the board an object's
 * every key and string would be variables for the whole run, while a literal in code stays
 * in flash until it is returned.
 */
export function rejectMessage(reason: CodeRejectReason): string {
  switch (reason) {
    case "empty":
      return "Nothing read, scan again";
    case "garbage":
      return "Unreadable data, scan again";
    case "retail-ean13":
      return "Retail barcode, not a trace code";
    case "truncated":
      return "Partial read, scan again";
    case "bad-prefix":
      return "20 digits but no leading 8";
    case "bad-length":
      return "Wrong number of digits";
    case "bad-gtin-check":
      return "GTIN check digit wrong, scan again";
    case "bad-date":
      return "Expiry (17) is not a real date";
    case "missing-gtin":
      return "GS1 code without GTIN (01)";
    case "missing-serial":
      return "GS1 code without serial (21)";
    case "field-too-long":
      return "Batch/serial over 20 chars";
    case "lost-separator":
      return "Lost GS: set reader to keep GS/FNC1";
    case "unknown-ai":
      return "Malformed GS1 data, scan again";
    case "not-a-code":
      return "Not a trace code";
  }
  return "";
}

/** Every reason with its message, for hosts (the board reads rejectMessage). */
function messageTable(): { [R in CodeRejectReason]: string } {
  const reasons: CodeRejectReason[] = ["empty", "garbage", "retail-ean13", "truncated", "bad-prefix", "bad-length", "bad-gtin-check", "bad-date", "missing-gtin", "missing-serial", "field-too-long", "lost-separator", "unknown-ai", "not-a-code"];
  const out = {} as { [R in CodeRejectReason]: string };
  for (const r of reasons) out[r] = rejectMessage(r);
  return out;
}

export const REJECT_MESSAGES: { [R in CodeRejectReason]: string } = /* @__PURE__ */ messageTable();

// The reasons the parsers give most often, as named strings: the board's build keeps each as one
// binding instead of the literal at every return (firmware/build/README.md, string constants).
export const TRUNCATED: CodeRejectReason = "truncated";
export const UNKNOWN_AI: CodeRejectReason = "unknown-ai";
export const GARBAGE: CodeRejectReason = "garbage";

/** Shown when one read holds two different codes (two boxes read into one line). */
export const TWO_CODES_MESSAGE = "Two codes in one read, scan one box";

/**
 * A rejection with its message (TWO_CODES_MESSAGE when `twoCodes`). A board without a display
 * has no use for the texts: its build leaves them out and the message is "".
 */
export function reject(reason: CodeRejectReason, twoCodes?: boolean): Rejection {
  return { ok: false, reason: reason, message: !HAS_DISPLAY ? "" : twoCodes ? TWO_CODES_MESSAGE : rejectMessage(reason) };
}
