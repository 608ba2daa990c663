// Why the gateway refused a frame: the protocol's own reasons plus what only the gateway
// can know. Stable names: they label metrics and logs.
import type { FrameRejectReason } from "../../../protocol/src/frame/types";

export type IngestRejectReason =
  | FrameRejectReason
  | "bad-topic" // not a device up topic
  | "revoked" // the device was provisioned, then revoked
  | "device-mismatch" // a frame of one device on another device's topic
  | "disk-full" // no room to store: not acked, the board keeps it
  | "store-error" // the commit failed: not acked, the board sends it again
  | "acl-denied"; // a board published where it may not (embedded broker): dropped there

export const INGEST_REJECT_REASONS: IngestRejectReason[] = [
  "empty", "too-large", "truncated", "not-cbor", "bad-structure", "bad-version", "bad-type", "bad-crc", "bad-tag",
  "unknown-device", "bad-record", "not-contiguous", "bad-topic", "revoked", "device-mismatch", "disk-full", "store-error", "acl-denied",
];
