// All deterministic checks over one batch of rows, with one options object.
import type { FraudAlert, FraudRow } from "../types";
import { warnListHits } from "./warn-list";
import { expiredPacks } from "./expired-pack";
import { patientMultiClinic, type PatientMultiClinicOptions } from "./patient-multi-clinic";
import { oddHourSessions, type OddHoursOptions } from "./odd-hours";
import { replays, type ReplayOptions } from "./replay";

export { warnListHits, expiredPacks, patientMultiClinic, oddHourSessions, replays };
export type { PatientMultiClinicOptions, OddHoursOptions, ReplayOptions };

export interface RuleOptions {
  warned?: ReadonlySet<string>;
  patients?: PatientMultiClinicOptions;
  oddHours?: OddHoursOptions;
  replay?: ReplayOptions;
}

/** Runs every rule on `rows`; `history` gives the replay check what the devices sent before. */
export function runRules(rows: readonly FraudRow[], history: readonly FraudRow[], opts: RuleOptions = {}): FraudAlert[] {
  return [
    ...warnListHits(rows, opts.warned ?? new Set()),
    ...expiredPacks(rows),
    ...patientMultiClinic(rows, opts.patients),
    ...oddHourSessions(rows, opts.oddHours),
    ...replays(rows, history, opts.replay),
  ];
}
