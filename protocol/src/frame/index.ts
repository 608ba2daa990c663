// Board-safe frame API: what the firmware imports to build batch and status frames, check
// records and read acks/commands. Import by name: a bundler then keeps only what is used,
// and the long-worded validators (recordProblem ... commandProblem) are for the gateway.
export * from "./types";
export { encodeBatch, batchBytes, fitRecords } from "./encode-batch";
export { encodeStatus } from "./encode-status";
export { decodeDown } from "./decode-down";
export { encodeAckFrame, encodeCommandFrame } from "./encode-down";
export { recordFault } from "./record-fault";
export { recordProblem, batchProblem, ackProblem, commandProblem } from "./validate";
export { MAX_RECORDS_PER_FRAME, MAX_UNITS, MAX_RX_CHARS, MAX_BATCH_CHARS, MAX_FIRMWARE_CHARS, MAX_BOARD_CHARS } from "./limits";
export { MAX_CODE_CHARS } from "./code-item";
export { TAG_BYTES, SEAL_BYTES } from "./layout";
