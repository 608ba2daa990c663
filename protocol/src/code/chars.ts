// Character tests shared by the code parsers. They walk char codes instead of using regexes
// with counted quantifiers, which Espruino 2v29 silently never matches.

/** The GS1 group separator (FNC1 as transmitted by a reader), 0x1D. */
export const GS = String.fromCharCode(29);

/** True when s is non-empty and every character is 0-9. */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Value of the digits s[from..to); callers pass at most a few digits, so it stays exact. */
export function digitsValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/** Printable ASCII (0x20-0x7E) or GS: everything a scanner legitimately sends inside a read. */
export function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 || c > 126) && c !== 29) return false;
  }
  return true;
}

// GS1 character set 82 is printable ASCII without space and these.
const OUTSIDE_CSET82 = "#$@[\\]^`{|}~";

/** True when s (absent counts as fine) uses only GS1 character set 82, as AI 10 and 21 must. */
export function isCset82(s: string | undefined): boolean {
  if (s === undefined) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126 || OUTSIDE_CSET82.indexOf(s.charAt(i)) >= 0) return false;
  }
  return true;
}
