// Character tests shared by the code parsers. They walk char codes instead of using regexes
// with counted quantifiers, which Espruino 2v29 silently never matches.
import { charsIn } from "../frame/text";

/** The GS1 group separator (FNC1 as transmitted by a reader), 0x1D. */
export const GS = String.fromCharCode(29);

/** True when s is non-empty and every character is 0-9. */
export function isDigits(s: string): boolean {
  return charsIn(s, 1, s.length, "09");
}

/** Value of the digits s[from..to); callers pass at most a few digits, so it stays exact. */
export function digitsValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/** Printable ASCII (0x20-0x7E) or GS: everything a scanner legitimately sends inside a read. */
export function isPrintable(s: string): boolean {
  return charsIn(s, 0, s.length, " ~" + GS + GS);
}

/**
 * True when s (absent counts as fine) uses only GS1 character set 82, as AI 10 and 21 must:
 * printable ASCII without space and #$@[\]^`{|}~, as ranges ! to ", % to ?, A to Z, _, a to z.
 */
export function isCset82(s: string | undefined): boolean {
  return s === undefined || charsIn(s, 0, s.length, '!"%?AZ__az');
}
