// A GS1 pack dispensed after its expiry date (AI 17, YYMMDD, day 00 = last day of month).
// The pack is good through the whole expiry day, local time.
import type { FraudAlert, FraudRow } from "../types";
import { isCodedSale, keyOf } from "../codes";
import { dayStart, localDay } from "../time";

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "YYYY-MM-DD" of the last good day, or null when `expiry` is not a real YYMMDD date. */
export function expiryDay(expiry: string): string | null {
  if (!/^\d\d\d\d\d\d$/.test(expiry)) return null;
  const year = 2000 + Number(expiry.slice(0, 2));
  const month = Number(expiry.slice(2, 4));
  let day = Number(expiry.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (day === 0) day = last;
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function expiredPacks(rows: readonly FraudRow[]): FraudAlert[] {
  const alerts: FraudAlert[] = [];
  for (const r of rows) {
    if (!isCodedSale(r) || !r.expiry) continue;
    const last = expiryDay(r.expiry);
    if (last === null) continue; // the ingest validator refuses bad dates; nothing to judge here
    const endOfLastDay = dayStart(last) + 86400;
    if (r.correctedTime < endOfLastDay) continue;
    const daysLate = Math.floor((r.correctedTime - endOfLastDay) / 86400) + 1;
    alerts.push({
      kind: "expired-pack",
      severity: "critical",
      device: r.device,
      code: r.code,
      reason: `pack expired ${last} dispensed on ${localDay(r.correctedTime)} (${daysLate} day(s) late) at ${r.institution}`,
      evidence: { records: [keyOf(r)], expiry: r.expiry, lastGoodDay: last, saleDay: localDay(r.correctedTime), daysLate },
    });
  }
  return alerts;
}
