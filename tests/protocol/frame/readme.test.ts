// The hex examples in protocol/README.md must be exactly what the encoders produce, and
// must decode back to the example objects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeBatch, encodeAckFrame, encodeCommandFrame, encodeStatus, decodeDown } from "../../../protocol/src/frame";
import { decodeBatch, decodeUp, encodeAck, encodeCommand, encodeStatusNode, nodeHashing } from "../../../protocol/src/node";
import { pureHashing, toHex, fromHex } from "../../../protocol/src/crypto";
import { mqttPassword } from "../../../protocol/src/auth";
import { EXAMPLE_SECRET as K, EXAMPLE_BATCH, EXAMPLE_ACK, EXAMPLE_COMMAND, EXAMPLE_STATUS, EXAMPLE_DEVICE } from "./readme-examples";

const readme = readFileSync(join(__dirname, "../../../protocol/README.md"), "utf8");

function example(name: string): string {
  const m = new RegExp("<!-- example-hex:" + name + " -->\\s*```\\n([0-9a-f\\s]+)```").exec(readme);
  if (!m) throw new Error("README has no example " + name);
  return m[1].replace(/\s+/g, "");
}

test("batch example", () => {
  expect(toHex(encodeBatch(EXAMPLE_BATCH, K, pureHashing))).toBe(example("batch"));
  const d = decodeBatch(fromHex(example("batch"))!, (dev) => (dev === EXAMPLE_DEVICE ? K : null), nodeHashing);
  expect(d).toEqual({ ok: true, value: EXAMPLE_BATCH });
});

test("ack example", () => {
  expect(toHex(encodeAck(EXAMPLE_ACK, K, nodeHashing))).toBe(example("ack"));
  expect(toHex(encodeAckFrame(EXAMPLE_ACK, K, pureHashing))).toBe(example("ack"));
  expect(decodeDown(fromHex(example("ack"))!, K, pureHashing)).toEqual({ ok: true, value: { type: 2, ack: EXAMPLE_ACK } });
});

test("command example", () => {
  expect(toHex(encodeCommand(EXAMPLE_COMMAND, K, nodeHashing))).toBe(example("command"));
  expect(toHex(encodeCommandFrame(EXAMPLE_COMMAND, K, pureHashing))).toBe(example("command"));
  expect(decodeDown(fromHex(example("command"))!, K, pureHashing)).toEqual({ ok: true, value: { type: 3, command: EXAMPLE_COMMAND } });
});

test("status example", () => {
  expect(toHex(encodeStatus(EXAMPLE_STATUS, K, pureHashing))).toBe(example("status"));
  expect(toHex(encodeStatusNode(EXAMPLE_STATUS, K, nodeHashing))).toBe(example("status"));
  const d = decodeUp(fromHex(example("status"))!, (dev) => (dev === EXAMPLE_DEVICE ? K : null), nodeHashing);
  expect(d).toEqual({ ok: true, value: { type: 4, status: EXAMPLE_STATUS } });
});

test("mqtt password example", () => {
  expect(mqttPassword(EXAMPLE_DEVICE, K, pureHashing)).toBe(example("mqtt"));
});
