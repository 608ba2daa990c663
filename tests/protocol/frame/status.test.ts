// The status frame: board and Node encoders agree, decodeUp returns what was sent, batch
// frames still pass through decodeUp, and each kind of bad status is refused with a reason.
import fc from "fast-check";
import { encodeBatch, encodeStatus, decodeDown, MAX_FRAME_BYTES } from "../../../protocol/src/frame";
import type { FrameRejectReason, StatusFrame } from "../../../protocol/src/frame";
import { decodeBatch, decodeUp, encodeStatusNode, nodeHashing } from "../../../protocol/src/node";
import { pureHashing, toHex } from "../../../protocol/src/crypto";
import { statusTree } from "../../../protocol/src/frame/layout";
import type { Item } from "../../../protocol/src/cbor/item";
import { batchFrame, statusFrame, dispenseFrame100 } from "./arbitraries";
import { KEY, sealTree } from "./helpers";

const keyFor = () => KEY;
const up = (b: Uint8Array) => decodeUp(b, keyFor, nodeHashing);
const reasonOf = (r: { ok: boolean; reason?: FrameRejectReason }) => (r.ok ? "accepted" : r.reason);

const status: StatusFrame = {
  device: "clinic-0042", boot: 9, uptime: 3600, time: 1751328000, trusted: false, firmware: "1.2.0+abc1234",
  board: "esp32", seqHead: 120, ackedUpto: 100, flashUsed: 4096, flashTotal: 65536, sessionOpen: true,
};

describe("status frames", () => {
  test("board and Node encoders agree byte for byte", () => {
    fc.assert(fc.property(statusFrame, (s) => toHex(encodeStatus(s, KEY, pureHashing)) === toHex(encodeStatusNode(s, KEY, nodeHashing))), { numRuns: 300 });
  });

  test("decodeUp(encodeStatus(s)) deep-equals s, memUsage absent stays absent", () => {
    fc.assert(
      fc.property(statusFrame, (s) => {
        const d = up(encodeStatus(s, KEY, pureHashing));
        if (!d.ok) throw new Error(d.reason + ": " + d.message);
        expect(d.value).toEqual({ type: 4, status: s });
        expect(d.value.type === 4 && "memUsage" in d.value.status).toBe(s.memUsage !== undefined);
      }),
      { numRuns: 300 },
    );
  });

  test("decodeUp returns batch frames exactly as decodeBatch does", () => {
    fc.assert(
      fc.property(batchFrame, (f) => {
        const bytes = encodeBatch(f, KEY, pureHashing);
        fc.pre(bytes.length <= MAX_FRAME_BYTES);
        const b = decodeBatch(bytes, keyFor, nodeHashing);
        expect(b.ok).toBe(true);
        expect(up(bytes)).toEqual({ ok: true, value: { type: 1, batch: b.ok ? b.value : null } });
      }),
      { numRuns: 100 },
    );
  });

  test("impossible numbers still decode: they are what an operator must see", () => {
    const odd = { ...status, ackedUpto: 500, seqHead: 3, flashUsed: 70000, flashTotal: 65536 };
    expect(up(encodeStatus(odd, KEY, pureHashing))).toEqual({ ok: true, value: { type: 4, status: odd } });
  });
});

describe("status frames are refused where they do not belong or are malformed", () => {
  const good = encodeStatus(status, KEY, pureHashing);
  const edited = (i: number, v: Item) => {
    const t = statusTree(status);
    t[i] = v;
    return sealTree(t);
  };

  test("only decodeUp takes them", () => {
    expect(reasonOf(decodeBatch(good, keyFor, nodeHashing))).toBe("bad-type");
    expect(reasonOf(decodeDown(good, KEY, pureHashing))).toBe("bad-type");
    expect(reasonOf(up(encodeBatch(dispenseFrame100(2), KEY, pureHashing)))).toBe("accepted");
  });

  test("seal and device", () => {
    const flipped = good.slice();
    flipped[12] ^= 0x04;
    expect(reasonOf(up(flipped))).toBe("bad-crc");
    expect(reasonOf(decodeUp(good, () => new Uint8Array(32), nodeHashing))).toBe("bad-tag");
    expect(reasonOf(decodeUp(good, () => null, nodeHashing))).toBe("unknown-device");
    expect(reasonOf(up(good.subarray(0, good.length - 3)))).toBe("truncated");
  });

  test.each([
    ["negative boot", 3, -1],
    ["fractional-free but too large uptime", 4, 0x100000000],
    ["trusted as a number", 6, 1],
    ["empty firmware", 7, ""],
    ["firmware over 40 characters", 7, "1".repeat(41)],
    ["firmware with a control character", 7, "1.0\n"],
    ["board with a slash", 8, "pi/co"],
    ["board over 16 characters", 8, "b".repeat(17)],
    ["seqHead as text", 9, "120"],
    ["flashTotal negative", 12, -5],
    ["memUsage as false", 13, false],
    ["sessionOpen null", 14, null],
  ])("%s", (_, i, v) => {
    expect(reasonOf(up(edited(i as number, v as Item)))).toBe("bad-structure");
  });

  test("wrong item count", () => {
    const t = statusTree(status);
    t.splice(13, 1); // memUsage left out instead of null
    expect(reasonOf(up(sealTree(t)))).toBe("bad-structure");
  });
});
