// Public API of trace-code parsing, shared by the board and the gateway.
export type { CodeKind, TraceCode, CodeRejectReason, CodeResult } from "./types";
export { parseCode } from "./parse";
export { classifyScan } from "./classify";
export type { ScanClass } from "./classify";
export { REJECT_MESSAGES } from "./messages";
export { gs1Key, MAX_GS1_FIELD } from "./gs1";
export { isValidGtin, hasValidCheckDigit } from "./gtin";
export { isGs1Date } from "./date";
export { GS } from "./chars";
