// The board's short checks must refuse exactly what the gateway's worded checks refuse,
// and the board's down decoder (no re-encoding pass) must still refuse other spellings.
import fc from "fast-check";
import { recordFault, recordProblem, decodeDown, encodeCommandFrame } from "../../../protocol/src/frame";
import type { ScanRecord } from "../../../protocol/src/record";
import { pureHashing } from "../../../protocol/src/crypto";
import { getU32, putU32 } from "../../../protocol/src/crypto/bytes";
import { commandTree } from "../../../protocol/src/frame/layout";
import type { Item } from "../../../protocol/src/cbor/item";
import { batchFrame } from "./arbitraries";
import { KEY, sealTree } from "./helpers";

const base: ScanRecord = { seq: 10, time: 1, trusted: false, boot: 1, uptime: 1, event: 3, session: 0, code: "81234567890123456789", units: 2, perPack: 10 };
const patches = fc.record(
  {
    seq: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constant(1.5)),
    time: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant(0x100000000)),
    event: fc.integer({ min: 0, max: 7 }),
    session: fc.integer({ min: 0, max: 12 }),
    units: fc.integer({ min: 0, max: 12 }),
    perPack: fc.integer({ min: 0, max: 70000 }),
    ref: fc.integer({ min: 0, max: 12 }),
    expiry: fc.constantFrom("271231", "2712", "27123a"),
    openBy: fc.integer({ min: 0, max: 3 }),
    rx: fc.constantFrom("RX1", "", "x".repeat(41)),
  },
  { requiredKeys: [] },
);

test("recordFault and recordProblem agree on every record, valid or not", () => {
  fc.assert(
    fc.property(patches, (p) => {
      const r = { ...base, ...p } as ScanRecord;
      expect(recordFault(r) === null).toBe(recordProblem(r) === null);
    }),
    { numRuns: 2000 },
  );
  fc.assert(fc.property(batchFrame, (f) => f.records.every((r) => recordFault(r) === null)), { numRuns: 100 });
  expect(recordFault({ ...base, units: 11 })).toBe("bad units");
  expect(recordFault({ ...base, ref: 3 })).toBe("extra ref");
});

test("a warn code sent as text although it packs is refused", () => {
  const cmd = { device: "clinic-0042", id: 3, warn: ["81234567890123456789"] };
  expect(decodeDown(encodeCommandFrame(cmd, KEY, pureHashing), KEY, pureHashing).ok).toBe(true);
  const t = commandTree(cmd);
  ((t[4] as { vals: Item[] }).vals[0] as Item[])[0] = "81234567890123456789";
  const r = decodeDown(sealTree(t), KEY, pureHashing);
  expect(r.ok ? "accepted" : r.reason).toBe("bad-structure");
});

test("putU32 and getU32 are big-endian inverses", () => {
  const b = new Uint8Array(6);
  putU32(b, 1, 0xcbf43926);
  expect(Array.from(b)).toEqual([0, 0xcb, 0xf4, 0x39, 0x26, 0]);
  expect(getU32(b, 1)).toBe(0xcbf43926);
});
