// Row shapes the store hands out. Other modules (relay, checks, fraud, http) read these.
import type { ScanRecord } from "../../../protocol/src/record";
import type { AlertKind } from "../../../protocol/src/platform";

export type DeviceStatus = "active" | "revoked";

export interface DeviceRow {
  id: string;
  /** HMAC key for the device's frames and broker password. Never logged, never in the HTTP API. */
  secret: Uint8Array;
  institution: string;
  operator: string;
  status: DeviceStatus;
  addedAt: number;
  revokedAt: number | null;
  lastSeen: number | null;
  /** Health the board reported (firmware version, boot count, flash figures), as JSON. */
  stats: Record<string, unknown> | null;
}

/** A device as shown outside the gateway: no secret. */
export type PublicDevice = Omit<DeviceRow, "secret">;

export interface StoredRecord extends ScanRecord {
  /** Row id: global commit order. */
  id: number;
  device: string;
  /** "<device>:<seq>" */
  key: string;
  /** Best known Unix time of the event (the device time fixed when possible). */
  fixedTime: number;
  /** Whether fixedTime comes from a trusted clock. */
  timeTrusted: boolean;
  /** Institution and operator of the device when the record arrived. */
  institution: string;
  operator: string;
  receivedAt: number;
  relayedAt: number | null;
  relayError: string | null;
}

export type AlertSeverity = "info" | "warning" | "critical";

export interface NewAlert {
  kind: AlertKind;
  severity: AlertSeverity;
  device?: string;
  code?: string;
  reason: string;
  evidence: Record<string, unknown>;
}

export interface StoredAlert extends NewAlert {
  id: string;
  /** Unix seconds. */
  at: number;
  published: boolean;
}

/** Where alerts go: the store (durably), the platform and the warn list. The fraud engine calls this. */
export interface AlertSink {
  raise(alert: NewAlert): StoredAlert;
}

/** One entry of the county-wide one-box-one-sale index. */
export interface DispensedEntry {
  code: string;
  /** "box": a whole box went out; "split": parts of it are going out. */
  mode: "box" | "split";
  /** Keys of the records that took from this box, oldest first. */
  keys: string[];
  institution: string;
  /** Split packs: units in the box and units taken so far. */
  perPack: number;
  units: number;
}
