// GS1 mod-10 check digit (GTIN-8/12/13/14, EAN, UPC): weights 3,1,3,... from the right,
// the rightmost digit being the check digit itself.
import { isDigits } from "./chars";

/** True when the last digit of a digit string is the mod-10 check digit of the others. */
export function hasValidCheckDigit(digits: string): boolean {
  if (digits.length < 2 || !isDigits(digits)) return false;
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 2; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

/** A GTIN-14 as carried by AI (01): 14 digits with a correct check digit. */
export function isValidGtin(s: string): boolean {
  return s.length === 14 && hasValidCheckDigit(s);
}
