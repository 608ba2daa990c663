// Input and output shapes of the fraud checks. Everything here is plain data so the checks
// stay pure: the gateway reads rows from its store, calls the checks, and raises the alerts.
import type { ScanRecord } from "../../../protocol/src/record";
import type { AlertKind } from "../../../protocol/src/platform";

/** One stored scan record as the fraud checks see it. */
export interface FraudRow extends ScanRecord {
  device: string;
  /** Designated institution (clinic) code the device belonged to when the record arrived. */
  institution: string;
  /** Operator (doctor) registered on the device. */
  operator: string;
  /** Unix seconds when the gateway stored the record. */
  receivedAt: number;
  /** Best known Unix seconds of the event (device time, fixed by the gateway when possible). */
  correctedTime: number;
}

export type FraudSeverity = "info" | "warning" | "critical";

/** Same shape as the gateway's NewAlert, so it can go straight to AlertSink.raise. */
export interface FraudAlert {
  kind: AlertKind;
  severity: FraudSeverity;
  device?: string;
  code?: string;
  /** One line a reviewer can act on. */
  reason: string;
  /** `records`: keys "<device>:<seq>" of the records involved; plus the figures used. */
  evidence: Record<string, unknown>;
}

/** Clinic opening hours: sessions opened between `nightStart` and `nightEnd` (local time,
 * minutes after midnight, the window may wrap past midnight) are at odd hours. */
export interface ClinicHours {
  nightStart: number;
  nightEnd: number;
}

/** 23:00 to 05:00, China Standard Time. */
export const DEFAULT_HOURS: ClinicHours = { nightStart: 23 * 60, nightEnd: 5 * 60 };

/** Catalogue facts the features need about one product (cn20 first 7 digits, GS1 GTIN or catalogue code). */
export interface ProductFacts {
  /** Price of one box in yuan. */
  price: number;
}

export type ProductLookup = (product: string) => ProductFacts | undefined;

/** The gateway's stored row (gateway/src/store/types.ts StoredRecord) carries fixedTime. */
export function fraudRowFromStored<T extends ScanRecord & { device: string; institution: string; operator: string; receivedAt: number; fixedTime: number }>(r: T): FraudRow {
  const row: FraudRow = { ...r, correctedTime: r.fixedTime };
  return row;
}
