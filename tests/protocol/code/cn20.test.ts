import { parseCode } from "../../../protocol/src/code";
import { CN20, CN20_PRINTED, reasonOf } from "./vectors";

describe("the 20-digit code", () => {
  test("parses product (first 7) and serial (last 13), key is the 20 digits", () => {
    const r = parseCode(CN20);
    expect(r).toEqual({
      ok: true,
      code: { kind: "cn20", key: CN20, product: "8385793", serial: "0000879766660" },
    });
  });

  test("printed spacing is removed when the digits make 20", () => {
    expect(parseCode(CN20_PRINTED)).toEqual(parseCode(CN20));
    expect(parseCode("8385793 000087 9766660")).toEqual(parseCode(CN20));
  });

  test("spaces are not removed when the result is not 20 digits", () => {
    expect(reasonOf(parseCode("8385793 000087976666"))).toBe("not-a-code");
    expect(reasonOf(parseCode("1234 5678"))).toBe("not-a-code");
  });

  test("20 digits without the leading 8 is bad-prefix", () => {
    expect(reasonOf(parseCode("73857930000879766660"))).toBe("bad-prefix");
    expect(reasonOf(parseCode("00000000000000000000"))).toBe("bad-prefix");
  });

  test("a code cut short (8 + 11..18 more digits) is truncated", () => {
    for (let n = 12; n < 20; n++) {
      expect(reasonOf(parseCode(CN20.slice(0, n)))).toBe("truncated");
    }
  });

  test("other numeric lengths are bad-length", () => {
    expect(reasonOf(parseCode("838579300008797666601"))).toBe("bad-length"); // 21 digits
    expect(reasonOf(parseCode("83857"))).toBe("bad-length");
    expect(reasonOf(parseCode("1234567890123456"))).toBe("bad-length");
    expect(reasonOf(parseCode("1234567890123"))).toBe("bad-length"); // 13 digits, wrong check digit
  });

  test("a retail EAN-13 starting with 69 is rejected with a clear message", () => {
    const r = parseCode("6901234567892");
    expect(r).toEqual({ ok: false, reason: "retail-ean13", message: "Retail barcode, not a trace code" });
    // 69-prefixed reads are retail even when the check digit was misread
    expect(reasonOf(parseCode("6901234567891"))).toBe("retail-ean13");
  });

  test("other EAN/UPC product barcodes are retail too", () => {
    expect(reasonOf(parseCode("4006381333931"))).toBe("retail-ean13"); // EAN-13
    expect(reasonOf(parseCode("012345678905"))).toBe("retail-ean13"); // UPC-A
    expect(reasonOf(parseCode("69012341"))).toBe("retail-ean13"); // EAN-8
    expect(reasonOf(parseCode("06901234567892"))).toBe("retail-ean13"); // ITF-14
  });

  test("a code is never read as a number: leading zeros and 20 digits stay exact", () => {
    const r = parseCode("89999999999999999999");
    expect(r.ok && r.code.key).toBe("89999999999999999999");
  });
});
