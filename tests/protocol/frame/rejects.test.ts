import { encodeBatch, decodeDown, encodeAckFrame, encodeCommandFrame, fitRecords, batchBytes, recordProblem, MAX_FRAME_BYTES } from "../../../protocol/src/frame";
import type { BatchFrame, FrameRejectReason } from "../../../protocol/src/frame";
import { decodeBatch, nodeHashing } from "../../../protocol/src/node";
import { pureHashing } from "../../../protocol/src/crypto";
import { batchTree, ackTree, commandTree } from "../../../protocol/src/frame/layout";
import type { Item } from "../../../protocol/src/cbor/item";
import type { ScanRecord } from "../../../protocol/src/record";
import { dispenseFrame100 } from "./arbitraries";
import { KEY, reseal, sealTree } from "./helpers";

const keyFor = (d: string) => (d === "clinic-0042" ? KEY : null);
const batch = (bytes: Uint8Array) => decodeBatch(bytes, keyFor, nodeHashing);
const down = (bytes: Uint8Array) => decodeDown(bytes, KEY, pureHashing);
const reasonOf = (r: { ok: boolean; reason?: FrameRejectReason }) => (r.ok ? "accepted" : r.reason);

const frame = dispenseFrame100(1);
const good = encodeBatch(frame, KEY, pureHashing);

function editedBatch(edit: (t: Item[]) => void, f: BatchFrame = frame): Uint8Array {
  const t = batchTree(f);
  edit(t);
  return sealTree(t);
}

describe("decodeBatch rejects with a reason", () => {
  test("size and framing", () => {
    expect(reasonOf(batch(new Uint8Array(0)))).toBe("empty");
    expect(reasonOf(batch(new Uint8Array(MAX_FRAME_BYTES + 1)))).toBe("too-large");
    expect(reasonOf(batch(good.subarray(0, 10)))).toBe("truncated");
    expect(reasonOf(batch(good.subarray(0, good.length - 5)))).toBe("truncated");
    expect(reasonOf(batch(new Uint8Array(40).fill(0xff)))).toBe("not-cbor");
    expect(reasonOf(batch(null as unknown as Uint8Array))).toBe("bad-structure");
  });

  test("version, type, CRC, device, tag", () => {
    expect(reasonOf(batch(editedBatch((t) => (t[0] = 2))))).toBe("bad-version");
    expect(reasonOf(batch(encodeAckFrame({ device: "clinic-0042", upto: 1, time: 2 }, KEY, pureHashing)))).toBe("bad-type");
    const flipped = good.slice();
    flipped[5] ^= 0x01;
    expect(reasonOf(batch(flipped))).toBe("bad-crc");
    expect(reasonOf(batch(editedBatch((t) => (t[2] = "clinic-9999"))))).toBe("unknown-device");
    expect(reasonOf(decodeBatch(good, () => new Uint8Array(32), nodeHashing))).toBe("bad-tag");
    expect(reasonOf(decodeBatch(good, () => { throw new Error("store down"); }, nodeHashing))).toBe("bad-structure");
  });

  test("records that are not valid for their kind", () => {
    const split: ScanRecord = { seq: 9, time: 100, trusted: true, boot: 1, uptime: 50, event: 3, session: 0, code: "81234567890123456789", units: 2, perPack: 10 };
    const f: BatchFrame = { device: "clinic-0042", boot: 1, uptime: 60, time: 110, trusted: true, records: [split] };
    expect(reasonOf(batch(encodeBatch(f, KEY, pureHashing)))).toBe("accepted");
    const withUnits = (u: number) => editedBatch((t) => (((t[8] as Item[])[0] as Item[])[4] = u), f);
    expect(reasonOf(batch(withUnits(11)))).toBe("bad-record"); // more units than the pack holds
    expect(reasonOf(batch(withUnits(0)))).toBe("bad-record");
    expect(reasonOf(batch(editedBatch((t) => ((t[8] as Item[])[0] as Item[]).push(1), f)))).toBe("bad-record");
    expect(reasonOf(batch(editedBatch((t) => (((t[8] as Item[])[0] as Item[])[3] = new Uint8Array(8).fill(0xff)), f)))).toBe("bad-record");
    expect(reasonOf(batch(editedBatch((t) => (t[7] = 0), f)))).toBe("bad-structure");
  });

  test("non-canonical spellings of a valid frame", () => {
    // the code as text although it packs: decodes to the same frame, but is not canonical
    const r = frame.records[1];
    const asText = editedBatch((t) => (((t[8] as Item[])[1] as Item[])[3] = r.code!));
    expect(reasonOf(batch(asText))).toBe("bad-structure");
    // a non-shortest integer head (0x18 0x01 instead of 0x01) for the version
    const spliced = new Uint8Array(good.length + 1);
    spliced[0] = good[0];
    spliced[1] = 0x18;
    spliced.set(good.subarray(1), 2);
    expect(reasonOf(batch(reseal(spliced)))).toBe("bad-structure");
  });
});

