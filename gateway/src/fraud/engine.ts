// FraudEngine: what the gateway calls at day close. It runs the rules over the day's records
// and scores every clinic-day and doctor-day with the loaded models, and returns alerts in the
// gateway's NewAlert shape. Pure over the rows it is given: the caller reads them from the
// store and raises the alerts through its AlertSink.
import { EV_OPEN } from "../../../protocol/src/record";
import { keyOf } from "./codes";
import { computeFeatures, type FeatureVector, type Scope } from "./features";
import { scoreVectors, type FraudModel, type VectorScore } from "./model";
import { runRules, type RuleOptions } from "./rules";
import type { ClinicHours, FraudAlert, FraudRow, ProductLookup } from "./types";

export interface FraudEngineOptions {
  /** Models by scope; a scope without a model is skipped (rules still run). */
  models?: Partial<Record<Scope, FraudModel>>;
  priceOf?: ProductLookup;
  hours?: ClinicHours;
  rules?: RuleOptions;
  /** Called for each run, with counts, for metrics and logs. */
  onRun?: (summary: FraudRunSummary) => void;
  /** Sessions the county must have in the history before a day for the models to judge it (default MIN_HISTORY_SESSIONS). */
  minHistorySessions?: number;
}

/** Below this many sessions in the days before, the county's rates (what every surprise feature is
 * measured against) rest on almost nothing: a gateway's first day, or the day after a single night
 * session, looks unusual in every figure (in a simulated run of the small scenario: split packs
 * 6x the normal tail, every device "new"). The models were trained only on days with weeks of
 * history, so they do not judge such days; the rules still run. A low bar: the first ordinary day
 * of three village clinics (about 13 sessions) is enough history for the next. */
export const MIN_HISTORY_SESSIONS = 10;

export interface FraudRunSummary {
  day: string;
  rows: number;
  ruleAlerts: number;
  vectors: Partial<Record<Scope, number>>;
  anomalies: Partial<Record<Scope, number>>;
  /** Set when the models did not judge the day: why. */
  modelsSkipped?: string;
}

export interface DayInput {
  /** Business day to judge, "YYYY-MM-DD" (the day turns at 05:00 local). */
  day: string;
  /** Records of that day. */
  rows: readonly FraudRow[];
  /** Records before it: at least the 14 previous days, for trailing figures and replays. */
  history: readonly FraudRow[];
  /** Codes on the county warn list (overrides rules.warned when given). */
  warned?: ReadonlySet<string>;
}

function anomalyAlert(v: FeatureVector, s: VectorScore, threshold: number): FraudAlert {
  const drivers = s.drivers.map((d) => ({ feature: d.feature, z: round(d.z), expected: round(d.expected), error: round(d.error), excess: round(d.excess), weight: round(d.weight) }));
  const what = drivers.map((d) => `${d.feature} ${d.z >= d.expected ? "high" : "low"} (z ${d.z.toFixed(1)}, expected ${d.expected.toFixed(1)}, ${d.excess.toFixed(1)}x the normal tail)`).join(", ");
  return {
    kind: "anomaly",
    severity: s.score > 3 * threshold ? "critical" : "warning",
    reason: `${v.scope} ${v.entity} on ${v.day} unlike normal days: ${what}`,
    evidence: {
      scope: v.scope,
      entity: v.entity,
      institution: v.institution,
      day: v.day,
      score: round(s.score),
      threshold: round(threshold),
      drivers,
      sessions: v.sessions,
      records: v.sessionKeys.slice(0, 50),
      moreRecords: Math.max(0, v.sessionKeys.length - 50),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export class FraudEngine {
  constructor(private readonly opts: FraudEngineOptions = {}) {}

  /** Alerts for one business day. Never throws on odd rows: they simply weigh in the figures. */
  closeDay(input: DayInput): FraudAlert[] {
    const alerts = runRules(input.rows, input.history, { ...this.opts.rules, ...(input.warned ? { warned: input.warned } : {}), oddHours: { hours: this.opts.hours, ...this.opts.rules?.oddHours } });
    const summary: FraudRunSummary = { day: input.day, rows: input.rows.length, ruleAlerts: alerts.length, vectors: {}, anomalies: {} };
    const all = [...input.history, ...input.rows];
    const sessionsBefore = new Set(input.history.filter((r) => r.event === EV_OPEN).map(keyOf)).size;
    const minSessions = this.opts.minHistorySessions ?? MIN_HISTORY_SESSIONS;
    const judge = sessionsBefore >= minSessions;
    if (!judge && this.opts.models && Object.keys(this.opts.models).length) summary.modelsSkipped = `${sessionsBefore} sessions in the county's history before ${input.day}, the models need ${minSessions}`;
    for (const scope of ["clinic-day", "doctor-day"] as Scope[]) {
      if (!judge) break;
      const model = this.opts.models?.[scope];
      if (!model) continue;
      const vectors = computeFeatures(all, { scope, priceOf: this.opts.priceOf, hours: this.opts.hours, fromDay: input.day, toDay: input.day });
      const scores = scoreVectors(model, vectors.map((v) => v.values));
      let n = 0;
      vectors.forEach((v, i) => {
        if (!scores[i].flagged) return;
        n++;
        alerts.push(anomalyAlert(v, scores[i], model.manifest.threshold));
      });
      summary.vectors[scope] = vectors.length;
      summary.anomalies[scope] = n;
    }
    this.opts.onRun?.(summary);
    return alerts;
  }
}
