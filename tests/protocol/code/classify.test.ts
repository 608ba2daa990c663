import { classifyScan } from "../../../protocol/src/code";
import { CN20, GS, GTIN_EXAMPLE } from "./vectors";

const TOKEN = "dGhpcyBpcyBhIHZvdWNoZXIgdG9rZW4gZm9yIHRlc3Rz_-+/=";

describe("classifyScan", () => {
  test("a trace code is a code", () => {
    expect(classifyScan(CN20 + "\r\n")).toEqual({
      type: "code",
      code: { kind: "cn20", key: CN20, product: "8385793", serial: "0000879766660" },
    });
    const gs1 = classifyScan("]d201" + GTIN_EXAMPLE + "21SN123");
    expect(gs1.type === "code" && gs1.code.key).toBe("(01)" + GTIN_EXAMPLE + "(21)SN123");
  });

  test("an insurance e-voucher payload is a voucher, kept as read", () => {
    expect(classifyScan(TOKEN + "\r\n")).toEqual({ type: "voucher", token: TOKEN });
    expect(classifyScan("]Q1" + TOKEN)).toEqual({ type: "voucher", token: TOKEN });
    const min = "a".repeat(32);
    const max = "Z".repeat(128);
    expect(classifyScan(min).type).toBe("voucher");
    expect(classifyScan(max).type).toBe("voucher");
    expect(classifyScan(min.slice(1)).type).toBe("reject");
    expect(classifyScan(max + "Z").type).toBe("reject");
    expect(classifyScan("a".repeat(31) + "!").type).toBe("reject");
  });

  test("a voucher token may start like a GS1 AI", () => {
    const token = "01" + TOKEN;
    expect(classifyScan(token)).toEqual({ type: "voucher", token: token });
    expect(classifyScan("17" + TOKEN).type).toBe("voucher");
  });

  test("an all-digit string is never a voucher", () => {
    expect(classifyScan("1".repeat(40))).toMatchObject({ type: "reject", reason: "bad-length" });
  });

  test("a prescription number is rx", () => {
    expect(classifyScan("RX20250701-0001\n")).toEqual({ type: "rx", rx: "RX20250701-0001" });
    expect(classifyScan("RX123456")).toEqual({ type: "rx", rx: "RX123456" });
    expect(classifyScan("RX" + "A".repeat(30)).type).toBe("rx"); // 32 chars: rx wins over voucher
    expect(classifyScan("RX12345").type).toBe("reject");
    expect(classifyScan("RX" + "A".repeat(31)).type).toBe("voucher");
    expect(classifyScan("rx123456").type).toBe("reject");
    expect(classifyScan("RX12 3456").type).toBe("reject");
  });

  test("a code-like read with a code problem stays a rejection, never a voucher", () => {
    const lostGs = "1727123101" + GTIN_EXAMPLE + "10A1B2/21SN123456789";
    expect(lostGs.length).toBeGreaterThanOrEqual(32);
    expect(classifyScan(lostGs)).toMatchObject({ type: "reject", reason: "lost-separator" });
    expect(classifyScan("6901234567892")).toEqual({
      type: "reject", reason: "retail-ean13", message: "Retail barcode, not a trace code",
    });
    expect(classifyScan("]d201" + GTIN_EXAMPLE + "10ABCDEFGH" + GS)).toMatchObject({ type: "reject", reason: "missing-serial" });
  });

  test("anything else is rejected as not-a-code", () => {
    expect(classifyScan("https://example.cn/pay?id=1")).toEqual({
      type: "reject", reason: "not-a-code", message: "Not a trace code",
    });
    expect(classifyScan("")).toMatchObject({ type: "reject", reason: "empty" });
  });
});
