// The shapes carried by frames between a board and the gateway. The byte layout is
// specified in protocol/README.md; this file is the in-memory contract both ends code to.
import type { ScanRecord } from "../record";

export const FRAME_VERSION = 1;
/** Hard limit on any frame, both directions. Larger input is rejected before parsing. */
export const MAX_FRAME_BYTES = 4096;

export const FRAME_BATCH = 1; // board -> gateway
export const FRAME_ACK = 2; // gateway -> board
export const FRAME_COMMAND = 3; // gateway -> board
export const FRAME_STATUS = 4; // board -> gateway

/** A batch of records from one device, contiguous and ascending in `seq`. */
export interface BatchFrame {
  device: string;
  /** Sender state when the frame was built: lets the gateway fix untrusted record times. */
  boot: number;
  uptime: number;
  time: number;
  trusted: boolean;
  records: ScanRecord[];
}

/** Gateway -> board: every record with seq <= upto is durably stored at the gateway. */
export interface AckFrame {
  device: string;
  upto: number;
  /** Gateway clock (Unix seconds) when the ack was sent: doubles as a time sync. */
  time: number;
}

/** Board settings the gateway may push. Absent fields keep the board's current value. */
export interface DeviceConfig {
  /** Seconds of inactivity after which an open session closes by itself. */
  sessionTimeout?: number;
  /** Most records per batch frame. */
  batchMax?: number;
  /** Free-flash fraction (0..100, percent) under which the board warns. */
  warnFreePct?: number;
}

/** Gateway -> board: time sync, configuration and the warn list (any subset). */
export interface CommandFrame {
  device: string;
  /** Command id, echoed nowhere: lets a board ignore a replayed command (ids only grow). */
  id: number;
  /** Gateway clock, Unix seconds. */
  time?: number;
  config?: DeviceConfig;
  /** Canonical code keys to warn about when scanned. Replaces the board's list when `warnReplace`. */
  warn?: string[];
  warnReplace?: boolean;
}

/**
 * Board -> gateway: the board's health, sent on the up topic beside batch frames (on
 * connect and now and then), so the gateway can see a board that is full, stuck or behind.
 */
export interface StatusFrame {
  device: string;
  boot: number;
  uptime: number;
  time: number;
  trusted: boolean;
  /** Firmware version, e.g. "1.0.0+3f2a9c1" (1..40 printable ASCII). */
  firmware: string;
  /** Board profile name, e.g. "pico" or "esp32" (1..16 of [A-Za-z0-9._-]). */
  board: string;
  /** Highest seq written to the journal (0: none yet). */
  seqHead: number;
  /** Highest seq the board knows the gateway has acked. */
  ackedUpto: number;
  /** Journal flash in use and in total, bytes. */
  flashUsed: number;
  flashTotal: number;
  /** Espruino variable blocks in use (process.memory().usage), when the board reports it. */
  memUsage?: number;
  /** A dispensing session is open right now. */
  sessionOpen: boolean;
}

export type UpFrame = { type: 1; batch: BatchFrame } | { type: 4; status: StatusFrame };

export type DownFrame = { type: 2; ack: AckFrame } | { type: 3; command: CommandFrame };

/** Why a frame was refused: stable machine-readable names, counted by the gateway. */
export type FrameRejectReason =
  | "empty"
  | "too-large"
  | "truncated"
  | "not-cbor"
  | "bad-structure"
  | "bad-version"
  | "bad-type"
  | "bad-crc"
  | "bad-tag"
  | "unknown-device"
  | "bad-record"
  | "not-contiguous";

export type DecodeResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: FrameRejectReason; message: string };

/** SHA-256 of a byte string. Passed in so each side uses its fastest implementation. */
export type Sha256 = (data: Uint8Array) => Uint8Array;
/** CRC-32 (IEEE 802.3, as zlib and Espruino's E.CRC32) of a byte string, unsigned. */
export type Crc32 = (data: Uint8Array) => number;

export interface Hashing {
  sha256: Sha256;
  crc32: Crc32;
}