describe("decodeDown rejects with a reason", () => {
  const ack = { device: "clinic-0042", upto: 77, time: 1751328000 };
  test("framing and seal", () => {
    const bytes = encodeAckFrame(ack, KEY, pureHashing);
    expect(reasonOf(down(new Uint8Array(0)))).toBe("empty");
    expect(reasonOf(down(bytes.subarray(0, bytes.length - 1)))).toBe("truncated");
    expect(reasonOf(down(good))).toBe("bad-type");
    expect(reasonOf(decodeDown(bytes, new Uint8Array(32), pureHashing))).toBe("bad-tag");
    const flipped = bytes.slice();
    flipped[4] ^= 0x20;
    expect(reasonOf(down(flipped))).toBe("bad-crc");
  });
  test("fields", () => {
    const t = ackTree(ack);
    t[3] = -1;
    expect(reasonOf(down(sealTree(t)))).toBe("bad-structure");
    const c = commandTree({ device: "clinic-0042", id: 5, config: { batchMax: 10 } });
    ((c[4] as { vals: Item[] }).vals[0] as { vals: Item[] }).vals[0] = 999; // batchMax above the limit
    expect(reasonOf(down(sealTree(c)))).toBe("bad-structure");
    const unknownKey = commandTree({ device: "clinic-0042", id: 5 });
    (unknownKey[4] as { keys: number[]; vals: Item[] }).keys.push(9);
    (unknownKey[4] as { keys: number[]; vals: Item[] }).vals.push(1);
    expect(reasonOf(down(sealTree(unknownKey)))).toBe("bad-structure");
    expect(reasonOf(down(encodeCommandFrame({ device: "clinic-0042", id: 5, warn: [] }, KEY, pureHashing)))).toBe("accepted");
  });
});

describe("recordProblem", () => {
  const base: ScanRecord = { seq: 10, time: 1, trusted: false, boot: 1, uptime: 1, event: 2, session: 0, code: "81234567890123456789" };
  test.each([
    ["session after the record", { session: 11 }],
    ["unknown event", { event: 9 }],
    ["missing code", { code: undefined }],
    ["field of another kind", { units: 1 }],
    ["expiry not 6 digits", { expiry: "2712" }],
    ["non-ASCII code", { code: "8123\u00e9" }],
    ["fractional time", { time: 1.5 }],
    ["undo of a later record", { event: 4, code: undefined, ref: 10 }],
    ["voucher open without patient", { event: 1, code: undefined, openBy: 1 }],
  ])("%s", (_, patch) => {
    expect(recordProblem({ ...base, ...(patch as object) } as ScanRecord)).not.toBeNull();
  });
  test("a valid record has no problem", () => expect(recordProblem(base)).toBeNull());
});

describe("frame sizing", () => {
  test("fitRecords is exact: the prefix fits, one more does not", () => {
    for (const limit of [100, 300, 777, 1500]) {
      const n = fitRecords(frame, limit);
      const prefix = (k: number) => ({ ...frame, records: frame.records.slice(0, k) });
      expect(batchBytes(prefix(n))).toBeLessThanOrEqual(limit);
      expect(encodeBatch(prefix(n), KEY, pureHashing).length).toBe(batchBytes(prefix(n)));
      if (n < frame.records.length) expect(batchBytes(prefix(n + 1))).toBeGreaterThan(limit);
    }
    expect(fitRecords(frame)).toBe(100);
  });

  test("100 dispenses with 20-digit codes average <= 16 bytes per record, overhead included", () => {
    let total = 0;
    for (let seed = 1; seed <= 20; seed++) total += encodeBatch(dispenseFrame100(seed), KEY, pureHashing).length;
    expect(total / 20 / 100).toBeLessThanOrEqual(16);
  });
});
