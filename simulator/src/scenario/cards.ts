// The reader strings of the printed cards a clinic keeps at the counter, and the button
// conventions. ONE place, so the plan follows the firmware when firmware/README.md fixes
// them; until then these are the conventions the simulator assumes:
// - split card: scanned BEFORE the box; the box is then sold as a split pack of `units` units;
// - undo card: withdraws the board's last sale/split/no-code record of the open session;
// - no-code card: sells `qty` of a no-code-list item by its catalogue code, inside a session;
// - a short button press closes the open session.
// The ":" keeps every card outside what protocol/src/code classifyScan takes for a code, a
// prescription or an e-voucher, so a card can never be mistaken for one.

export const CARD_PREFIX = "VTCARD:";

export function splitCard(units: number): string {
  return CARD_PREFIX + "SPLIT:" + units;
}

export const UNDO_CARD = CARD_PREFIX + "UNDO";

export function noCodeCard(catalogue: string, qty: number): string {
  return CARD_PREFIX + "NOCODE:" + catalogue + ":" + qty;
}

/** How long a "short" press is held: well above the 50 ms debounce, well below a long press. */
export const CLOSE_PRESS_MS = 150;

/** Reader line endings seen in the field; each board's reader is set to one of them. */
export const READER_SUFFIXES = ["\r", "\n", "\r\n"] as const;
