// The emulated insurance platform and the exactly-once audit.
export { startPlatform, type PlatformEmulator, type PlatformLogger, type PlatformMode, type PlatformOptions, type PlatformStats } from "./emulator";
export { auditExactlyOnce, eventOfSale, type AcceptedScan, type AuditMismatch, type AuditReport } from "./audit";
export { startControlServer, type ControlServer } from "./control-server";
export type { SaleRow } from "./sale-store";
export {
  INFCODE_BAD_SCHEMA,
  INFCODE_MALFORMED,
  INFCODE_OK,
  INFCODE_TOO_LARGE,
  INFCODE_TOPIC_MISMATCH,
  INFCODE_UNAVAILABLE,
  validateSale,
  validateEnvelope,
} from "./validate-upload";
