// generateHistory: a seeded, labelled county history. The same options always give the same
// records, so training and evaluation are reproducible and use disjoint seeds.
import { dayStart, localDay, localWeekday } from "../../../gateway/src/fraud/time";
import { deriveSeed, mulberry32 } from "../scenario/prng";
import { makeCatalogue } from "./catalogue";
import { makeCounty } from "./county";
import { INJECTORS, type InjectContext } from "./inject";
import { materialize } from "./materialize";
import { planDay, type PlanState, type PlannedSession } from "./plan";
import { FRAUD_PATTERNS, type FraudLabel, type History, type HistoryOptions } from "./types";

export function generateHistory(opts: HistoryOptions): History {
  const days = opts.days ?? 28;
  const startDay = opts.startDay ?? "2025-09-01";
  const warmupDays = opts.warmupDays ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new RangeError(`days must be 1..366, got ${days}`);
  const nClinics = opts.clinics ?? 30;
  if (!Number.isInteger(nClinics) || nClinics < 2 || nClinics > 2000) throw new RangeError(`clinics must be 2..2000, got ${nClinics}`);
  if (!/^\d{4}-\d\d-\d\d$/.test(startDay) || Number.isNaN(dayStart(startDay))) throw new RangeError(`startDay must be YYYY-MM-DD, got ${startDay}`);

  const catalogue = makeCatalogue(mulberry32(deriveSeed(opts.seed, "catalogue")));
  const clinics = makeCounty(mulberry32(deriveSeed(opts.seed, "county")), nClinics, opts.seed >>> 0);
  const st: PlanState = { rng: mulberry32(deriveSeed(opts.seed, "plan")), catalogue, serial: 0, openSplits: new Map(), patients: new Map() };
  const dayStarts: number[] = [];
  const dayNames: string[] = [];
  for (let d = 0; d < days; d++) {
    dayStarts.push(dayStart(startDay) + d * 86400);
    dayNames.push(localDay(dayStarts[d]));
  }
  // a county-wide flu wave lifts every clinic for about a week
  const waveStart = Math.floor(st.rng() * days);
  const plan: PlannedSession[] = [];
  for (let d = 0; d < days; d++) {
    const wave = d >= waveStart && d < waveStart + 7 ? 1.35 : 1;
    for (const c of clinics) plan.push(...planDay(st, c, d, dayStarts[d], localWeekday(dayStarts[d] + 43200), wave));
  }

  const labels: FraudLabel[] = [];
  const ctx: InjectContext = { st: { ...st, rng: mulberry32(deriveSeed(opts.seed, "fraud")) }, plan, clinics, days, warmupDays, dayStarts, dayNames, labels };
  for (const pattern of FRAUD_PATTERNS) {
    const n = opts.fraud?.[pattern] ?? 0;
    for (let i = 0; i < n; i++) INJECTORS[pattern](ctx);
  }
  const rows = materialize(mulberry32(deriveSeed(opts.seed, "records")), plan, dayStarts, labels);
  return { seed: opts.seed, startDay, days, clinics, catalogue, rows, labels };
}
