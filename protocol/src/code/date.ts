// GS1 dates (AI 17 expiry): YYMMDD, read as 20YY; day 00 means the last day of the month.
import { digitsValue, isDigits } from "./chars";

/** True when s is a real YYMMDD date (day 00 allowed). */
export function isGs1Date(s: string): boolean {
  if (s.length !== 6 || !isDigits(s)) return false;
  const month = digitsValue(s, 2, 4);
  if (month < 1 || month > 12) return false;
  const year = 2000 + digitsValue(s, 0, 2);
  const days =
    month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return digitsValue(s, 4, 6) <= days;
}
