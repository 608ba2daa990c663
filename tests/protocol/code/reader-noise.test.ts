import { parseCode, REJECT_MESSAGES } from "../../../protocol/src/code";
import { CN20, GS, GTIN_EXAMPLE, reasonOf } from "./vectors";

const PACK = "01" + GTIN_EXAMPLE + "17271231" + "10A1B2" + GS + "21SN123";

describe("reader noise", () => {
  test("CR, LF, CRLF, padding and NULs around a read are ignored", () => {
    for (const ending of ["\r", "\n", "\r\n", "\n\r", " ", "\t\r\n", "\x00"]) {
      expect(parseCode(CN20 + ending)).toEqual(parseCode(CN20));
      expect(parseCode("]d2" + PACK + ending)).toEqual(parseCode("]d2" + PACK));
    }
    expect(parseCode("\r\n" + CN20)).toEqual(parseCode(CN20));
  });

  test("empty and blank reads are empty", () => {
    for (const s of ["", "\r\n", "   ", "\n"]) expect(reasonOf(parseCode(s))).toBe("empty");
  });

  test("control bytes and non-ASCII bytes are garbage", () => {
    expect(reasonOf(parseCode("\x00\xff\x13\x80"))).toBe("garbage");
    expect(reasonOf(parseCode("8385793\x0700000879766660"))).toBe("garbage");
    expect(reasonOf(parseCode(CN20 + "\r\n" + CN20))).toBe("garbage"); // two lines in one read
    expect(reasonOf(parseCode("药品追溯码"))).toBe("garbage");
  });

  test("a non-GS1 symbology identifier is removed before parsing", () => {
    expect(parseCode("]C0" + CN20)).toEqual(parseCode(CN20));
    expect(reasonOf(parseCode("]E06901234567892"))).toBe("retail-ean13");
    expect(reasonOf(parseCode("]Q1https://example.cn/a"))).toBe("not-a-code");
  });

  test("anything else is not-a-code", () => {
    for (const s of ["https://weixin.qq.com/r/abc", "hello world", "ABC-123", "x".repeat(400), "RX123456"]) {
      expect([s, reasonOf(parseCode(s))]).toEqual([s, "not-a-code"]);
    }
  });

  test("bad input types never throw", () => {
    const anyParse = parseCode as (x: unknown) => ReturnType<typeof parseCode>;
    expect(reasonOf(anyParse(undefined))).toBe("empty");
    expect(reasonOf(anyParse(null))).toBe("empty");
    expect(reasonOf(anyParse(83857930000879766660))).toBe("garbage");
    expect(reasonOf(anyParse({}))).toBe("garbage");
  });
});

describe("lost GS separators", () => {
  const HEAD = "01" + GTIN_EXAMPLE + "17271231";
  const lost = (s: string) => reasonOf(parseCode(s));

  test("a dropped GS lets the batch swallow the serial", () => {
    expect(lost(HEAD + "10A1B221SN123")).toBe("lost-separator");
    expect(lost("]d2" + HEAD + "10A1B221SN123\r\n")).toBe("lost-separator");
    // and the serial swallow the batch when the serial comes first
    expect(lost("]d201" + GTIN_EXAMPLE + "17271231" + "21SN12310A1B2")).toBe("lost-separator");
    // and the batch swallow the expiry when the expiry comes last
    expect(lost("]d201" + GTIN_EXAMPLE + "10A1B217271231" + GS + "21SN123")).toBe("lost-separator");
  });

  test("keyboard-wedge spellings of GS are lost-separator", () => {
    for (const gs of ["/", "0029", "<GS>", "^]", "|", "[GS]"]) {
      expect([gs, lost(HEAD + "10A1B2" + gs + "21SN123")]).toEqual([gs, "lost-separator"]);
    }
    expect(lost("]d2" + HEAD + "10A1B2<GS>21SN123")).toBe("lost-separator");
  });

  test("the message tells the operator what to change", () => {
    const r = parseCode(HEAD + "10A1B221SN123");
    expect(r.ok ? "" : r.message).toMatch(/keep GS/);
  });

  test("lost-separator wins over the batch being too long", () => {
    expect(lost(HEAD + "10LOT2024A1B2C3D421SN1234567")).toBe("lost-separator");
  });

  test("'21' inside a batch is fine when the serial is there", () => {
    const r = parseCode("]d2" + HEAD + "10B21X" + GS + "21SN123");
    expect(r.ok && r.code.batch).toBe("B21X");
  });

  test("a batch without any serial-like tail stays missing-serial", () => {
    expect(lost(HEAD + "10A1B2")).toBe("missing-serial");
  });

  test("the printed form has explicit field boundaries: no lost-separator there", () => {
    const r = parseCode("(01)" + GTIN_EXAMPLE + "(21)SN10AB");
    expect(r.ok && r.code.serial).toBe("SN10AB");
  });
});

describe("doubled reads", () => {
  // The reader fired twice on one box: the same code, accepted once (same key, same box).
  test("the same 20-digit code twice in one line is that code", () => {
    expect(parseCode(CN20 + CN20)).toEqual(parseCode(CN20));
    expect(parseCode(CN20 + CN20 + "\r\n")).toEqual(parseCode(CN20));
  });

  test("the same GS1 pack twice with its identifier is that pack", () => {
    expect(parseCode("]d2" + PACK + "]d2" + PACK)).toEqual(parseCode("]d2" + PACK));
  });

  test("two different codes in one line are rejected", () => {
    const other = "83857930000879766661";
    const r = parseCode(CN20 + other);
    expect(r).toEqual({ ok: false, reason: "garbage", message: "Two codes in one read, scan one box" });
    const otherPack = PACK.replace("SN123", "SN124");
    expect(reasonOf(parseCode("]d2" + PACK + "]d2" + otherPack))).toBe("garbage");
    expect(reasonOf(parseCode("(01)" + GTIN_EXAMPLE + "(21)A(01)" + GTIN_EXAMPLE + "(21)B"))).toBe("garbage");
  });
});

describe("messages", () => {
  test("every rejection has a short ASCII message a board can display", () => {
    for (const [reason, message] of Object.entries(REJECT_MESSAGES)) {
      expect([reason, /^[\x20-\x7e]+$/.test(message) && message.length <= 40]).toEqual([reason, true]);
    }
  });
});
