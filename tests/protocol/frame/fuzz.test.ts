// 100,000 random and mutated frames at both decoders: none may throw, every one must be
// rejected with a known reason, and anything accepted must be exactly a canonical frame
// (re-encoding what was decoded gives the same bytes). Half the mutants are sealed again
// with a valid CRC and tag, so they reach the structural and record checks.
import fc from "fast-check";
import { encodeBatch, decodeDown, encodeAckFrame, encodeCommandFrame, MAX_FRAME_BYTES } from "../../../protocol/src/frame";
import type { DecodeResult, FrameRejectReason } from "../../../protocol/src/frame";
import { decodeBatch, nodeHashing } from "../../../protocol/src/node";
import { pureHashing, toHex } from "../../../protocol/src/crypto";
import { batchFrame, ackFrame, commandFrame, dispenseFrame100 } from "./arbitraries";
import { KEY, mutations, reseal, seededInts } from "./helpers";

const REASONS: FrameRejectReason[] = ["empty", "too-large", "truncated", "not-cbor", "bad-structure", "bad-version", "bad-type", "bad-crc", "bad-tag", "unknown-device", "bad-record", "not-contiguous"];
const ITERATIONS = 50000; // per decoder

const rnd = seededInts(0x9e3779b9);

function mutate(src: Uint8Array): Uint8Array {
  let b: Uint8Array = src.slice();
  const kind = rnd(7);
  if (kind === 0) b = mutations.flipBits(b, rnd);
  else if (kind === 1) b = mutations.truncate(b, rnd);
  else if (kind === 2) b = mutations.insert(b, rnd);
  else if (kind === 3) b = mutations.remove(b, rnd);
  else if (kind === 4) {
    // swap two equal-length spans (field swaps)
    const len = 1 + rnd(6);
    const i = rnd(Math.max(1, b.length - len));
    const j = rnd(Math.max(1, b.length - len));
    const t = b.slice(i, i + len);
    b.copyWithin(i, j, j + len);
    b.set(t.subarray(0, Math.max(0, Math.min(len, b.length - j))), j);
  } else if (kind === 5) b = mutations.overwrite(b, rnd);
  else b = new Uint8Array(rnd(200)).map(() => rnd(256));
  return rnd(2) === 0 ? reseal(b) : b;
}

function run(bases: Uint8Array[], decode: (b: Uint8Array) => DecodeResult<unknown>, reencode: (v: unknown) => Uint8Array) {
  const seen: Record<string, number> = {};
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(bases[rnd(bases.length)]);
    let r: DecodeResult<unknown>;
    try {
      r = decode(input);
    } catch (e) {
      throw new Error("decoder threw on " + toHex(input) + ": " + e);
    }
    if (r.ok) {
      seen.accepted = (seen.accepted ?? 0) + 1;
      expect(toHex(reencode(r.value))).toBe(toHex(input));
    } else {
      if (!REASONS.includes(r.reason) || typeof r.message !== "string") throw new Error("unknown reason " + JSON.stringify(r));
      seen[r.reason] = (seen[r.reason] ?? 0) + 1;
    }
  }
  return seen;
}

test("decodeBatch survives 50,000 random and mutated frames", () => {
  const frames = fc.sample(batchFrame, { numRuns: 30, seed: 7 }).concat([dispenseFrame100(3)]);
  const bases = frames.map((f) => encodeBatch(f, KEY, pureHashing)).filter((b) => b.length <= MAX_FRAME_BYTES);
  const seen = run(bases, (b) => decodeBatch(b, (d) => (d.length > 0 ? KEY : null), nodeHashing), (v) => encodeBatch(v as never, KEY, pureHashing));
  for (const reason of ["truncated", "not-cbor", "bad-structure", "bad-crc", "bad-record"]) expect(seen[reason]).toBeGreaterThan(0);
});

test("decodeDown survives 50,000 random and mutated frames", () => {
  const acks = fc.sample(ackFrame, { numRuns: 15, seed: 8 }).map((a) => encodeAckFrame(a, KEY, pureHashing));
  const cmds = fc.sample(commandFrame, { numRuns: 15, seed: 9 }).map((c) => encodeCommandFrame(c, KEY, pureHashing));
  const seen = run(acks.concat(cmds), (b) => decodeDown(b, KEY, pureHashing), (v) => {
    const d = v as { type: number; ack: never; command: never };
    return d.type === 2 ? encodeAckFrame(d.ack, KEY, pureHashing) : encodeCommandFrame(d.command, KEY, pureHashing);
  });
  for (const reason of ["truncated", "not-cbor", "bad-structure", "bad-crc"]) expect(seen[reason]).toBeGreaterThan(0);
});
