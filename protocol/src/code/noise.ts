// Cleanup of what readers add around the data: line endings (CR, LF, CRLF), padding, the
// AIM symbology identifier, and keyboard-wedge spellings of the GS separator.

/** Longest read worth parsing: a GS1 pack read twice stays far below this. */
export const MAX_READ_CHARS = 300;

/** The read without CR/LF, spaces, tabs or NULs at either end. */
export function trimRead(raw: string): string {
  const isPadding = (c: number) => c === 13 || c === 10 || c === 32 || c === 9 || c === 0;
  let from = 0;
  let to = raw.length;
  while (from < to && isPadding(raw.charCodeAt(from))) from++;
  while (to > from && isPadding(raw.charCodeAt(to - 1))) to--;
  return raw.slice(from, to);
}

// AIM identifiers whose data is a GS1 element string: DataMatrix, QR, Code 128, DataBar, DotCode.
// The GS1 symbologies' identifiers, "]d2 ]Q3 ]C1 ]e0 ]J1" run together: an identifier begins
// with "]", so it can only match at the start of one of them. One literal in code rather than
// a module-level array, which on the board would be variables for the whole run.
const GS1_SYMBOLOGIES = "]d2]Q3]C1]e0]J1";

export interface SymbologySplit {
  /** The AIM identifier ("]d2"...) the read started with, or "". */
  id: string;
  /** True when the identifier says the data is a GS1 element string. */
  gs1: boolean;
  /** The data after the identifier. */
  text: string;
}

/** Splits off a leading AIM symbology identifier: "]" + letter + digit. */
export function stripSymbology(text: string): SymbologySplit {
  const l = text.charCodeAt(1) | 32; // a letter in either case, folded to lowercase
  if (text.length >= 3 && text.charAt(0) === "]" && l >= 97 && l <= 122) {
    const d = text.charCodeAt(2);
    if (d >= 48 && d <= 57) {
      const id = text.slice(0, 3);
      return { id: id, gs1: GS1_SYMBOLOGIES.indexOf(id) >= 0, text: text.slice(3) };
    }
  }
  return { id: "", gs1: false, text: text };
}

// What keyboard-wedge readers type instead of GS when the layout cannot send 0x1D. A single
// remapped character ("/") or Alt+0029 typed as "0029" is found by the GS1 parser instead.

/** True when the read holds a literal keyboard-wedge spelling of GS. */
export function hasWedgeGs(text: string): boolean {
  for (const spelling of ["<GS>", "[GS]", "{GS}", "<gs>", "^]"]) {
    if (text.indexOf(spelling) >= 0) return true;
  }
  return false;
}
