// What one scanner read turns into. Shared by the board (feedback at the counter) and the
// gateway (validation of what arrives).

/** cn20: the 20-digit Chinese code (leading 8). gs1: GS1 DataMatrix element string. */
export type CodeKind = "cn20" | "gs1";

export interface TraceCode {
  kind: CodeKind;
  /** Canonical key: identical for every spelling of the same pack. */
  key: string;
  /** cn20: the first 7 digits (product and package level). gs1: the 14-digit GTIN. */
  product: string;
  /** cn20: the last 13 digits. gs1: AI (21). */
  serial: string;
  /** gs1 only: AI (10) and AI (17) YYMMDD as printed (day 00 = end of month). */
  batch?: string;
  expiry?: string;
}

export type CodeRejectReason =
  | "empty"
  | "garbage"
  | "retail-ean13"
  | "truncated"
  | "bad-prefix"
  | "bad-length"
  | "bad-gtin-check"
  | "bad-date"
  | "missing-gtin"
  | "missing-serial"
  | "field-too-long"
  | "lost-separator"
  | "unknown-ai"
  | "not-a-code";

export type CodeResult =
  | { ok: true; code: TraceCode }
  | { ok: false; reason: CodeRejectReason; message: string };
