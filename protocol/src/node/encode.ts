// Node side encoders (gateway, simulator, tools) on cbor-x. They share the layout trees
// with the board encoder, so both produce the same bytes for the same frame.
import type { AckFrame, BatchFrame, CommandFrame, Hashing, StatusFrame } from "../frame/types";
import { ackTree, batchTree, commandTree, statusTree } from "../frame/layout";
import { sealFrame } from "../frame/seal";
import { cborxEncode } from "./cbor";

export function encodeBatchNode(frame: BatchFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(cborxEncode(batchTree(frame)), key, h);
}

export function encodeAck(ack: AckFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(cborxEncode(ackTree(ack)), key, h);
}

export function encodeCommand(cmd: CommandFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(cborxEncode(commandTree(cmd)), key, h);
}

/** A status frame, byte for byte what the board's encodeStatus makes (simulator, tests). */
export function encodeStatusNode(status: StatusFrame, key: Uint8Array, h: Hashing): Uint8Array {
  return sealFrame(cborxEncode(statusTree(status)), key, h);
}
