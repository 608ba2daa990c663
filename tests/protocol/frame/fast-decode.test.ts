// The strict canonical batch reader (protocol/src/node/fast-batch.ts) behind decodeBatch and
// decodeUp against the full path it short-cuts (cbor-x, item tree, validation, re-encoding):
// on random valid frames, on random byte mutations (half sealed again so they reach the
// structural and record checks), on heads widened to a longer form, and on frames whose
// items are valid but spelled otherwise than the encoder spells them. Every input must give
// the same result: the same decoded value (key order included) or the same reason and message.
import fc from "fast-check";
import { encodeBatch, encodeStatus, MAX_FRAME_BYTES } from "../../../protocol/src/frame";
import type { BatchFrame, DecodeResult } from "../../../protocol/src/frame";
import type { Item } from "../../../protocol/src/cbor/item";
import { batchTree } from "../../../protocol/src/frame/layout";
import { decodeBatch, decodeBatchReference } from "../../../protocol/src/node/decode-batch";
import { decodeUp, decodeUpReference } from "../../../protocol/src/node/decode-up";
import { readCanonicalBatch } from "../../../protocol/src/node/fast-batch";
import { nodeHashing } from "../../../protocol/src/node";
import { pureHashing, toHex } from "../../../protocol/src/crypto";
import { batchFrame, dispenseFrame100, statusFrame } from "./arbitraries";
import { KEY, mutations, reseal, sealTree, seededInts } from "./helpers";

const rnd = seededInts(0x2545f491);

const OTHER_KEY = new Uint8Array(32).fill(7);
/** Most devices known with the right key; some unknown, some with another key (bad-tag). */
function keyFor(d: string): Uint8Array | null {
  const k = d.charCodeAt(0) % 7;
  return k === 0 ? null : k === 1 ? OTHER_KEY : KEY;
}

function same(a: DecodeResult<unknown>, b: DecodeResult<unknown>, input: Uint8Array): void {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja !== jb) throw new Error("decoders disagree on " + toHex(input) + ":\n fast " + ja + "\n full " + jb);
  expect(a).toStrictEqual(b);
}

const counts: Record<string, number> = {};
function check(input: Uint8Array): void {
  const fast = decodeBatch(input, keyFor, nodeHashing);
  same(fast, decodeBatchReference(input, keyFor, nodeHashing), input);
  same(decodeUp(input, keyFor, nodeHashing), decodeUpReference(input, keyFor, nodeHashing), input);
  const k = fast.ok ? "accepted" : fast.reason;
  counts[k] = (counts[k] ?? 0) + 1;
}

function mutate(src: Uint8Array): Uint8Array {
  let b: Uint8Array = src.slice();
  const kind = rnd(7);
  if (kind === 0) b = mutations.flipBits(b, rnd);
  else if (kind === 1) b = mutations.truncate(b, rnd);
  else if (kind === 2) b = mutations.insert(b, rnd);
  else if (kind === 3) b = mutations.remove(b, rnd);
  else if (kind === 4) {
    // a head with its argument inline, spelled with a following byte instead (not shortest)
    const at = 3 + rnd(Math.max(1, b.length - 25));
    const v = b[at];
    if ((v & 31) < 24 && v >> 5 <= 4) b = new Uint8Array([...b.subarray(0, at), (v & 0xe0) | 24, v & 31, ...b.subarray(at + 1)]);
    else b[at] = rnd(256);
  } else if (kind === 5) b = mutations.overwrite(b, rnd);
  else b[3 + rnd(Math.max(1, b.length - 3))] = [0xf6, 0xf4, 0xf5, 0xf7, 0x9f, 0xff, 0x1b, 0x5f, 0x7f, 0xc0, 0xf9][rnd(11)];
  return rnd(3) > 0 ? reseal(b) : b;
}

/** The frame's item tree with one record spelled otherwise than the encoder would, sealed. */
function respelled(f: BatchFrame): Uint8Array | null {
  if (f.records.length === 0) return null;
  const tree = batchTree(f);
  const recs = tree[8] as Item[][];
  const i = rnd(recs.length);
  const r = recs[i];
  const prevSession = i === 0 ? 0 : f.records[i - 1].session;
  const kind = rnd(4);
  if (kind === 0 && (r[0] as number) < 12) {
    // the clock given explicitly although it follows
    r[0] = (r[0] as number) + 12;
    r.splice(3, 0, f.records[i].boot, f.records[i].uptime);
  } else if (kind === 1 && r[2] === 0) {
    // the session given as a reference (or as "none") although it is the previous one
    r[2] = prevSession === 0 ? 1 : f.records[i].seq - prevSession + 2;
  } else if (kind === 2 && f.records[i].code !== undefined) {
    // a packed code as text, or a text code as an 8-byte array of something
    const ci = (r[0] as number) >= 12 ? 5 : 3;
    r[ci] = typeof r[ci] === "string" ? new Uint8Array(8).map(() => rnd(256)) : (f.records[i].code as string);
  } else {
    // one more item, or a trailing null
    r.push(rnd(2) === 0 ? null : rnd(1000));
  }
  return sealTree(tree);
}

