// Dispensing sessions opened while the clinic should be closed (default 23:00-05:00 local).
// One alert per device and night, listing the sessions, so a busy night is one reviewable case.
import { EV_OPEN } from "../../../../protocol/src/record";
import type { ClinicHours, FraudAlert, FraudRow } from "../types";
import { DEFAULT_HOURS } from "../types";
import { keyOf } from "../codes";
import { inWindow, localDay, localMinute } from "../time";

export interface OddHoursOptions {
  hours?: ClinicHours;
  /** Hours per institution where they differ from `hours` (a clinic with a night service). */
  byInstitution?: Record<string, ClinicHours>;
  /** Sessions in one night before an alert is raised (default 1: every odd-hours session is shown). */
  minSessions?: number;
}

function hhmm(min: number): string {
  return String(Math.floor(min / 60)).padStart(2, "0") + ":" + String(min % 60).padStart(2, "0");
}

export function oddHourSessions(rows: readonly FraudRow[], opts: OddHoursOptions = {}): FraudAlert[] {
  const minSessions = opts.minSessions ?? 1;
  const byDeviceNight = new Map<string, FraudRow[]>();
  for (const r of rows) {
    if (r.event !== EV_OPEN) continue;
    const hours = opts.byInstitution?.[r.institution] ?? opts.hours ?? DEFAULT_HOURS;
    if (!inWindow(localMinute(r.correctedTime), hours.nightStart, hours.nightEnd)) continue;
    // a night belongs to the day it started on: shift early-morning opens back by the window's end
    const night = localDay(r.correctedTime - (hours.nightStart > hours.nightEnd ? hours.nightEnd * 60 : 0));
    const k = r.device + "|" + night;
    const list = byDeviceNight.get(k);
    if (list) list.push(r);
    else byDeviceNight.set(k, [r]);
  }
  const alerts: FraudAlert[] = [];
  for (const [k, opens] of byDeviceNight) {
    if (opens.length < minSessions) continue;
    const [device, night] = k.split("|");
    opens.sort((a, b) => a.correctedTime - b.correctedTime);
    const hours = opts.byInstitution?.[opens[0].institution] ?? opts.hours ?? DEFAULT_HOURS;
    alerts.push({
      kind: "odd-hours",
      severity: opens.length >= 3 ? "critical" : "warning",
      device,
      reason: `${opens.length} session(s) opened at ${opens[0].institution} between ${hhmm(hours.nightStart)} and ${hhmm(hours.nightEnd)} on the night of ${night}`,
      evidence: {
        records: opens.map(keyOf),
        institution: opens[0].institution,
        operator: opens[0].operator,
        night,
        times: opens.map((r) => hhmm(localMinute(r.correctedTime))),
        sessions: opens.length,
      },
    });
  }
  return alerts;
}
