// The same patient (keyed hash of the e-voucher token) opened sessions at several clinics
// on one local day: a borrowed or traded insurance voucher, or token hopping to spread a
// bulk purchase over clinics.
import { EV_OPEN } from "../../../../protocol/src/record";
import type { FraudAlert, FraudRow } from "../types";
import { keyOf } from "../codes";
import { localDay } from "../time";

export interface PatientMultiClinicOptions {
  /** Distinct clinics in one day that raise the alert (default 2). */
  minClinics?: number;
}

export function patientMultiClinic(rows: readonly FraudRow[], opts: PatientMultiClinicOptions = {}): FraudAlert[] {
  const minClinics = opts.minClinics ?? 2;
  const byPatientDay = new Map<string, FraudRow[]>();
  for (const r of rows) {
    if (r.event !== EV_OPEN || !r.patient) continue;
    const k = r.patient + "|" + localDay(r.correctedTime);
    const list = byPatientDay.get(k);
    if (list) list.push(r);
    else byPatientDay.set(k, [r]);
  }
  const alerts: FraudAlert[] = [];
  for (const [k, opens] of byPatientDay) {
    const clinics = [...new Set(opens.map((r) => r.institution))].sort();
    if (clinics.length < minClinics) continue;
    const [patient, day] = k.split("|");
    opens.sort((a, b) => a.correctedTime - b.correctedTime);
    alerts.push({
      kind: "patient-multi-clinic",
      severity: clinics.length > minClinics ? "critical" : "warning",
      device: opens[0].device,
      reason: `patient ${patient} opened sessions at ${clinics.length} clinics on ${day}: ${clinics.join(", ")}`,
      evidence: { records: opens.map(keyOf), patient, day, clinics, sessions: opens.length },
    });
  }
  return alerts;
}
