// Node-only protocol API for the gateway, simulator and tools.
export { nodeHashing } from "./hashing";
export { decodeBatch } from "./decode-batch";
export { encodeBatchNode, encodeAck, encodeCommand } from "./encode";
