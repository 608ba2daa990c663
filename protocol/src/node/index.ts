// Node-only protocol API for the gateway, simulator and tools.
export { nodeHashing } from "./hashing";
export { decodeBatch } from "./decode-batch";
export { decodeUp } from "./decode-up";
export { encodeBatchNode, encodeAck, encodeCommand, encodeStatusNode } from "./encode";
