// What one read means at the counter: a printed control card (our own "VT:" and "NC:"
// cards, recognised before the traceability-code parser) or the parser's verdict.
// The parser's ScanClass is structurally mirrored here so this module stays testable alone.
import type { TraceCode } from "../../../protocol/src/code/types";
import { HAS_DISPLAY } from "../../../protocol/src/board-flags";
import { charsIn } from "../../../protocol/src/frame/text";
import { digitsValue, isDigits } from "../../../protocol/src/code/chars";

export type ScanClassLike =
  | { type: "code"; code: TraceCode }
  | { type: "voucher"; token: string }
  | { type: "rx"; rx: string }
  | { type: "reject"; reason: string; message: string };

export type ScanInput =
  | ScanClassLike
  | { type: "undo" }
  | { type: "close" }
  | { type: "split"; units: number; perPack: number }
  | { type: "nocode"; catalogue: string; units: number };

export const CARD_UNDO = "VT:UNDO";
export const CARD_CLOSE = "VT:CLOSE";
export const CARD_SPLIT = "VT:SPLIT:"; // VT:SPLIT:<units>/<perPack>, e.g. VT:SPLIT:2/10
export const CARD_NOCODE = "NC:"; // NC:<catalogue code>[*<quantity>]

/** 1 to 4 digits as a number, else -1. */
function smallInt(s: string): number {
  return s.length <= 4 && isDigits(s) ? digitsValue(s, 0, s.length) : -1;
}

/** A refused card; its message is for a display (a board without one is built without it). */
function reject(message: string): ScanInput {
  return { type: "reject", reason: "bad-card", message: message };
}

export function interpretScan(line: string, classify: (raw: string) => ScanClassLike): ScanInput {
  if (line === CARD_UNDO) return { type: "undo" };
  if (line === CARD_CLOSE) return { type: "close" };
  if (line.indexOf(CARD_SPLIT) === 0) {
    const parts = line.substr(CARD_SPLIT.length).split("/");
    const units = parts.length === 2 ? smallInt(parts[0]) : -1;
    const perPack = parts.length === 2 ? smallInt(parts[1]) : -1;
    if (units < 1 || perPack < units) return reject(HAS_DISPLAY ? "Split card unreadable" : "");
    return { type: "split", units: units, perPack: perPack };
  }
  if (line.indexOf(CARD_NOCODE) === 0) {
    const body = line.substr(CARD_NOCODE.length);
    const star = body.indexOf("*");
    const catalogue = star < 0 ? body : body.substr(0, star);
    const units = star < 0 ? 1 : smallInt(body.substr(star + 1));
    // a catalogue code is 4..40 of [0-9A-Za-z._-]
    if (units < 1 || !charsIn(catalogue, 4, 40, "09AZaz..__--")) return reject(HAS_DISPLAY ? "No-code card unreadable" : "");
    return { type: "nocode", catalogue: catalogue, units: units };
  }
  return classify(line);
}
