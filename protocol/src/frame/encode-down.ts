// Ack and command frames with the board-side writer. The gateway uses the cbor-x encoders
// in protocol/src/node; these produce the same bytes and let Node-free code (and tests)
// build down frames too.
import type { AckFrame, CommandFrame, Hashing } from "./types";
import { encodeItem } from "../cbor/writer";
import { ackTree, commandTree } from "./layout";
import { sealFrame } from "./seal";

export function encodeAckFrame(ack: AckFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(encodeItem(ackTree(ack)), key, h);
}

export function encodeCommandFrame(cmd: CommandFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(encodeItem(commandTree(cmd)), key, h);
}
