// Reads made only of digits: the 20-digit Chinese trace code (leading 8, product = first 7
// digits, serial = last 13) and the numeric things a counter scanner meets instead of it.
// Its check algorithm is not public, so only length, digits and the leading 8 are checked.
import type { CodeResult, TraceCode } from "./types";
import { hasValidCheckDigit } from "./gtin";
import { reject, TRUNCATED, GARBAGE } from "./messages";

export const CN20_LENGTH = 20;
const CN20_PRODUCT_LENGTH = 7;

/** Parses a read of digits only (inner spaces already removed). */
export function parseDigits(d: string): CodeResult {
  const n = d.length;
  const lead8 = d.charAt(0) === "8";
  if (n === CN20_LENGTH) {
    if (!lead8) return reject("bad-prefix");
    const code: TraceCode = { kind: "cn20", key: d, product: d.slice(0, CN20_PRODUCT_LENGTH), serial: d.slice(CN20_PRODUCT_LENGTH) };
    return { ok: true, code: code };
  }
  // Cut short: a 20-digit code that lost its tail (this wins over an 8x EAN-13).
  if (lead8 && n >= 12 && n < CN20_LENGTH) return reject(TRUNCATED);
  if (n === 13 && d.charAt(0) === "6" && d.charAt(1) === "9") return reject("retail-ean13");
  // EAN-8, UPC-A, EAN-13 and ITF-14 product barcodes: identify a product, never one box.
  if ((n === 8 || n === 12 || n === 13 || n === 14) && hasValidCheckDigit(d)) return reject("retail-ean13");
  // Two different boxes in one line (equal halves are accepted earlier as one read).
  if (n === 2 * CN20_LENGTH && lead8 && d.charAt(CN20_LENGTH) === "8") return reject(GARBAGE, true);
  return reject("bad-length");
}