test("the strict reader reads every valid frame the encoder makes, to the same value", () => {
  const frames = fc.sample(batchFrame, { numRuns: 300, seed: 11 }).concat([dispenseFrame100(5), dispenseFrame100(6)]);
  let read = 0;
  for (const f of frames) {
    const bytes = encodeBatch(f, KEY, pureHashing);
    if (bytes.length > MAX_FRAME_BYTES) continue;
    const v = readCanonicalBatch(bytes);
    expect(v).not.toBeNull();
    const full = decodeBatchReference(bytes, () => KEY, nodeHashing);
    expect(full.ok).toBe(true);
    if (full.ok) expect(JSON.stringify(v)).toBe(JSON.stringify(full.value));
    read++;
  }
  expect(read).toBeGreaterThan(250);
});

test("decodeBatch and decodeUp agree with the full path on valid, mutated and respelled frames", () => {
  const frames = fc.sample(batchFrame, { numRuns: 120, seed: 23 }).concat([dispenseFrame100(7)]);
  const bases = frames.map((f) => encodeBatch(f, KEY, pureHashing)).filter((b) => b.length <= MAX_FRAME_BYTES);
  const statuses = fc.sample(statusFrame, { numRuns: 20, seed: 5 }).map((s) => encodeStatus(s, KEY, pureHashing));
  for (const b of bases) check(b);
  for (const s of statuses) check(s);
  for (let i = 0; i < 20000; i++) check(mutate(bases[rnd(bases.length)]));
  for (let i = 0; i < 1000; i++) check(mutate(statuses[rnd(statuses.length)]));
  for (let i = 0; i < 3000; i++) {
    const b = respelled(frames[rnd(frames.length)]);
    if (b !== null && b.length <= MAX_FRAME_BYTES) check(b);
  }
  // the comparison reached every outcome that matters
  for (const k of ["accepted", "truncated", "not-cbor", "bad-structure", "bad-crc", "bad-tag", "unknown-device", "bad-record", "bad-type"]) expect(counts[k]).toBeGreaterThan(0);
});

test("inputs that are not frames at all get the same answer", () => {
  const odd: unknown[] = [new Uint8Array(0), new Uint8Array(5000), new Uint8Array(26), new Uint8Array([0x8b, 1, 1]), "text", null, [1, 2, 3]];
  for (const x of odd) {
    expect(decodeBatch(x as Uint8Array, keyFor, nodeHashing)).toStrictEqual(decodeBatchReference(x as Uint8Array, keyFor, nodeHashing));
    expect(decodeUp(x as Uint8Array, keyFor, nodeHashing)).toStrictEqual(decodeUpReference(x as Uint8Array, keyFor, nodeHashing));
  }
});

test("packed codes at the edges of their digit counts read as the full path reads them", () => {
  const f = dispenseFrame100(9);
  const tree = batchTree({ ...f, records: f.records.slice(0, 3) });
  const recs = tree[8] as Item[][];
  const be = (hex: string) => new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  // 10^19 - 1, 10^19, 2^64 - 1, 0, 1, 10^10 - 1, 10^10, 2^32
  const cn = ["8ac7230489e7ffff", "8ac7230489e80000", "ffffffffffffffff", "0000000000000000", "0000000000000001", "00000002540be3ff", "00000002540be400", "0000000100000000"];
  // 10^14 - 1, 10^14, 2^48 - 1, 0, 10^10
  const gt = ["5af3107a3fff", "5af3107a4000", "ffffffffffff", "000000000000", "0002540be400"];
  let accepted = 0;
  for (const hex of cn.concat(gt)) {
    recs[1][3] = hex.length === 16 ? be(hex) : [be(hex), "SN1"];
    const bytes = sealTree(tree);
    const full = decodeBatchReference(bytes, () => KEY, nodeHashing);
    same(decodeBatch(bytes, () => KEY, nodeHashing), full, bytes);
    if (full.ok) accepted++;
  }
  expect(accepted).toBe(9);
});
