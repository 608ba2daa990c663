// The reader strings of the printed cards a clinic keeps at the counter, and the button
// conventions, as the firmware reads them (firmware/src/scanner/scan-input.ts and
// firmware/src/session/counter.ts). ONE place, so the plan follows the firmware:
// - split card "VT:SPLIT:<units>/<perPack>": scanned BEFORE the box, armed for 30 s;
// - "VT:UNDO": withdraws the last item of the open session (a long press does the same);
// - "NC:<catalogue code>[*<qty>]": sells qty (default 1) of a no-code-list item;
// - "VT:CLOSE" or a short button press closes the session; so does the next patient's
//   voucher/prescription, or the idle timeout.
// The ":" keeps every card outside what protocol/src/code classifyScan takes for a code, a
// prescription or an e-voucher, so a card can never be mistaken for one.

export const CARD_PREFIXES = ["VT:", "NC:"] as const;

export function splitCard(units: number, perPack: number): string {
  return "VT:SPLIT:" + units + "/" + perPack;
}

export const UNDO_CARD = "VT:UNDO";
export const CLOSE_CARD = "VT:CLOSE";

export function noCodeCard(catalogue: string, qty: number): string {
  return "NC:" + catalogue + (qty === 1 ? "" : "*" + qty);
}

/** How long a "short" press is held: well above the 50 ms debounce, below the 1 s long press. */
export const CLOSE_PRESS_MS = 150;

/** Seconds a split card stays armed on the board (firmware default). */
export const SPLIT_ARM_SECONDS = 30;

/** Idle seconds after which the board closes an open session (firmware default). */
export const SESSION_TIMEOUT_SECONDS = 600;

/** Reader line endings seen in the field; each board's reader is set to one of them. */
export const READER_SUFFIXES = ["\r", "\n", "\r\n"] as const;
