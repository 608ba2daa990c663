// A box whose code is on the county warn list (an earlier duplicate sale, a recall, a
// reported theft) was dispensed again.
import type { FraudAlert, FraudRow } from "../types";
import { isCodedSale, keyOf } from "../codes";

export function warnListHits(rows: readonly FraudRow[], warned: ReadonlySet<string>): FraudAlert[] {
  const alerts: FraudAlert[] = [];
  for (const r of rows) {
    if (!isCodedSale(r) || !warned.has(r.code as string)) continue;
    alerts.push({
      kind: "warn-list",
      severity: "critical",
      device: r.device,
      code: r.code,
      reason: `code on the warn list dispensed at ${r.institution} by ${r.operator}`,
      evidence: { records: [keyOf(r)], institution: r.institution, time: r.correctedTime },
    });
  }
  return alerts;
}
