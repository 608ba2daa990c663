import { parseCode } from "../../../protocol/src/code";
import { GS, GTIN_CN, GTIN_EXAMPLE, GTIN_STABILO, reasonOf } from "./vectors";

const KEY = "(01)" + GTIN_EXAMPLE + "(21)SN123";

describe("GS1 element strings", () => {
  test("the domain example parses to GTIN, serial, batch and expiry", () => {
    const r = parseCode("]d2" + "01" + GTIN_EXAMPLE + "17271231" + "10A1B2" + GS + "21SN123");
    expect(r).toEqual({
      ok: true,
      code: { kind: "gs1", key: KEY, product: GTIN_EXAMPLE, serial: "SN123", batch: "A1B2", expiry: "271231" },
    });
  });

  test("every spelling of one pack gives the same key", () => {
    const spellings = [
      "]d201" + GTIN_EXAMPLE + "17271231" + "10A1B2" + GS + "21SN123",
      "01" + GTIN_EXAMPLE + "17271231" + "10A1B2" + GS + "21SN123",
      GS + "01" + GTIN_EXAMPLE + "17271231" + "10A1B2" + GS + "21SN123",
      "]Q301" + GTIN_EXAMPLE + "17271231" + "10A1B2" + GS + "21SN123",
      "]C101" + GTIN_EXAMPLE + "17271231" + "10A1B2" + GS + "21SN123" + GS,
      "]d201" + GTIN_EXAMPLE + "21SN123" + GS + "17271231" + "10A1B2",
      "]d21727123101" + GTIN_EXAMPLE + "10A1B2" + GS + "21SN123",
      "(01)" + GTIN_EXAMPLE + "(17)271231(10)A1B2(21)SN123",
      "(01) " + GTIN_EXAMPLE + " (17) 271231 (10) A1B2 (21) SN123",
      "(21)SN123(01)" + GTIN_EXAMPLE,
    ];
    for (const s of spellings) {
      for (const ending of ["", "\r", "\n", "\r\n"]) {
        const r = parseCode(s + ending);
        expect([s, r.ok && r.code.key]).toEqual([s, KEY]);
      }
    }
  });

  test("AI order, GS after fixed-length fields and a trailing GS are all accepted", () => {
    const r = parseCode("]d201" + GTIN_STABILO + GS + "17260600" + GS + "10LOT-7/B" + GS + "21" + "0011223344556677");
    expect(r.ok && r.code).toMatchObject({ product: GTIN_STABILO, expiry: "260600", batch: "LOT-7/B", serial: "0011223344556677" });
  });

  test("unknown AIs are skipped by the predefined-length table or up to GS", () => {
    const s =
      "]d2" + "01" + GTIN_CN + "11250115" + "3103000250" + "4101234567890128" + "17280229" +
      "240ABC-12" + GS + "10B7" + GS + "7003250115120" + GS + "21XYZ987";
    const r = parseCode(s);
    expect(r.ok && r.code).toEqual({
      kind: "gs1", key: "(01)" + GTIN_CN + "(21)XYZ987", product: GTIN_CN, serial: "XYZ987", batch: "B7", expiry: "280229",
    });
    expect(reasonOf(parseCode("(01)" + GTIN_CN + "(11)250115(3103)000250(240)A(21)X"))).toBe("ok");
  });

  test("serial and batch may use all of GS1 character set 82, parentheses included", () => {
    const r = parseCode("]d201" + GTIN_EXAMPLE + "10!\"%&'()*+" + GS + "21,-./:;<=>?_z");
    expect(r.ok && [r.code.batch, r.code.serial]).toEqual(["!\"%&'()*+", ",-./:;<=>?_z"]);
  });

  test("characters outside set 82 in batch or serial are garbage", () => {
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "21SN#123"))).toBe("garbage");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "10A~" + GS + "21SN123"))).toBe("garbage");
  });

  test("a wrong GTIN check digit is bad-gtin-check", () => {
    expect(reasonOf(parseCode("]d20109506000134353" + "21SN123"))).toBe("bad-gtin-check");
    expect(reasonOf(parseCode("(01)09506000134353(21)SN123"))).toBe("bad-gtin-check");
    expect(reasonOf(parseCode("]d2010950600013435X" + "21SN123"))).toBe("bad-gtin-check");
  });

  test("expiry must be a real date; day 00 means end of month; 20YY leap years", () => {
    const withExpiry = (d: string) => reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "17" + d + "21SN123"));
    expect(withExpiry("271231")).toBe("ok");
    expect(withExpiry("270200")).toBe("ok");
    expect(withExpiry("280229")).toBe("ok"); // 2028 is a leap year
    expect(withExpiry("000229")).toBe("ok"); // 2000 is a leap year
    expect(withExpiry("270229")).toBe("bad-date");
    expect(withExpiry("271301")).toBe("bad-date");
    expect(withExpiry("270001")).toBe("bad-date");
    expect(withExpiry("270431")).toBe("bad-date");
    expect(withExpiry("27123A")).toBe("bad-date");
    expect(reasonOf(parseCode("(01)" + GTIN_EXAMPLE + "(17)271232(21)SN123"))).toBe("bad-date");
  });

  test("a pack without GTIN is missing-gtin, without serial missing-serial", () => {
    expect(reasonOf(parseCode("]d217271231" + "10A1B2" + GS + "21SN123"))).toBe("missing-gtin");
    expect(reasonOf(parseCode("(17)271231(21)SN123"))).toBe("missing-gtin");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "17271231" + "10A1B2"))).toBe("missing-serial");
    expect(reasonOf(parseCode("(01)" + GTIN_EXAMPLE + "(17)271231"))).toBe("missing-serial");
  });

  test("batch and serial are limited to 20 characters", () => {
    const twenty = "ABCDEFGHIJ0123456789";
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "10" + twenty + GS + "21" + twenty))).toBe("ok");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "10" + twenty + "X" + GS + "21SN1"))).toBe("field-too-long");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "21" + twenty + "X"))).toBe("field-too-long");
    expect(reasonOf(parseCode("(01)" + GTIN_EXAMPLE + "(21)" + twenty + "X"))).toBe("field-too-long");
  });

  test("a read cut in the middle of a field is truncated", () => {
    expect(reasonOf(parseCode("]d201095060001343"))).toBe("truncated");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "1727"))).toBe("truncated");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "21"))).toBe("truncated");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "1"))).toBe("truncated");
    expect(reasonOf(parseCode("]d2"))).toBe("truncated");
    expect(reasonOf(parseCode("(01)0950600013"))).toBe("truncated");
    expect(reasonOf(parseCode("(01)" + GTIN_EXAMPLE + "(21)"))).toBe("truncated");
  });

  test("printed fields of the wrong length and non-AI data are rejected", () => {
    expect(reasonOf(parseCode("(01)0950600013435(21)SN123"))).toBe("bad-length");
    expect(reasonOf(parseCode("(310)000250(01)" + GTIN_EXAMPLE + "(21)X"))).toBe("unknown-ai");
    expect(reasonOf(parseCode("]d201" + GTIN_EXAMPLE + "AB123"))).toBe("unknown-ai");
  });
});
