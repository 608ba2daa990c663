// Board-safe frame API: what the firmware imports to build batches and read acks/commands.
export * from "./types";
export { encodeBatch, batchBytes, fitRecords } from "./encode-batch";
export { decodeDown } from "./decode-down";
export { encodeAckFrame, encodeCommandFrame } from "./encode-down";
export { recordProblem, batchProblem, ackProblem, commandProblem, MAX_RECORDS_PER_FRAME, MAX_UNITS, MAX_RX_CHARS, MAX_BATCH_CHARS } from "./validate";
export { MAX_CODE_CHARS } from "./code-item";
export { TAG_BYTES, SEAL_BYTES } from "./layout";
