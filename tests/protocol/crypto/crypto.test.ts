import { createHash, createHmac, randomBytes } from "node:crypto";
import * as zlib from "node:zlib";
import { crc32, sha256, hmacSha256, bytesEqual, toHex, fromHex, bytesFromString, stringFromBytes, pureHashing } from "../../../protocol/src/crypto";
import { nodeHashing } from "../../../protocol/src/node";
import { mqttPassword } from "../../../protocol/src/auth";

const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

describe("crc32", () => {
  test("standard check value", () => {
    expect(crc32(ascii("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
  test("matches zlib on random inputs", () => {
    const zcrc = (zlib as unknown as { crc32: (b: Uint8Array) => number }).crc32;
    for (let n = 0; n < 300; n += 7) {
      const b = new Uint8Array(randomBytes(n));
      expect(crc32(b)).toBe(zcrc(b) >>> 0);
      expect(nodeHashing.crc32(b)).toBe(crc32(b));
    }
  });
});

describe("sha256", () => {
  test("FIPS 180-4 examples", () => {
    expect(toHex(sha256(ascii("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(sha256(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  test("matches node:crypto across padding boundaries and longer inputs", () => {
    const lengths = [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096];
    for (const n of lengths) {
      const b = new Uint8Array(randomBytes(n));
      const want = createHash("sha256").update(b).digest("hex");
      expect(toHex(sha256(b))).toBe(want);
      expect(toHex(nodeHashing.sha256(b))).toBe(want);
    }
  });
});

// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (case 5 is about truncation to 128 bits).
const RFC4231: [string, string, string][] = [
  ["0b".repeat(20), toHex(ascii("Hi There")), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
  [toHex(ascii("Jefe")), toHex(ascii("what do ya want for nothing?")), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
  ["aa".repeat(20), "dd".repeat(50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
  ["0102030405060708090a0b0c0d0e0f10111213141516171819", "cd".repeat(50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
  ["aa".repeat(131), toHex(ascii("Test Using Larger Than Block-Size Key - Hash Key First")), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"],
  [
    "aa".repeat(131),
    toHex(ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")),
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  ],
];

describe("hmacSha256", () => {
  test.each(RFC4231)("RFC 4231 key %#", (key, msg, want) => {
    expect(toHex(hmacSha256(sha256, fromHex(key)!, fromHex(msg)!))).toBe(want);
    expect(toHex(hmacSha256(nodeHashing.sha256, fromHex(key)!, fromHex(msg)!))).toBe(want);
  });
  test("matches node:crypto for random keys and messages", () => {
    for (let i = 0; i < 50; i++) {
      const key = new Uint8Array(randomBytes(i * 3));
      const msg = new Uint8Array(randomBytes(i * 17));
      expect(toHex(hmacSha256(sha256, key, msg))).toBe(createHmac("sha256", key).update(msg).digest("hex"));
    }
  });
});

describe("byte helpers", () => {
  test("hex round trip, either case in, lowercase out", () => {
    expect(toHex(fromHex("00FFa5")!)).toBe("00ffa5");
    expect(fromHex("abc")).toBeNull();
    expect(fromHex("zz")).toBeNull();
    expect(fromHex("")).toEqual(new Uint8Array(0));
  });
  test("byte strings keep every byte value", () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(bytesFromString(stringFromBytes(all))).toEqual(all);
    expect(bytesFromString("\u0141")).toEqual(new Uint8Array([0x41])); // low 8 bits only
  });
  test("bytesEqual", () => {
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });
});

describe("mqttPassword", () => {
  test("is hex HMAC-SHA256(secret, 'mqtt:' + device) on both hashing implementations", () => {
    const secret = new Uint8Array(randomBytes(32));
    const want = createHmac("sha256", secret).update("mqtt:clinic-007").digest("hex");
    expect(mqttPassword("clinic-007", secret, pureHashing)).toBe(want);
    expect(mqttPassword("clinic-007", secret, nodeHashing)).toBe(want);
  });
});
