// 20,000 random and mutated up frames (status and batch) at decodeUp: it never throws,
// every refusal has a known reason, and anything accepted is exactly a canonical frame.
import fc from "fast-check";
import { encodeBatch, encodeStatus, MAX_FRAME_BYTES } from "../../../protocol/src/frame";
import type { FrameRejectReason, UpFrame } from "../../../protocol/src/frame";
import { decodeUp, nodeHashing } from "../../../protocol/src/node";
import { pureHashing, toHex } from "../../../protocol/src/crypto";
import { batchFrame, statusFrame } from "./arbitraries";
import { KEY, mutations, reseal, seededInts } from "./helpers";

const REASONS: FrameRejectReason[] = ["empty", "too-large", "truncated", "not-cbor", "bad-structure", "bad-version", "bad-type", "bad-crc", "bad-tag", "unknown-device", "bad-record", "not-contiguous"];
const ITERATIONS = 20000;

const rnd = seededInts(0x2545f491);

function mutate(src: Uint8Array): Uint8Array {
  let b: Uint8Array = src.slice();
  const kind = rnd(5);
  if (kind === 0) b = mutations.flipBits(b, rnd);
  else if (kind === 1) b = mutations.truncate(b, rnd);
  else if (kind === 2) b = mutations.insert(b, rnd);
  else if (kind === 3) b = mutations.overwrite(b, rnd);
  else b = new Uint8Array(rnd(120)).map(() => rnd(256));
  return rnd(2) === 0 ? reseal(b) : b;
}

function reencode(v: UpFrame): Uint8Array {
  return v.type === 4 ? encodeStatus(v.status, KEY, pureHashing) : encodeBatch(v.batch, KEY, pureHashing);
}

test("decodeUp survives 20,000 random and mutated frames", () => {
  const statuses = fc.sample(statusFrame, { numRuns: 40, seed: 11 }).map((s) => encodeStatus(s, KEY, pureHashing));
  const batches = fc.sample(batchFrame, { numRuns: 10, seed: 12 }).map((f) => encodeBatch(f, KEY, pureHashing)).filter((b) => b.length <= MAX_FRAME_BYTES);
  const bases = statuses.concat(batches);
  const seen: Record<string, number> = {};
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(bases[rnd(bases.length)]);
    let r;
    try {
      r = decodeUp(input, (d) => (d.length > 0 ? KEY : null), nodeHashing);
    } catch (e) {
      throw new Error("decodeUp threw on " + toHex(input) + ": " + e);
    }
    if (r.ok) {
      seen["accepted " + r.value.type] = (seen["accepted " + r.value.type] ?? 0) + 1;
      expect(toHex(reencode(r.value))).toBe(toHex(input));
    } else {
      if (!REASONS.includes(r.reason) || typeof r.message !== "string") throw new Error("unknown reason " + JSON.stringify(r));
      seen[r.reason] = (seen[r.reason] ?? 0) + 1;
    }
  }
  // the mutants must reach every stage, including the status field checks behind the tag
  for (const reason of ["truncated", "not-cbor", "bad-structure", "bad-crc", "bad-type"]) expect(seen[reason]).toBeGreaterThan(0);
  expect(seen["accepted 4"]).toBeGreaterThan(0);
});
