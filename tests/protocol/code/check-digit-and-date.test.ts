import { hasValidCheckDigit, isGs1Date, isValidGtin } from "../../../protocol/src/code";
import { GTIN_CN, GTIN_EXAMPLE, GTIN_STABILO } from "./vectors";

describe("mod-10 check digit", () => {
  test("accepts known-good GTIN-14s and rejects every other last digit", () => {
    for (const g of [GTIN_EXAMPLE, GTIN_STABILO, GTIN_CN, "00012345678905"]) {
      expect(isValidGtin(g)).toBe(true);
      for (let d = 0; d <= 9; d++) {
        const other = g.slice(0, 13) + d;
        if (other !== g) expect([other, isValidGtin(other)]).toEqual([other, false]);
      }
    }
  });

  test("GTINs must be exactly 14 digits", () => {
    expect(isValidGtin("4006381333931")).toBe(false);
    expect(isValidGtin("0" + GTIN_EXAMPLE)).toBe(false);
    expect(isValidGtin("0950600013435X")).toBe(false);
  });

  test("works for EAN-8/UPC-A/EAN-13 lengths", () => {
    expect(hasValidCheckDigit("69012341")).toBe(true);
    expect(hasValidCheckDigit("012345678905")).toBe(true);
    expect(hasValidCheckDigit("4006381333931")).toBe(true);
    expect(hasValidCheckDigit("4006381333932")).toBe(false);
    expect(hasValidCheckDigit("")).toBe(false);
  });
});

describe("GS1 dates", () => {
  test("month lengths, leap years as 20YY and day 00", () => {
    expect(isGs1Date("240229")).toBe(true);
    expect(isGs1Date("250229")).toBe(false);
    expect(isGs1Date("000229")).toBe(true); // 2000: divisible by 400
    expect(isGs1Date("250431")).toBe(false);
    expect(isGs1Date("250430")).toBe(true);
    expect(isGs1Date("251200")).toBe(true);
    expect(isGs1Date("250001")).toBe(false);
    expect(isGs1Date("251301")).toBe(false);
    expect(isGs1Date("25010")).toBe(false);
    expect(isGs1Date("2501011")).toBe(false);
    expect(isGs1Date("25-101")).toBe(false);
  });
});
