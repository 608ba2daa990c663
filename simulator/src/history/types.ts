// A labelled county history: weeks of scan records from many clinics with known fraud
// injected, for training the gateway's fraud model on normal days and measuring it on the rest.
import type { FraudRow } from "../../../gateway/src/fraud/types";

export const FRAUD_PATTERNS = [
  "double-sale", // one box sold at two clinics
  "night-phantom", // invented sessions in the middle of the night
  "bulk-doctor", // one doctor handing out boxes by the armful
  "high-price-skew", // a day's dispensing tilted to expensive drugs
  "replay-device", // a device selling codes it sold weeks ago
  "patient-hopping", // one voucher token at several clinics in a day
] as const;

export type FraudPattern = (typeof FRAUD_PATTERNS)[number];

export interface FraudLabel {
  pattern: FraudPattern;
  /** Clinic-days touched: "<institution>|<YYYY-MM-DD>". */
  clinicDays: string[];
  /** Doctor-days touched: "<operator>|<YYYY-MM-DD>". */
  doctorDays: string[];
  /** Keys "<device>:<seq>" of the injected or altered records. */
  records: string[];
}

export interface Product {
  /** cn20 product prefix (7 digits) or GS1 GTIN (14 digits). */
  id: string;
  kind: "cn20" | "gs1";
  name: string;
  /** Yuan per box. */
  price: number;
  /** Units in a box, for split dispensing. */
  perPack: number;
  /** Share of everyday dispensing this product takes (before clinic preferences). */
  popularity: number;
}

export interface Clinic {
  institution: string;
  /** Mean sessions on a weekday. */
  size: number;
  /** Mean boxes per session. */
  boxesPerSession: number;
  /** How much the clinic leans on high-price products (multiplies their weight). */
  priceLean: number;
  /** Probability of a late emergency visit on a given day. */
  lateVisitRate: number;
  /** Mean upload delay in seconds (poor links upload in the evening). */
  uploadDelay: number;
  doctors: Doctor[];
}

export interface Doctor {
  operator: string;
  device: string;
  /** Share of the clinic's sessions this doctor takes. */
  share: number;
}

export interface History {
  seed: number;
  startDay: string;
  days: number;
  clinics: Clinic[];
  catalogue: Product[];
  /** Every stored record, in the order the gateway would have stored them. */
  rows: FraudRow[];
  labels: FraudLabel[];
}

export interface HistoryOptions {
  seed: number;
  /** Default 28. */
  days?: number;
  /** Default 30. */
  clinics?: number;
  /** First local day, "YYYY-MM-DD" (default "2025-09-01", a Monday). */
  startDay?: string;
  /** How many instances of each pattern to inject (default none: a normal history). */
  fraud?: Partial<Record<FraudPattern, number>>;
  /** Days at the start left free of fraud so trailing per-clinic figures have history (default 7). */
  warmupDays?: number;
}
