// How a code travels inside a frame. The two canonical key shapes from code/parse are
// packed; anything else (no-code catalogue codes, manufacturers' own codes) goes as text.
//   cn20 "8" + 19 digits          -> bstr(8): the 19 digits as a 64-bit big-endian value
//   gs1  "(01)" gtin14 "(21)" sn  -> [bstr(6): the GTIN as 48-bit big-endian, tstr sn]
//   other                         -> tstr, as is
import type { Item } from "../cbor/item";
import { packDigits, unpackDigits } from "./digits";
import { charsIn, DIGITS, PRINTABLE } from "./text";

export const MAX_CODE_CHARS = 64;
export const MAX_GS1_SERIAL = 20;

/** A code that may travel in a frame: printable ASCII, 1..64 characters. */
export function isCode(code: unknown): boolean {
  return charsIn(code, 1, MAX_CODE_CHARS, PRINTABLE);
}

export function codeToItem(code: string): Item {
  // a 20-digit Chinese code starting with 8: 19 digits packed
  if (code.length === 20 && code.charCodeAt(0) === 56 && charsIn(code, 20, 20, DIGITS)) return packDigits(code.substring(1), 8);
  // a GS1 key "(01)<14 digits>(21)<serial>": GTIN packed, serial as text
  if (
    code.length > 22 &&
    code.substring(0, 4) === "(01)" &&
    charsIn(code.substring(4, 18), 14, 14, DIGITS) &&
    code.substring(18, 22) === "(21)" &&
    charsIn(code.substring(22), 1, MAX_GS1_SERIAL, PRINTABLE)
  )
    return [packDigits(code.substring(4, 18), 6), code.substring(22)];
  return code;
}

/** The code an item stands for; null when the item is not a code item. */
export function codeFromItem(v: Item): string | null {
  if (typeof v === "string") return isCode(v) ? v : null;
  if (v instanceof Uint8Array) {
    if (v.length !== 8) return null;
    const d = unpackDigits(v, 19);
    return d === null ? null : "8" + d;
  }
  if (Array.isArray(v) && v.length === 2 && v[0] instanceof Uint8Array && v[0].length === 6) {
    const gtin = unpackDigits(v[0], 14);
    const sn = v[1];
    if (gtin === null || !charsIn(sn, 1, MAX_GS1_SERIAL, PRINTABLE)) return null;
    return "(01)" + gtin + "(21)" + sn;
  }
  return null;
}
