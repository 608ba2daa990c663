import fc from "fast-check";
import { encodeBatch, decodeDown, encodeAckFrame, encodeCommandFrame, batchProblem, batchBytes, MAX_FRAME_BYTES } from "../../../protocol/src/frame";
import { decodeBatch, encodeBatchNode, encodeAck, encodeCommand, nodeHashing } from "../../../protocol/src/node";
import { pureHashing, toHex } from "../../../protocol/src/crypto";
import { batchFrame, ackFrame, commandFrame } from "./arbitraries";

const key = new Uint8Array(32).map((_, i) => i * 7 + 1);
const keyFor = () => key;

describe("batch frames", () => {
  test("generated frames are valid", () => {
    fc.assert(fc.property(batchFrame, (f) => batchProblem(f) === null), { numRuns: 300 });
  });

  test("hand encoder and cbor-x encoder agree byte for byte", () => {
    fc.assert(
      fc.property(batchFrame, (f) => toHex(encodeBatch(f, key, pureHashing)) === toHex(encodeBatchNode(f, key, nodeHashing))),
      { numRuns: 300 },
    );
  });

  test("decodeBatch(encodeBatch(f)) deep-equals f", () => {
    fc.assert(
      fc.property(batchFrame, (f) => {
        const bytes = encodeBatch(f, key, pureHashing);
        fc.pre(bytes.length <= MAX_FRAME_BYTES);
        expect(bytes.length).toBe(batchBytes(f));
        const d = decodeBatch(bytes, keyFor, nodeHashing);
        if (!d.ok) throw new Error(d.reason + ": " + d.message);
        expect(d.value).toEqual(f);
      }),
      { numRuns: 300 },
    );
  });
});

describe("down frames", () => {
  test("acks: both encoders agree and decodeDown returns the ack", () => {
    fc.assert(
      fc.property(ackFrame, (a) => {
        const bytes = encodeAck(a, key, nodeHashing);
        expect(toHex(encodeAckFrame(a, key, pureHashing))).toBe(toHex(bytes));
        expect(decodeDown(bytes, key, pureHashing)).toEqual({ ok: true, value: { type: 2, ack: a } });
      }),
      { numRuns: 300 },
    );
  });

  test("commands: both encoders agree and decodeDown returns the command", () => {
    fc.assert(
      fc.property(commandFrame, (c) => {
        const bytes = encodeCommand(c, key, nodeHashing);
        expect(toHex(encodeCommandFrame(c, key, pureHashing))).toBe(toHex(bytes));
        fc.pre(bytes.length <= MAX_FRAME_BYTES);
        expect(decodeDown(bytes, key, pureHashing)).toEqual({ ok: true, value: { type: 3, command: c } });
      }),
      { numRuns: 300 },
    );
  });
});
