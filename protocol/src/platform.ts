// What the gateway sends to the insurance platform and what the platform answers, as JSON
// on the platform topics (see topics.ts). Field names follow NHSA's drug-sale upload
// (interface 3505) where one exists; see ../../../shared/docs/domain.md. Node side only.

export const PLATFORM_SCHEMA_VERSION = 1;

/** One drug sale, split sale, withdrawal or no-code item, mapped from one scan record. */
export interface PlatformSale {
  /** Idempotency key: "<device>:<seq>" (record.ts recordKey). The platform stores each key once. */
  key: string;
  device: string;
  seq: number;
  /** "sale" for dispense/split/no-code, "return" for an undo (sel_retn: sale or return). */
  kind: "sale" | "return";
  /** Institution (designated medical institution code) the device belongs to. */
  fixmedins_code: string;
  /** Trace code as scanned (canonical key); absent for no-code-list items. */
  drug_trac_codg?: string;
  drugtracinfo?: { drug_trac_codg: string }[];
  /** No-code-list items: the catalogue code. */
  med_list_codg?: string;
  /** Split-pack flag: 1 when part of a box was dispensed. */
  trdn_flag: 0 | 1;
  /** Quantity: 1 box, or units taken for a split pack, or the no-code quantity. */
  sel_retn_cnt: number;
  /** Units per pack for split sales. */
  pack_units?: number;
  /** "YYYY-MM-DD HH:mm:ss", China Standard Time (UTC+8). */
  sel_retn_time: string;
  /** False when the time is the board's estimate before its clock was trusted. */
  time_trusted: boolean;
  sel_retn_opter_name: string;
  /** Keyed hash of the patient's e-voucher token (never the token itself). */
  psn_token_hash?: string;
  rxno?: string;
  manu_lotnum?: string;
  /** "YYYY-MM-DD" from GS1 (17). */
  expy_end?: string;
  /** For returns: the key of the sale being withdrawn. */
  ref_key?: string;
  /** Session grouping: "<device>:<seq of the session open>". */
  session_key?: string;
}

export interface PlatformUpload {
  v: number;
  gateway: string;
  /** Unique per message; the ack names it. Re-sent messages keep their msgId. */
  msgId: string;
  sentAt: string;
  sales: PlatformSale[];
}

/** The platform's application-level answer: transport (infcode) and per-sale business result. */
export interface PlatformAck {
  v: number;
  msgId: string;
  /** 0: accepted for processing; anything else: the whole message must be retried. */
  infcode: number;
  err_msg?: string;
  results?: { key: string; ok: boolean; duplicate?: boolean; err_msg?: string }[];
}

export type AlertKind =
  | "duplicate-sale"
  | "split-overrun"
  | "warn-list"
  | "expired-pack"
  | "patient-multi-clinic"
  | "odd-hours"
  | "replay"
  | "anomaly";

export interface PlatformAlert {
  v: number;
  gateway: string;
  id: string;
  kind: AlertKind;
  severity: "info" | "warning" | "critical";
  at: string;
  device?: string;
  code?: string;
  /** Human-readable reason, one line. */
  reason: string;
  /** Evidence: the records involved (keys) and any figures that drove the alert. */
  evidence: Record<string, unknown>;
}

/**
 * Platform -> gateway: whether the platform is there to take uploads, retained on
 * platformStatus(gateway) (online when it connects, offline when it leaves or as its MQTT
 * will). A gateway that never sees one sends as usual and relies on its ack timeout.
 */
export interface PlatformStatus {
  v: number;
  online: boolean;
}

/** The retained status topic for one gateway's platform. */
export function platformStatus(gateway: string): string {
  return "vt/v1/platform/" + gateway + "/status";
}
