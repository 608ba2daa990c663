// Fraud detection quality on held-out labelled histories: per pattern precision, recall,
// ROC-AUC and average precision of the model next to a z-score baseline (same features, same
// held-out normal vectors for the threshold), the model's tail part alone as an ablation, plus
// the rules, scoring speed and training time. Training, validation and evaluation histories use
// disjoint seeds; nothing is chosen on the evaluation seeds. A full run also writes docs/fraud-evaluation.md.
// Patterns are classed as the issue classes them: double-sale, night-phantom, replay-device and
// patient-hopping are caught by deterministic rules (judged by rule recall; the model columns are
// information), bulk-doctor and high-price-skew are the learned part (the model must beat the
// baseline on them).
// VT_FRAUD_SEEDS=validation runs the same evaluation on the validation seeds (for choosing
// features and scores) and writes no doc.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Bench, BenchRow } from "./types";
import { median } from "./types";
import { generateHistory, FRAUD_PATTERNS, type FraudPattern, type History } from "../simulator/src/history";
import { mulberry32 } from "../simulator/src/scenario/prng";
import { computeFeatures, type FeatureVector, type Scope } from "../gateway/src/fraud/features";
import { trainOnVectors, scoreVectors, scoreParts, splitForCalibration, type FraudModel } from "../gateway/src/fraud/model";
import { combine } from "../gateway/src/fraud/model/score";
import { quantile } from "../gateway/src/fraud/quantile";
import { TRAIN_DEFAULTS } from "../gateway/src/fraud/model/train";
import { calibrateBaseline, zScore } from "../gateway/src/fraud/baseline";
import { runRules } from "../gateway/src/fraud/rules";
import type { FraudAlert, FraudRow } from "../gateway/src/fraud/types";
import { isSale, judgeSale, judgeUndo } from "../gateway/src/checks/one-box-one-sale";
import type { DispensedEntry } from "../gateway/src/store/types";
import { EV_UNDO, recordKey } from "../protocol/src/record";
import type { AlertKind } from "../protocol/src/platform";

/** Which unit a pattern is judged on, and whether the learned model is meant to catch it. */
const PATTERN_SCOPE: Record<FraudPattern, Scope> = {
  "double-sale": "clinic-day",
  "night-phantom": "clinic-day",
  "bulk-doctor": "doctor-day",
  "high-price-skew": "clinic-day",
  "replay-device": "clinic-day",
  "patient-hopping": "clinic-day",
};
/** The learned part of the issue: abnormal dispensing seen only in a day's figures. "Ahead of the baseline" is judged on these. */
export const LEARNED: FraudPattern[] = ["bulk-doctor", "high-price-skew"];
/** Patterns the model also scores (a code sold twice, night sessions, an old code again leave a trace in the
 * features too): their model and baseline columns are shown as information; a deterministic rule catches them. */
const SCORED_FOR_INFORMATION: FraudPattern[] = ["double-sale", "night-phantom", "replay-device"];
/** The deterministic rule that answers each rule pattern (duplicate-sale: the ingest's one-box-one-sale check). */
const RULE_FOR: Partial<Record<FraudPattern, AlertKind>> = { "double-sale": "duplicate-sale", "replay-device": "replay", "patient-hopping": "patient-multi-clinic", "night-phantom": "odd-hours" };

const CLINICS = 30;
const DAYS = 28;
const WARMUP = 7;
const PERCENTILE = TRAIN_DEFAULTS.percentile;
/** Normal histories the models learn from (and whose held-out part calibrates both thresholds):
 * 48, so the 99.9th percentile rests on about 7,200 held-out clinic-days (8 at or above it) instead
 * of 2,400 (2-3); measured away from the evaluation seeds, this halved the spread of the
 * false-alarm rate the threshold gives (docs/fraud-evaluation.md, "Calibration"). */
export const TRAIN_SEEDS = Array.from({ length: 48 }, (_, i) => 101 + i);
/** Labelled histories features, scores and hyper-parameters were chosen on. */
export const VALIDATION_SEEDS = [301, 302, 303, 304, 305, 306];
/** Labelled histories the reported figures come from: fresh seeds, scored once with the settings chosen on validation. */
export const EVALUATION_SEEDS = [221, 222, 223, 224, 225, 226, 227, 228, 229, 230];
/** Evaluation seeds of earlier rounds (201-210 up to model format 3, 211-220 up to feature schema 6): their
 * figures have been seen many times, so nothing is reported on them any more. */
export const SEEN_EVALUATION_SEEDS = Array.from({ length: 20 }, (_, i) => 201 + i);

/** Single-county check: normal histories of COUNTY_DAYS days, each trained on its own days 8-28 (as
 * `gateway model train` on a county's first four weeks) and counted on its own days 29-56. Seeds
 * 401-430: normal histories no choice was made on (the choices of this check were made on 101-130). */
export const COUNTY_SEEDS = Array.from({ length: 30 }, (_, i) => 401 + i);
const COUNTY_DAYS = 56;
const COUNTY_TRAIN_DAYS = 28;

function priceLookup(h: History) {
  const m = new Map(h.catalogue.map((p) => [p.id, { price: p.price }]));
  return (id: string) => m.get(id);
}

function vectorsOf(h: History, scope: Scope): FeatureVector[] {
  const from = new Date(Date.parse(h.startDay + "T00:00:00Z") + WARMUP * 86400000).toISOString().slice(0, 10);
  return computeFeatures(h.rows, { scope, priceOf: priceLookup(h), fromDay: from });
}

function unitLabels(h: History, scope: Scope): Map<string, Set<FraudPattern>> {
  const m = new Map<string, Set<FraudPattern>>();
  for (const l of h.labels) {
    for (const u of scope === "clinic-day" ? l.clinicDays : l.doctorDays) {
      const s = m.get(u) ?? new Set<FraudPattern>();
      s.add(l.pattern);
      m.set(u, s);
    }
  }
  return m;
}

/** ROC-AUC by the Mann-Whitney statistic (ties count half). */
export function rocAuc(pos: number[], neg: number[]): number {
  if (!pos.length || !neg.length) return NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** Ranked list, highest score first; among equal scores negatives come first (the pessimistic order). */
function ranked(pos: number[], neg: number[]): boolean[] {
  return [...pos.map((s) => ({ s, y: true })), ...neg.map((s) => ({ s, y: false }))].sort((a, b) => b.s - a.s || Number(a.y) - Number(b.y)).map((e) => e.y);
}

/** Average precision: the mean, over the positives, of the precision at the rank where each is found.
 * 1 when every positive scores above every normal unit; threshold-free, and unlike ROC-AUC it is
 * driven by the few normal units that score highest, which is where alerts are. */
export function averagePrecision(pos: number[], neg: number[]): number {
  if (!pos.length) return NaN;
  let tp = 0;
  let sum = 0;
  ranked(pos, neg).forEach((y, i) => {
    if (!y) return;
    tp++;
    sum += tp / (i + 1);
  });
  return sum / pos.length;
}

/** Best precision at any threshold that keeps recall at or above `r`. */
export function precisionAtRecall(pos: number[], neg: number[], r: number): number {
  if (!pos.length) return NaN;
  let tp = 0;
  let best = 0;
  ranked(pos, neg).forEach((y, i) => {
    if (y) tp++;
    if (tp / pos.length >= r) best = Math.max(best, tp / (i + 1));
  });
  return best;
}

interface Scored {
  unit: string;
  /** Index of the evaluation history the unit comes from (the bootstrap draws histories). */
  history: number;
  labels: Set<FraudPattern>;
  ae: number;
  aeFlag: boolean;
  z: number;
  zFlag: boolean;
  /** The model's tail part alone (ablation: no network), flagged above its own held-out quantile. */
  tail: number;
  tailFlag: boolean;
  /** Flagged by the model through its residual part only (its tail part alone stays under the threshold): what the network adds. */
  byNetwork: boolean;
}

type Key = "ae" | "z" | "tail";

interface Quality {
  precision: number;
  recall: number;
  auc: number;
  ap: number;
  pAtR90: number;
  falsePositives: number;
  /** Flagged positives and normal units the residual part alone brought over the threshold. */
  networkHits: number;
  networkFalse: number;
}

interface PatternRow {
  pattern: FraudPattern | "any pattern";
  scope: Scope;
  positives: number;
  negatives: number;
  ae: Quality;
  z: Quality;
  tail: Quality;
  verdict?: { verdict: Verdict; higher: number; lower: number };
  rule?: { kind: AlertKind; recall: number; falseUnits: number };
}

/** Quality of one detector on one pattern, judged on the normal units plus that pattern's units:
 * units carrying only other patterns are left out, so they are neither hits nor false alarms.
 * "any pattern" takes every unit with a label as positive. */
function qualityOf(scored: Scored[], pattern: FraudPattern | "any pattern", key: Key): Quality {
  const flag = (s: Scored) => (key === "ae" ? s.aeFlag : key === "z" ? s.zFlag : s.tailFlag);
  const pos = scored.filter((s) => (pattern === "any pattern" ? s.labels.size > 0 : s.labels.has(pattern)));
  const neg = scored.filter((s) => s.labels.size === 0);
  const tp = pos.filter(flag).length;
  const fp = neg.filter(flag).length;
  const ps = pos.map((s) => s[key]);
  const ns = neg.map((s) => s[key]);
  return {
    networkHits: pos.filter((s) => s.byNetwork).length,
    networkFalse: neg.filter((s) => s.byNetwork).length,
    precision: tp + fp ? tp / (tp + fp) : NaN,
    recall: pos.length ? tp / pos.length : NaN,
    auc: rocAuc(ps, ns),
    ap: averagePrecision(ps, ns),
    pAtR90: precisionAtRecall(ps, ns, 0.9),
    falsePositives: fp,
  };
}

/** Average precision with a weight (how many times a resample drew its history) per unit; `order`
 * ranks the units as ranked() does. */
function weightedAp(order: { y: boolean; h: number }[], weight: readonly number[]): number {
  let tp = 0;
  let n = 0;
  let sum = 0;
  let pos = 0;
  for (const e of order) {
    const w = weight[e.h];
    for (let k = 0; k < w; k++) {
      n++;
      if (e.y) {
        tp++;
        pos++;
        sum += tp / n;
      }
    }
  }
  return pos ? sum / pos : NaN;
}

export type Verdict = "ahead" | "tie" | "behind";

/** How "ahead of the baseline" is judged (written into the doc): a paired bootstrap over the
 * evaluation histories (histories drawn with replacement, both detectors on the same draw). The
 * model is ahead when its average precision is higher in at least 95 % of the draws, behind when
 * lower in at least 95 %, otherwise the two are tied (equal average precision, 1.000 for both
 * included). Returns the verdict and the share of draws where the model was strictly higher. */
export function bootstrapVerdict(rows: readonly Scored[], pattern: FraudPattern | "any pattern", histories: number, draws = 1000, seed = 7): { verdict: Verdict; higher: number; lower: number } {
  const keep = rows.filter((s) => s.labels.size === 0 || (pattern === "any pattern" ? true : s.labels.has(pattern)));
  const orderOf = (key: Key) => keep.map((s) => ({ s: s[key], y: s.labels.size > 0, h: s.history })).sort((a, b) => b.s - a.s || Number(a.y) - Number(b.y));
  const ae = orderOf("ae");
  const z = orderOf("z");
  const rng = mulberry32(seed);
  let higher = 0;
  let lower = 0;
  let valid = 0;
  for (let d = 0; d < draws; d++) {
    const w = new Array<number>(histories).fill(0);
    for (let i = 0; i < histories; i++) w[Math.floor(rng() * histories)]++;
    const x = weightedAp(ae, w);
    const y = weightedAp(z, w);
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    valid++;
    if (x > y + 1e-12) higher++;
    else if (x < y - 1e-12) lower++;
  }
  const hi = valid ? higher / valid : 0;
  const lo = valid ? lower / valid : 0;
  return { verdict: hi >= 0.95 ? "ahead" : lo >= 0.95 ? "behind" : "tie", higher: hi, lower: lo };
}

function fmt(x: number): string {
  return Number.isNaN(x) ? "n/a" : x.toFixed(3);
}

export async function evaluate(quick: boolean, split: "evaluation" | "validation" = "evaluation") {
  const trainSeeds = quick ? TRAIN_SEEDS.slice(0, 6) : TRAIN_SEEDS;
  const testSeeds = split === "validation" ? VALIDATION_SEEDS : quick ? EVALUATION_SEEDS.slice(0, 2) : EVALUATION_SEEDS;
  const perPattern = 4;
  const fraud = Object.fromEntries(FRAUD_PATTERNS.map((p) => [p, perPattern])) as Record<FraudPattern, number>;

  const t0 = Date.now();
  const train = trainSeeds.map((seed) => generateHistory({ seed, clinics: CLINICS, days: DAYS, warmupDays: WARMUP }));
  const test = testSeeds.map((seed) => generateHistory({ seed, clinics: CLINICS, days: DAYS, warmupDays: WARMUP, fraud }));
  const genSeconds = (Date.now() - t0) / 1000;

  const models = new Map<Scope, FraudModel>();
  const trainSeconds: Record<string, number> = {};
  const scored = new Map<Scope, Scored[]>();
  const scoreRates: number[] = [];
  const epochs = quick ? 10 : TRAIN_DEFAULTS.epochs;
  for (const scope of ["clinic-day", "doctor-day"] as Scope[]) {
    const tv = train.flatMap((h) => vectorsOf(h, scope));
    const t1 = Date.now();
    const model = await trainOnVectors(tv, { scope, seed: 1, calibrationShare: TRAIN_DEFAULTS.calibrationShare, percentile: PERCENTILE, epochs, log: () => {} });
    trainSeconds[scope] = (Date.now() - t1) / 1000;
    models.set(scope, model);
    // the baseline is calibrated on the same held-out normal vectors the model's threshold came from,
    // with the mean / standard deviation normaliser fitted on the same training part
    const { held } = splitForCalibration(tv, 1, TRAIN_DEFAULTS.calibrationShare);
    const baseline = calibrateBaseline(model.manifest.normaliser, held.map((v) => v.values), PERCENTILE);
    const rows: Scored[] = [];
    for (const [hi, h] of test.entries()) {
      const vs = vectorsOf(h, scope);
      const labels = unitLabels(h, scope);
      const t2 = process.hrtime.bigint();
      const s = scoreVectors(model, vs.map((v) => v.values));
      scoreRates.push(vs.length / (Number(process.hrtime.bigint() - t2) / 1e9));
      const parts = scoreParts(model, vs.map((v) => v.values), 0);
      vs.forEach((v, i) => {
        const zs = zScore(model.manifest.normaliser, v.values).score;
        const tail = parts[i].parts.tail / model.manifest.partScale.tail;
        const byNetwork = s[i].flagged && tail <= model.manifest.threshold;
        rows.push({ unit: v.entity + "|" + v.day, history: hi, labels: labels.get(v.entity + "|" + v.day) ?? new Set(), ae: s[i].score, aeFlag: s[i].flagged, z: zs, zFlag: zs > baseline.threshold, tail, tailFlag: tail > 1, byNetwork });
      });
    }
    scored.set(scope, rows);
  }

  const results: PatternRow[] = [];
  const judge = (rows: Scored[], pattern: FraudPattern | "any pattern") => ({
    ae: qualityOf(rows, pattern, "ae"),
    z: qualityOf(rows, pattern, "z"),
    tail: qualityOf(rows, pattern, "tail"),
    verdict: pattern === "any pattern" || LEARNED.includes(pattern) || SCORED_FOR_INFORMATION.includes(pattern) ? bootstrapVerdict(rows, pattern, test.length) : undefined,
  });
  for (const pattern of FRAUD_PATTERNS) {
    const scope = PATTERN_SCOPE[pattern];
    const rows = scored.get(scope) as Scored[];
    const r: PatternRow = {
      pattern,
      scope,
      positives: rows.filter((s) => s.labels.has(pattern)).length,
      negatives: rows.filter((s) => s.labels.size === 0).length,
      ...judge(rows, pattern),
    };
    const kind = RULE_FOR[pattern];
    if (kind) {
      let hit = 0, all = 0, falseUnits = 0;
      for (const h of test) {
        const alerts = kind === "duplicate-sale" ? oneBoxOneSale(h.rows) : runRules(h.rows, [], {}).filter((a) => a.kind === kind);
        const flagged = new Set(alerts.flatMap((a) => (a.evidence.records as string[]) ?? []));
        const injected = h.labels.filter((l) => l.pattern === pattern);
        const fraudKeys = new Set(h.labels.flatMap((l) => l.records));
        for (const l of injected) {
          all++;
          if (l.records.some((k) => flagged.has(k))) hit++;
        }
        falseUnits += alerts.filter((a) => !((a.evidence.records as string[]) ?? []).some((k) => fraudKeys.has(k))).length;
      }
      r.rule = { kind, recall: all ? hit / all : NaN, falseUnits };
    }
    results.push(r);
  }
  const countySeeds = quick ? COUNTY_SEEDS.slice(0, 4) : COUNTY_SEEDS;
  const t3 = Date.now();
  const county = await countyFalseAlarms(countySeeds, epochs);
  const countySeconds = (Date.now() - t3) / 1000;
  return { county, countySeeds, countySeconds, results, models, trainSeconds, genSeconds, scoreRate: median(scoreRates), trainSeeds, testSeeds, split, perPattern, epochs, testUnits: Object.fromEntries([...scored].map(([k, v]) => [k, v.length])) };
}

export interface CountyRates {
  scope: Scope;
  /** Per county: share of its normal units on days 29-56 above the threshold fitted on days 8-28. */
  model: number[];
  z: number[];
  /** The same with the threshold the plain held-out percentile (what training used before). */
  modelPlain: number[];
  zPlain: number[];
  held: number[];
  later: number[];
  exponential: number;
}

/** A county's own model on its own later weeks: trained on days 8-28 of one normal history with the
 * gateway's own training, the z baseline thresholded the same way on the same held-out vectors; the
 * rate is the share of days 29-56's units above the threshold (target: the percentile's 0.1 %). */
export async function countyFalseAlarms(seeds: readonly number[], epochs: number): Promise<CountyRates[]> {
  const out = new Map<Scope, CountyRates>();
  for (const scope of ["clinic-day", "doctor-day"] as Scope[]) out.set(scope, { scope, model: [], z: [], modelPlain: [], zPlain: [], held: [], later: [], exponential: 0 });
  for (const seed of seeds) {
    const h = generateHistory({ seed, clinics: CLINICS, days: COUNTY_DAYS, warmupDays: WARMUP });
    const cut = new Date(Date.parse(h.startDay + "T00:00:00Z") + COUNTY_TRAIN_DAYS * 86400000).toISOString().slice(0, 10);
    for (const scope of ["clinic-day", "doctor-day"] as Scope[]) {
      const r = out.get(scope) as CountyRates;
      const all = vectorsOf(h, scope);
      const tv = all.filter((v) => v.day < cut);
      const later = all.filter((v) => v.day >= cut).map((v) => v.values);
      const model = await trainOnVectors(tv, { scope, seed: 1, calibrationShare: TRAIN_DEFAULTS.calibrationShare, percentile: PERCENTILE, epochs, log: () => {} });
      const m = model.manifest;
      const { held } = splitForCalibration(tv, 1, TRAIN_DEFAULTS.calibrationShare);
      const heldScores = scoreParts(model, held.map((v) => v.values), 0).map((p) => combine(p.parts, m.partScale, m.residualWeight));
      const plain = quantile(heldScores, PERCENTILE);
      const laterScores = scoreVectors(model, later).map((s) => s.score);
      const baseline = calibrateBaseline(m.normaliser, held.map((v) => v.values), PERCENTILE);
      const zHeld = held.map((v) => zScore(m.normaliser, v.values).score);
      const zPlain = quantile(zHeld, PERCENTILE);
      const zLater = later.map((v) => zScore(m.normaliser, v).score);
      const share = (xs: number[], t: number) => xs.filter((x) => x > t).length / xs.length;
      r.model.push(share(laterScores, m.threshold));
      r.modelPlain.push(share(laterScores, plain));
      r.z.push(share(zLater, baseline.threshold));
      r.zPlain.push(share(zLater, zPlain));
      r.held.push(held.length);
      r.later.push(later.length);
      if (m.trainedOn.thresholdMethod === "exponential") r.exponential++;
      model.net.dispose();
    }
  }
  return [...out.values()];
}

function pct(x: number): string {
  return (100 * x).toFixed(3);
}

function countyMarkdown(rates: readonly CountyRates[], seeds: readonly number[]): string[] {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cell = (xs: number[]) => `${pct(median(xs))} (${pct(mean(xs))}; ${pct(Math.min(...xs))}-${pct(Math.max(...xs))})`;
  const lines = [
    "",
    "### One county's own model: false alarms on its own later weeks",
    "",
    `Normal histories (no fraud injected), seeds ${seeds[0]}-${seeds[seeds.length - 1]}, ${CLINICS} clinics, ${COUNTY_DAYS} days each: trained on the county's own days 8-${COUNTY_TRAIN_DAYS} alone (the gateway's training, the threshold fitted as it fits it), counted on its own days ${COUNTY_TRAIN_DAYS + 1}-${COUNTY_DAYS}. Share of those units above the threshold, in %: median over the ${seeds.length} counties (mean; range). Target: ${((1 - PERCENTILE) * 100).toFixed(1)} %. "plain percentile": the same scores against the held-out ${PERCENTILE * 100}th percentile itself (the threshold before feature schema 6).`,
    "",
    "| unit | held-out units per county (median) | exponential tail used | model | z baseline | model, plain percentile | z, plain percentile |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of rates) lines.push(`| ${r.scope} | ${median(r.held)} | ${r.exponential} of ${r.held.length} | ${cell(r.model)} | ${cell(r.z)} | ${cell(r.modelPlain)} | ${cell(r.zPlain)} |`);
  return lines;
}

/** The ingest's one-box-one-sale check over a history, in the order the gateway stored the rows:
 * the duplicate-sale alerts it raises (split overruns left out). */
function oneBoxOneSale(rows: readonly FraudRow[]): FraudAlert[] {
  const index = new Map<string, DispensedEntry>();
  const byKey = new Map<string, FraudRow>();
  const alerts: FraudAlert[] = [];
  for (const r of rows) {
    const key = recordKey(r.device, r.seq);
    byKey.set(key, r);
    if (isSale(r.event) && r.code) {
      const d = judgeSale({ key, device: r.device, institution: r.institution, event: r.event, code: r.code, units: r.units, perPack: r.perPack }, index.get(r.code) ?? null);
      if (d.entry) index.set(r.code, d.entry);
      else index.delete(r.code);
      if (d.alert?.kind === "duplicate-sale") alerts.push(d.alert as FraudAlert);
    } else if (r.event === EV_UNDO && r.ref !== undefined) {
      const undone = byKey.get(recordKey(r.device, r.ref));
      if (!undone?.code) continue;
      const e = judgeUndo({ key: recordKey(r.device, r.ref), units: undone.units, event: undone.event }, index.get(undone.code) ?? null);
      if (e) index.set(undone.code, e);
      else index.delete(undone.code);
    }
  }
  return alerts;
}

function markdown(ev: Awaited<ReturnType<typeof evaluate>>, quick: boolean): string {
  const lines = [
    "# Fraud detection: evaluation on held-out histories",
    "",
    `Measured by bench/fraud.bench.ts (${quick ? "quick" : "full"} run; \`npm run bench -- --only fraud\` runs it) on ${new Date().toISOString()} (Node ${process.version}, backend ${[...ev.models.values()][0].manifest.trainedOn.backend}).`,
    "",
    `Training: normal histories, seeds ${ev.trainSeeds.join(", ")}; ${ev.split}: seeds ${ev.testSeeds.join(", ")} with ${ev.perPattern} injections of each pattern per history. Validation seeds (features, score and settings were chosen on these, never on the evaluation seeds): ${VALIDATION_SEEDS.join(", ")}. Seeds ${SEEN_EVALUATION_SEEDS[0]}-${SEEN_EVALUATION_SEEDS[SEEN_EVALUATION_SEEDS.length - 1]} were the evaluation seeds of earlier rounds; their figures have been seen, so they are no longer reported.`,
    `Each history: ${CLINICS} clinics, ${DAYS} days, first ${WARMUP} days only as history for the trailing features. Network: ${ev.epochs} epochs.`,
    `Threshold: the ${PERCENTILE * 100}th percentile of scores on held-out normal vectors (a quarter of the training histories' units, by a hash of unit and day), for the model, the baseline and the ablation alike: ${[...ev.models].map(([k, m]) => `${m.manifest.trainedOn.calibration} ${k} vectors, ${m.manifest.trainedOn.tailVectors ?? "?"} at or above the model's threshold`).join("; ")}. No fraud label is read before scoring.`,
    `Units scored: ${Object.entries(ev.testUnits).map(([k, v]) => `${v} ${k}`).join(", ")}. Each pattern is judged on the normal units plus its own units (units carrying only other patterns are left out).`,
    "",
    "### Learned patterns (abnormal dispensing): the model against the z-score baseline",
    "",
    "P, R: precision and recall at the calibrated threshold; FP: normal units above it; AP: average precision (threshold-free); P@R.9: best precision at recall >= 0.9; AUC: ROC-AUC.",
    "",
  ];
  const head = [
    "| pattern | unit | positives | normal units | model P | model R | model FP | model AP | model P@R.9 | model AUC | z P | z R | z FP | z AP | z P@R.9 | z AUC | model vs z (AP higher / lower in bootstrap draws) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const q = (x: Quality) => `${fmt(x.precision)} | ${fmt(x.recall)} | ${x.falsePositives} | ${fmt(x.ap)} | ${fmt(x.pAtR90)} | ${fmt(x.auc)}`;
  const row = (r: PatternRow) => {
    const v = r.verdict ? `${r.verdict.verdict} (${Math.round(r.verdict.higher * 100)} % / ${Math.round(r.verdict.lower * 100)} %)` : "";
    return `| ${r.pattern} | ${r.scope} | ${r.positives} | ${r.negatives} | ${q(r.ae)} | ${q(r.z)} | ${v} |`;
  };
  const learned = ev.results.filter((r) => r.pattern !== "any pattern" && LEARNED.includes(r.pattern));
  lines.push(...head, ...learned.map(row));
  lines.push("", "### Deterministic patterns: the rules, judged per injected instance", "", "Recall: an alert of the rule names one of the instance's records. duplicate-sale is the ingest's one-box-one-sale check run over the history in stored order.", "", "| pattern | rule | recall | rule alerts on records with no injected fraud |", "|---|---|---|---|");
  for (const r of ev.results) if (r.rule) lines.push(`| ${r.pattern} | ${r.rule.kind} | ${fmt(r.rule.recall)} | ${r.rule.falseUnits} |`);
  lines.push("", "For information, the model and the baseline on the deterministic patterns they also score (not judged: the rules above catch these):", "", ...head);
  lines.push(...ev.results.filter((r) => r.pattern !== "any pattern" && SCORED_FOR_INFORMATION.includes(r.pattern)).map(row));
  lines.push(
    "",
    "### What the network adds",
    "",
    "Ablation, same run: the model's tail part alone (no network), its threshold the same percentile of its held-out scores; and, at the model's threshold, the units its residual part alone (the TensorFlow.js autoencoder) brought over it:",
    "",
    "| pattern | unit | tail alone P | R | FP | AP | AUC | flagged by the network alone: positives | normal units |",
    "|---|---|---|---|---|---|---|---|---|",
  );
  for (const r of ev.results) if (r.pattern !== "any pattern" && (LEARNED.includes(r.pattern) || SCORED_FOR_INFORMATION.includes(r.pattern))) lines.push(`| ${r.pattern} | ${r.scope} | ${fmt(r.tail.precision)} | ${fmt(r.tail.recall)} | ${r.tail.falsePositives} | ${fmt(r.tail.ap)} | ${fmt(r.tail.auc)} | ${r.ae.networkHits} | ${r.ae.networkFalse} |`);
  lines.push(...countyMarkdown(ev.county, ev.countySeeds));
  lines.push("", `Scoring speed: ${Math.round(ev.scoreRate)} vectors/s (median over evaluation batches). Training: ${Object.entries(ev.trainSeconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")}. History generation: ${ev.genSeconds.toFixed(1)} s. Single-county check: ${ev.countySeconds.toFixed(1)} s.`, "");
  return lines.join("\n");
}

const bench: Bench = {
  name: "fraud",
  async run({ quick }) {
    const split = process.env.VT_FRAUD_SEEDS === "validation" ? "validation" : "evaluation";
    const ev = await evaluate(quick, split);
    // The report keeps the full evaluation: a --quick smoke run or a validation run does not overwrite it.
    if (!quick && split === "evaluation") writeFileSync(join(__dirname, "..", "docs", "fraud-evaluation.md"), markdown(ev, quick) + "\n" + NOTES);
    else process.stderr.write(markdown(ev, quick) + "\n");
    const rows: BenchRow[] = [];
    for (const r of ev.results) {
      if (r.pattern === "any pattern") continue;
      if (LEARNED.includes(r.pattern)) {
        const met = r.ae.recall >= 0.9 && r.ae.precision >= 0.8;
        rows.push({ area: "fraud", metric: `${r.pattern} (learned): model recall / precision (${r.scope}, ${split})`, value: `${fmt(r.ae.recall)} / ${fmt(r.ae.precision)}`, unit: "", target: "recall >= 0.9 at precision >= 0.8", baseline: `z-score ${fmt(r.z.recall)} / ${fmt(r.z.precision)}`, pass: met });
        const verdict = r.verdict?.verdict ?? "tie";
        rows.push({ area: "fraud", metric: `${r.pattern} (learned): average precision model vs z-score`, value: r.ae.ap, unit: "", target: "ahead of baseline (AP higher in >= 95 % of bootstrap draws)", baseline: fmt(r.z.ap), ratio: r.ae.ap / r.z.ap, pass: verdict === "ahead", note: `${verdict}; ROC-AUC ${fmt(r.ae.auc)} vs ${fmt(r.z.auc)}; false alarms ${r.ae.falsePositives} vs ${r.z.falsePositives}` });
      } else if (SCORED_FOR_INFORMATION.includes(r.pattern)) {
        rows.push({ area: "fraud", metric: `${r.pattern} (rule pattern): model recall / precision, information`, value: `${fmt(r.ae.recall)} / ${fmt(r.ae.precision)}`, unit: "", baseline: `z-score ${fmt(r.z.recall)} / ${fmt(r.z.precision)}`, note: `AP ${fmt(r.ae.ap)} vs ${fmt(r.z.ap)} (${r.verdict?.verdict ?? "tie"})` });
      }
      if (r.rule) rows.push({ area: "fraud", metric: `${r.pattern}: rule ${r.rule.kind} recall`, value: r.rule.recall, unit: "", target: "recall >= 0.9", pass: r.rule.recall >= 0.9, note: `${r.rule.falseUnits} rule alerts on records with no injected fraud` });
    }
    for (const r of ev.county) {
      const m = median(r.model);
      rows.push({ area: "fraud", metric: `single-county false alarms, ${r.scope}: trained on own days 8-${COUNTY_TRAIN_DAYS}, rate on days ${COUNTY_TRAIN_DAYS + 1}-${COUNTY_DAYS} (median over ${r.model.length} counties)`, value: `${pct(m)} %`, unit: "", target: `${((1 - PERCENTILE) * 100).toFixed(1)} %`, baseline: `z-score ${pct(median(r.z))} %`, pass: m <= 1 - PERCENTILE, note: `mean ${pct(r.model.reduce((a, b) => a + b, 0) / r.model.length)} %; plain percentile: model ${pct(median(r.modelPlain))} %, z ${pct(median(r.zPlain))} %` });
    }
    rows.push({ area: "fraud", metric: "scoring speed", value: Math.round(ev.scoreRate), unit: "vectors/s", note: "median over evaluation batches" });
    for (const [k, v] of Object.entries(ev.trainSeconds)) rows.push({ area: "fraud", metric: `training time ${k}`, value: v, unit: "s" });
    return rows;
  },
};

const NOTES = `## Reading the tables

- Which patterns are judged how, as issue 6 classes them: double-sale (one box sold twice),
  night-phantom (sessions at impossible hours), replay-device (a device selling codes it sold
  before) and patient-hopping (one patient at several clinics in a day) are DETERMINISTIC signals:
  the one-box-one-sale check at ingest and the rules of gateway/src/fraud/rules catch them, and they
  are judged by rule recall. bulk-doctor and high-price-skew are the LEARNED part (abnormal
  dispensing, visible only in a clinic-day's or doctor-day's figures): "recall >= 0.9 at precision
  >= 0.8" and "the model ahead of the baseline" are judged on these two. The model and the
  baseline also score the three deterministic patterns that leave a trace in the features; those
  columns are shown for information and are not part of the verdict.
- "model" is what the gateway's day close runs (gateway/src/fraud/model, model format 4, feature
  schema 7): a
  denoising autoencoder (TensorFlow.js) trained on normal history plus per-feature tail scales
  fitted on the same training part. Score = the larger of the tail part and half the residual
  part, each first divided by its 99.9th percentile on the held-out normal vectors; the threshold is
  the 99.9th percentile of held-out scores, or, when fewer than 5 held-out vectors are expected
  above it (a county's own few weeks, not this page's 48 histories), read off an exponential
  fitted to the top tenth of them (see "One county's own model"). The tail part is
  the largest excess of a signal over its median, in units of that signal's own 99.9th-percentile
  excess on normal days (gateway/src/fraud/tails.ts); the residual part is the largest amount by
  which a signal sits above the autoencoder's reconstruction, in units of that feature's
  99.9th-percentile upward residual. Both are one-sided: a day quieter than usual is not an alert.
  Context features (size of the day, weekend) are inputs only. Alerts name the three features
  with the largest share of the score.
- The features (gateway/src/fraud/features.ts, its header lists all 18): counts judged against the
  clinic's (doctor's) own last 28 days shrunk towards the county's, mostly as -log10 tail
  probabilities. Two read prices (they need the price catalogue): high_price_surprise, how many
  of the day's whole boxes are expensive (>= 100 yuan) against the own rate (beta-binomial), and,
  since feature schema 7, expensive_mix_lr, which expensive products they are: log10 of the
  likelihood ratio of "a share s of the day's boxes are expensive drugs picked without regard to
  what this clinic dispenses" (any of the expensive products the county dispenses, alike; s as
  the day fits it best) against the clinic's usual dispensing (its expensive rate, and its mix of
  expensive products, its own 28 days shrunk towards the county's). A box of a popular expensive
  drug weighs little, one of a drug the clinic and the county seldom dispense weighs much; it is
  0 on days the usual dispensing explains at least as well. value_per_session_vs_usual is the
  day's yuan per session against the clinic's own.
- "z" is the baseline (gateway/src/fraud/baseline.ts), unchanged: the largest two-sided |z| over
  the same 18 features, standardised with the mean and standard deviation of the same training
  part, thresholded at the same percentile of the same held-out normal vectors, by the same rule.
- How "ahead" is judged: average precision (AP) is the threshold-free measure; precision at a
  percentile threshold is not, because a threshold at the 99.9th percentile of held-out normal
  scores flags about 0.1 % of normal units for ANY detector by construction, and which of two
  detectors draws more of them is mostly the noise of estimating a 99.9th percentile from a few
  thousand held-out vectors. The verdict is a paired bootstrap over the 10 evaluation histories
  (1,000 draws of histories with replacement, both detectors on each draw): ahead when the
  model's AP is higher in at least 95 % of the draws, behind when lower in 95 %, otherwise tied.
- Rules are judged per injected instance (recall: an alert of the rule names one of its records)
  and by the alerts they raise on records with no injected fraud. duplicate-sale is the ingest's
  one-box-one-sale check (gateway/src/checks/one-box-one-sale.ts) run over the history in the order
  the gateway stored it. The odd-hours count is the generator's genuine after-hours emergency
  visits (2-8 % of clinic-days): the rule reports them by design.
- "What the network adds": the tail part on its own, calibrated the same way, and the units the
  model flagged only because of its residual part (the tail part alone stays under the threshold).

## Seeds

- Training 101-148 (normal), validation 301-306 (labelled), evaluation 221-230 (labelled, first
  scored in this round), disjoint. Every choice was made on the validation seeds
  (\`VT_FRAUD_SEEDS=validation npm run bench -- --only fraud\` runs the same evaluation there and
  writes no doc), on labelled seeds 307-318 generated for this round as a second validation set
  (48 more high-price-skew days; its figures are the tail part of the score, see "This round") and,
  for false-alarm rates, on normal histories generated for that (101-164 as training sets,
  101-130 as single counties, 401-440 to count on; see Calibration).
- Normal seeds 401-430 (56 days each) are the single-county check above; the single-county choices
  of the last two rounds were made on normal seeds 101-130. The validation command runs the same
  check, so its figures for the variants tried on validation were seen (see "This round").
- Why fresh evaluation seeds: 211-220 were scored four times over three rounds (feature schemas
  4, 5 and 6; the last: high-price-skew R 0.872 P 0.756, 11 false alarms on 5,922 normal
  clinic-days, P@R.9 0.295; bulk-doctor R 0.942 P 0.855), and a round that sets out to lift a
  figure its evaluation seeds have shown several times risks fitting them even when every choice
  is made elsewhere. 221-230 had never been generated before this round's one full run, made
  after every choice was frozen. 211-220 and 201-210 (the evaluation seeds up to model format 3)
  are no longer reported.

## Findings on the evaluation seeds 221-230 (this round's one full run, the tables above)

- high-price-skew: recall 0.923 (36 of 39 days) at precision 0.766 (11 false alarms on 5,914 normal
  clinic-days, 0.19 % where the threshold promises 0.1 %): the target (recall >= 0.9 at precision
  >= 0.8) is NOT met, on precision this time. The ranking would allow it: P@R.9 is 0.923 (0.295 on
  211-220 with schema 6), so a threshold exists with recall 0.9 at precision 0.92; the calibrated
  one draws 11 normal days, as schema 5 and 6 drew 10-11 on 211-220's 5,922. The three days
  missed: 3 expensive of 8 boxes, and two days of 7 boxes where the injection turned 1 box.
- Against the z baseline on high-price-skew: AP 0.931 against 0.935, tied (the model higher in 26 %
  of the bootstrap draws, lower in 74 %): "the model ahead of the baseline" is NOT met on this
  pattern. As on validation, the baseline reads the new feature as well as the model does (see
  "This round").
- bulk-doctor: recall 0.940 at precision 0.907 (78 of 83, 8 false alarms on 11,196 normal
  doctor-days): met; AP 0.958 against 0.874, ahead in 100 % of the draws.
- One county's own model (401-430): clinic-day median 0.000 % (mean 0.136 %), doctor-day 0.066 %
  (0.103 %): met.
- Looked at after the run, nothing changed on it: the model's tail part (its score here: the
  ablation table matches it) on these seeds without the new feature (schema 6's 17 features,
  fitted on the same training histories) ranks 35 of 39 days above its threshold with 8 false
  alarms, AP 0.922. Of the schema-7 model's 11 false alarms, 3 are driven by expensive_mix_lr, 3
  by nocode_surprise, one each by five other signals.
- Where the 11 false alarms come from (checked after the run, nothing changed on it): not from the
  fraud. None of the normal-labelled units above the threshold holds an injected record, a record a
  rule alert pairs with one, or a code an injection sells again; 9 of the 11 score the same when the
  same seeds are generated with no fraud at all, and the no-fraud 221-230 draw 13 of 6,278
  clinic-days (0.207 %). The same check on validation 301-318: 7 of 10,639 normal-labelled units
  flagged, all 7 at the same score without the fraud. What the threshold gives on purely normal
  histories moved with the schema: the bench's schema-7 model flags 32 of 25,105 clinic-days of
  normal 401-440 (0.127 %; the calibration study below measured 0.064-0.096 % for schema 6's tail
  part). At 0.127 % these 5,914 days expect 7.5 false alarms; 11 or more has a chance of about
  14 %. So the precision miss is the threshold's own sampling error for schema 7 plus these
  counties, and a threshold that promised 0.1 % on schema 7 would need more held-out normal data.
- Deterministic patterns: rule recall 1.000 for all four, 159 odd-hours alerts on genuine
  after-hours visits. The network's residual part alone flagged no unit.

## This round (feature schema 7): high-price-skew, which products a day's boxes are

- The starting point (feature schema 6, seeds 211-220): high-price-skew recall 0.872 at precision
  0.756, P@R.9 0.295: the days missed were small days where k expensive boxes of n is a count normal
  days also reach. On validation (301-306) the tail part of the score (it matches the model's
  clinic-day score in every run) ranked 19 of 24 days above the threshold, AP 0.894, P@R.9 0.611.
- Diagnosis: the injection picks the expensive box it puts in UNIFORMLY among the expensive
  products (simulator/src/history/inject.ts, plan.ts pickProduct), normal dispensing by popularity
  times the clinic's lean towards expensive drugs. So besides the count there is the product mix:
  a resold drug is chosen for its resale value, not for the village's patients, and turns up where
  the clinic and the county seldom dispense it. Its value in yuan carries nothing more (the
  catalogue's prices do not follow popularity). The days still missed after this round: on
  301-306 a day of one session with 2 boxes (1 expensive), 4 of 13 and 6 of 19 boxes; on 307-318
  the lowest are 2 of 5, 3 of 5 and 2 of 6 boxes, of products the clinic dispenses anyway: within
  what normal days reach, whatever the feature.
- Measured on the validation seeds and on labelled seeds 307-318 (12 histories, 48 high-price-skew
  days, generated for this round), the tail part and the z baseline fitted on training histories
  101-148 as in the bench; AP on 301-306 / 307-318 (recall at the threshold, false alarms):

| variant | tail part | z baseline |
|---|---|---|
| feature schema 6 | 0.894 (19/24, 2) / 0.820 (36/48, 4) | 0.762 / 0.708 |
| "which products" alone, an extra feature: exact tail of the day's summed product surprisal given its number of expensive boxes | 0.889-0.893 / - | |
| that tail and the count's combined into one (Fisher's method, or summed at weight 0.5 or 1) | 0.864-0.928 / 0.831 | |
| expensive_mix_lr in place of high_price_surprise | 0.932 (20/24, 1) / 0.847 (39/48, 6) | 0.943 / 0.864 |
| expensive_mix_lr next to it (kept) | 0.939 (21/24, 1) / 0.850 (39/48, 6) | 0.943 / 0.864 |
| its settings (either place): county mix worth 20-300 boxes, 0.5-2 pseudo boxes a product, rate prior 10-50 boxes, the county's mix alone | 0.924-0.949 / 0.842-0.852 | 0.943-0.947 / 0.864-0.873 (three of them) |
| with value per box against the own, or the day's yuan against the own daily yuan, added | 0.936-0.941 / 0.850 | |
| value per box alone added to schema 6 | 0.895 / 0.820 | |

- Kept: expensive_mix_lr (feature schema 7, gateway/src/fraud/features.ts; the likelihood ratio is
  gateway/src/fraud/surprise.ts contaminationLr), county mix worth 50 boxes, one pseudo box a
  product, the expensive rate's prior as for high_price_surprise (20 boxes). On the 48 normal
  training histories it is 0 on 70 % of clinic-days, its 99.9th percentile 1.9, and a county's
  later weeks sit where its first weeks did (1.07 % of days 29-56 above the own days 8-28's 99th
  percentile, seeds 101-115). The whole model on validation: recall 0.875 at precision 0.955 (1
  false alarm), AP 0.939, P@R.9 0.917; bulk-doctor R 0.944, P 0.971 (1 false alarm).
- The z baseline gains as much: it reads the same feature, and a figure that is 0 on most days
  and rises only on a mixed-up expensive day is what a standard deviation scales well (the count
  surprise, signed and spread wide by big quiet days, it read badly). On validation the model and
  the baseline tie on high-price-skew (AP 0.939 against 0.943, the model higher in 41 % of the
  bootstrap draws, lower in 57 %; on 301-318 together, tail part, lower in 93 %). The model's lead
  on this pattern came from how the two read the count; with the products in a feature of their
  own, both see the pattern about equally well.
- Tried to put the model ahead by its own means, not kept:
  - the tail part as the largest excess plus w times the second largest (two high figures on one
    day are rarer than one): on 301-318, tail part, high-price-skew AP 0.879 / 0.889 / 0.894 / 0.898
    for w 0 / 0.25 / 0.5 / 1 (baseline 0.889; the model higher in 7 / 52 / 83 / 94 % of the draws),
    bulk-doctor doctor-days 0.967 / 0.973 / 0.976 / 0.978. The whole model at w 0.5 on validation:
    high-price-skew R 0.958 P 0.920, AP 0.953, ahead of the baseline in 97 % of the draws. But a
    county's own model then raises more false alarms: on normal seeds 101-130 (tail part, median
    (mean) % of later units) clinic-day 0.120 (0.168) at w 0, 0.000 (0.160) at 0.5, 0.119 (0.184) at 1,
    doctor-day 0.065 (0.094), 0.070 (0.114), 0.094 (0.117); the validation command's check on
    401-430 gave clinic-day 0.119 % and doctor-day 0.116 % at w 0.5 (target 0.1 %; 0.000 and 0.066 at
    w 0; with the plain percentile as threshold the doctor-day median rose too, 0.160 -> 0.230 %).
    Why the summed score's tail is heavier on a county's later weeks was not measured; not kept.
  - tail scales at the 99th or 99.5th percentile, exponential tails fitted above the 95th-99.5th,
    scales per day size (terciles and quartiles of sessions): 0.923-0.945 / 0.833-0.858, none
    above the baseline on both sets.
  - a log or square root of the new figure: the tail part barely moves (0.923-0.932 / 0.836-0.840)
    and the baseline falls to 0.77-0.91 / 0.73-0.83. Not kept: picked for what it does to the
    baseline, it would no longer be the fair comparison the baseline is there for.
- The single-county check with the new feature (whole model, seeds 401-430, seen in the validation
  command): clinic-day median 0.000 % (mean 0.136 %), doctor-day 0.066 % (0.103 %). On 101-130 (tail
  part) the clinic-day median moved from 0.000 % (mean 0.124 %) to 0.120 % (0.168 %), counties
  above 0.1 % from 13 to 16 of 30: one false alarm in a county's four later weeks is 0.12 %, so the
  median flips with a county or two; the mean rose by about one false alarm in every third
  county. Doctor-day 0.065 % (0.090 %) -> 0.065 % (0.094 %).
- Model format stays 4 (the score is unchanged); feature schema 7 refuses models saved on schema 6
  with the retrain command (tests/gateway/fraud/model.test.ts). The committed scenario models were
  retrained.

## One county's own model (feature schema 6): false alarms on its own later weeks

- The question: a county runs \`gateway model train\` on its own store, a few weeks of its own
  clinics. Simulated (normal histories of 56 days, 30 clinics, trained on days 8-28 alone,
  counted on days 29-56 of the same county), 2.4 % of the later clinic-days (median over 30
  counties 1.7 %) and 0.98 % of doctor-days were above a 99.9th-percentile threshold. Two causes
  were suspected and measured apart, on normal seeds 101-130 only.
- Drift: each feature's distribution on days 8-28 against days 29-56 (30 normal counties: 18,807
  and 25,049 clinic-days; 34,882 and 46,427 doctor-days). One feature drifted: new_patient_surprise.
  Of the later days, 5.1 % of clinic-days (3.7 % of doctor-days) were above the pooled early
  99.9th percentile, and 11.1 % (11.0 %) of a county's later days above its own early 99th
  percentile; every other signal 0.5-1.3 % (1.6 % for undo_surprise doctor-days), about the 1 %
  that is due. The cause: "new" meant not seen in the last 28 days, a lookback never full in the
  first four weeks, so early days had many new patients and the own rate they set was inflated;
  the day close, reading 28 days of records, had the same truncated lookback on every past day.
  The generator's patient pool is not the cause (visits settle once the lookback is full). Fix
  (feature schema 6, gateway/src/fraud/features.ts): new means not seen in the last 7 days, a
  lookback full on every trained day, and the rate is taken over the last 21 days whose own
  lookback is full (on both sides: own and county), the same window in training and at the day
  close. Afterwards: 0.7 % (1.0 %) of later days above the own early 99th percentile, 0.056 %
  (0.075 %) above the pooled early 99.9th. No injected pattern touches new patients; the test
  (tests/gateway/fraud/features.test.ts) checks a normal county's later weeks and that 28 days of
  records give the figure a full history gives.
- The threshold: with ~150 held-out clinic-days (~280 doctor-days) the 99.9th percentile is about
  their largest score. Tail part of the score (it matches the whole model's score here), same 30
  counties; median % of later units above (mean):

| | clinic-day | doctor-day | z baseline clinic-day | z baseline doctor-day |
|---|---|---|---|---|
| schema 5, plain percentile | 1.732 (2.435) | 0.481 (0.983) | 0.240 (0.707) | 0.716 (0.654) |
| schema 5, exponential above 90th | 0.778 (0.954) | 0.368 (0.580) | 0.000 (0.224) | 0.069 (0.346) |
| schema 6, plain percentile | 0.180 (0.571) | 0.157 (0.256) | 0.240 (0.707) | 0.716 (0.654) |
| schema 6, exponential above 95th | 0.000 (0.168) | 0.068 (0.131) | 0.000 (0.156) | 0.064 (0.246) |
| schema 6, exponential above 90th | 0.000 (0.124) | 0.065 (0.090) | 0.000 (0.224) | 0.069 (0.337) |
| schema 6, exponential above 80th | 0.000 (0.060) | 0.065 (0.090) | 0.000 (0.263) | 0.457 (0.477) |

- Kept: the exponential above the 90th percentile (gateway/src/fraud/quantile.ts,
  thresholdQuantile), only where fewer than 5 held-out vectors are expected above the percentile
  (under 5,000 held out at 99.9 %: this page's 48 training histories keep the plain percentile, as
  measured in the round before), for the model and the baseline alike; the model records which
  (manifest trainedOn.thresholdMethod). The whole model (network included) on the same 30
  counties: clinic-day median 0.000 % (mean 0.124 %), doctor-day 0.065 % (0.090 %), against 0.180 %
  (0.571 %) and 0.157 % (0.258 %) with the plain percentile. A county's later weeks hold about 830
  clinic-days, so one false alarm is 0.12 %: a median of 0 says most counties saw none in four
  weeks; the mean carries the counties whose later weeks hold a flu wave or a run of undos the
  first weeks did not. The table above ("One county's own model") repeats the check on fresh
  normal seeds 401-430.
- \`gateway model train\` refuses fewer than 100 held-out vectors (MIN_CALIBRATION_VECTORS: 10
  above the fit's base; about 14 trained days, 21 days of records, for 30 clinics) and says to
  train on more days; between that and 5,000 it trains and logs that the threshold is read off a
  fitted tail and is a rough estimate.
- The committed scenario models (simulator/src/history/fraud-model, 645 held-out clinic-days, 899
  doctor-days) now take their threshold from the fit.

## Calibration (48 training histories): what the 99.9th percentile rests on

- The question: with 16 training histories the threshold is the 99.9th percentile of about 2,400
  held-out clinic-days, i.e. it rests on their top 2-3, and the evaluation counties saw 0.19 % false
  alarms where it promises 0.1 %. Measured: more calibration data, and a fitted tail instead of the
  plain percentile, the same method for the model, the ablation and the baseline.
- How (never on 211-220): the model's tail part (its clinic-day score to the third decimal, and the
  ablation) and the z baseline, fitted and thresholded as in the bench, on training sets drawn from
  normal seeds 101-164: 64 single histories, 16 sets of 4, 4 disjoint sets of 16, 2 of 32, 2 of 48
  (101-148, 117-164), 1 of 64, sets of 16 or more each with 5 hash splits of the held-out quarter.
  The false-alarm rate each threshold gives is counted on the validation normal units (301-306:
  3,545 clinic-days, 6,825 doctor-days) and, since 3.5 expected false alarms cannot tell two
  thresholds apart, on 40 normal histories generated for it (seeds 401-440: 25,105 clinic-days,
  48,034 doctor-days; their own count noise is about +-0.02 points at 0.1 %).
- Fitted tails: above the 95th (or 98th, 90th) percentile u of the held-out scores, an exponential
  (mean excess) or a generalised Pareto (probability-weighted moments, shape clamped to +-0.5)
  fitted to the excesses, the 99.9th percentile read off the fit.

False-alarm rate (%) on the 40 normal histories, target 0.1: median (range) over the draws, and the
standard deviation for the tail part; validation false alarms, mean per draw.

| threshold | training histories | draws | held-out units | unit | tail part | sd | z baseline | validation FP tail / z |
|---|---|---|---|---|---|---|---|---|
| percentile | 1 | 64 | 151 | clinic-day | 0.520 (0.004-4.883) | 0.875 | 0.956 (0.004-3.326) | 25.6 / 21.0 |
| percentile | 4 | 16 | 603 | clinic-day | 0.167 (0.004-1.310) | 0.303 | 0.116 (0.004-0.988) | 7.1 / 4.1 |
| percentile | 16 | 20 | 2,511 | clinic-day | 0.082 (0.020-0.155) | 0.038 | 0.135 (0.020-0.227) | 1.6 / 1.8 |
| percentile | 32 | 10 | 5,022 | clinic-day | 0.082 (0.056-0.104) | 0.016 | 0.133 (0.044-0.155) | 1.2 / 0.8 |
| percentile | 48 | 10 | 7,515 | clinic-day | 0.064 (0.040-0.096) | 0.018 | 0.127 (0.076-0.147) | 1.3 / 1.0 |
| percentile | 64 | 5 | 10,043 | clinic-day | 0.076 (0.044-0.096) | 0.017 | 0.135 (0.092-0.159) | 1.2 / 1.4 |
| exponential above 95th | 16 | 20 | 2,511 | clinic-day | 0.084 (0.012-0.112) | 0.022 | 0.016 (0.008-0.040) | 1.4 / 0.0 |
| exponential above 95th | 48 | 10 | 7,515 | clinic-day | 0.076 (0.028-0.092) | 0.017 | 0.020 (0.012-0.020) | 1.0 / 0.0 |
| Pareto above 95th | 16 | 20 | 2,511 | clinic-day | 0.116 (0.004-0.307) | 0.079 | 0.020 (0.008-0.080) | 2.7 / 0.1 |
| Pareto above 95th | 48 | 10 | 7,515 | clinic-day | 0.116 (0.012-0.147) | 0.036 | 0.020 (0.020-0.036) | 2.1 / 0.0 |
| percentile | 1 | 64 | 291 | doctor-day | 0.299 (0.002-1.661) | 0.356 | 0.453 (0.002-1.680) | 26.3 / 19.6 |
| percentile | 4 | 16 | 1,164 | doctor-day | 0.163 (0.002-0.446) | 0.099 | 0.033 (0.004-0.974) | 8.8 / 4.5 |
| percentile | 16 | 20 | 4,700 | doctor-day | 0.109 (0.046-0.152) | 0.034 | 0.039 (0.012-0.067) | 4.7 / 0.2 |
| percentile | 32 | 10 | 9,400 | doctor-day | 0.108 (0.081-0.137) | 0.020 | 0.042 (0.027-0.046) | 3.5 / 0.0 |
| percentile | 48 | 10 | 14,147 | doctor-day | 0.095 (0.077-0.125) | 0.014 | 0.042 (0.040-0.044) | 2.7 / 0.0 |
| percentile | 64 | 5 | 18,799 | doctor-day | 0.102 (0.085-0.121) | 0.012 | 0.040 (0.037-0.040) | 3.2 / 0.0 |
| exponential above 95th | 16 | 20 | 4,700 | doctor-day | 0.106 (0.010-0.202) | 0.043 | 0.015 (0.004-0.044) | 4.0 / 0.0 |
| exponential above 95th | 48 | 10 | 14,147 | doctor-day | 0.112 (0.046-0.160) | 0.035 | 0.016 (0.008-0.037) | 3.1 / 0.0 |
| Pareto above 95th | 16 | 20 | 4,700 | doctor-day | 0.115 (0.002-0.173) | 0.041 | 0.004 (0.002-0.017) | 4.1 / 0.0 |
| Pareto above 95th | 48 | 10 | 14,147 | doctor-day | 0.113 (0.010-0.137) | 0.044 | 0.004 (0.004-0.006) | 2.7 / 0.0 |

- The whole model (network included, the bench's own training, hash split 1), same 40 histories:
  trained on 101-116, clinic-day 0.127 % (validation: 2 false alarms, 19 of 24 high-price-skew
  days), doctor-day 0.135 % (7 false alarms, 34 of 36 bulk-doctor days); on the other disjoint
  sixteens 0.072-0.100 % and 0.050-0.162 %; on 101-148, 0.096 % (2, 19 of 24) and 0.079 % (4, 34
  of 36). Recall on validation does not move.
- Kept: 48 training histories (101-148), threshold method unchanged. Tripling the held-out part
  halves the spread of the false-alarm rate a threshold gives (tail part, clinic-day sd 0.038 ->
  0.018 points, range 0.020-0.155 % -> 0.040-0.096 %; doctor-day 0.034 -> 0.014, 0.046-0.152 % ->
  0.077-0.125 %), 64 histories add little more, and training takes about three times as long.
- Not kept: fitted tails. On the tail part the exponential narrows clinic-day at 16 histories (sd
  0.022 against 0.038) but widens doctor-day (0.043 against 0.034) and no longer helps at 48; some
  draws drop to 0.010-0.012 % (the fitted threshold far above the plain one); the Pareto fit is
  wider on both. On the z baseline both fits set the
  threshold far too high (0.004-0.020 % realised instead of 0.1 %): its |z| tail is not
  exponential, so the same method for both detectors would no longer be a fair comparison. Neither
  beats the plain percentile of 48 histories. With one history's 151 held-out clinic-days an
  exponential above the 90th percentile does pull the median from 0.52 % to 0.27 %, the z
  baseline's from 0.96 % to 0.04 %: far from the target either way.
- Not kept: half of the vectors held out instead of a quarter (tail part, 16 histories: clinic-day
  mean 0.079 %, sd 0.032, against 0.083 % and 0.038; doctor-day 0.092 %, sd 0.024 against 0.108 %,
  0.034), a little narrower, with half the vectors left to learn from.
- In the gateway (gateway/src/fraud/model/train.ts), where the saved model's threshold is computed
  and which this bench calls: the threshold is still the held-out 99.9th percentile. The model now
  records how many held-out vectors lie at or above it (manifest trainedOn.tailVectors, optional:
  models saved before load as they did, model format stays 4), and training says so in its log
  when fewer than 5 held-out vectors are expected above it (fewer than 5,000 held out, 20,000
  vectors at a quarter). Vectors with a missing or non-finite figure are left out of training: a
  single NaN used to make the normaliser, the loss and the threshold NaN, and the model then never
  flagged anything (tests/gateway/fraud/calibration.test.ts).
- Why it matters in a county, which trains on its own weeks: one simulated county of 30 clinics
  (seeds 101-130, 56 days generated, trained on days 8-28, counted on days 29-56 of the same
  county) holds out about 150 clinic-days, and the 99.9th percentile of 150 is about their
  largest: 2.4 % of the next four weeks' clinic-days were above it (median over the 30 counties
  1.7 %), 0.98 % of doctor-days; with the exponential fit 0.95 % and 0.58 %. Part of that may be the
  later weeks drifting from the first ones, which this does not separate. The committed scenario
  models (simulator/src/history/fraud-model) rest on 645 held-out clinic-days and 899 doctor-days.
  The next round (feature schema 6) separated and fixed both parts (see "One county's own model").

## An earlier round (feature schema 5): high-price-skew

- Diagnosis, on validation: high_price_surprise was a Poisson surprise of expensive ITEMS against
  the clinic's share with its highest-share day left out. A Poisson count has no ceiling, so k of
  a small day's n items is judged as if it could go on past n, and for an event as rare as an
  expensive box (2-13 % of a clinic's boxes) the day left out is a good part of its history. The
  injected days that were missed were small: 7-19 boxes of which 4-9 expensive, at clinics whose
  own rate is 3-13 %, and one day of a single session with 2 boxes. Their value per box carries
  nothing beyond the count (the injected expensive boxes cost about what the clinic's usual
  expensive boxes cost), and the injection leaves sessions, items, patients and hours alone, so the
  count of expensive whole boxes among the day's whole boxes is the evidence there is.
- Kept: high_price_surprise = betaBinomialSurprise (gateway/src/fraud/surprise.ts) of k expensive
  whole boxes out of the day's n whole boxes, the rate a Beta of the clinic's whole 28-day past
  (no day left out) plus the county's rate worth 20 boxes (and half a box each way). A 4-of-7 day
  is judged as the 4 draws of 7 it is; a clinic whose rate rests on few boxes counts as unsure. On
  normal training days its 99.9th percentile is 2.57 (the Poisson feature's: 2.95). Validation,
  same histories and threshold (the schema-4 figures are its tail part, which has matched the
  model's clinic-day score to the third decimal in every run): AP 0.832 -> 0.891, recall 0.708 ->
  0.792 at 2 false alarms (precision 0.895 -> 0.905), P@R.9 0.222 -> 0.595; the baseline, on the
  same new feature, AP 0.767.
- Tried on validation (the model's clinic-day score is its tail part to the third decimal, so the
  variants were measured on the tail part, thresholds as in the bench), not kept: expensive items
  instead of whole boxes, AP 0.907 (splits and no-code items are not what is resold; within the
  noise of 24 positives); leaving the highest-share day out, AP 0.864; prior weight 10 / 50 boxes,
  own past capped at 300 boxes: 0.88-0.90; value per box instead of per session, 0.898 (0.895);
  the price signals summed into one, 0.85-0.87 and worse with more weight on value; per-feature
  exponential tails fitted above the 95th-99.5th percentile instead of the 99.9th-percentile
  scale, 0.88-0.90; expensive boxes of products the clinic had not dispensed in 28 days: 13.7 % of
  injected expensive boxes against 10.7 % of normal ones, no signal.
- Generator fix (simulator/src/history/inject.ts): a high-price-skew injection rewrote every cheap
  box of its clinic-day, including boxes another injection had placed and the first sale of a
  double sale, whose label then named a code the history held once (the one double-sale instance
  missed on 211-220 before). It now leaves those boxes alone (tests/gateway/fraud/history.test.ts).
- The residual weight was measured again on validation with the new feature (0.3 / 0.5 / 0.7):
  bulk-doctor false alarms 5 / 7 / 5, the same recall, the network flagging no positive; the
  clinic-day scores do not move. Non-monotonic and within noise, so 0.5 stays.
- Unchanged: model format 4 (a schema-4 model is refused at load with the retrain command), the
  other 16 features, tail scales, network, training, the 99.9th-percentile threshold.

## Findings of an earlier round on the evaluation seeds 211-220 (feature schema 5, its own run)

The figures below are that run's, on seeds no longer reported; the tables above are this round's
run (feature schema 7, model format 4, seeds 221-230).


- high-price-skew: recall 0.872 at precision 0.773 (34 of 39 positives, 10 false alarms on 5,922
  normal clinic-days): the target (recall >= 0.9 at precision >= 0.8) is NOT met, and the
  calibration cannot meet it: 36 of 39 would be needed, and P@R.9 is 0.308 (the last positives
  rank below many normal days). AP 0.894 against the baseline's 0.832 (ahead in 100 % of the
  bootstrap draws); with 16 training histories, on these seeds, 0.889 / 0.838 and 11 false alarms.
  On validation the positives scored lowest are a day of one session with 2 boxes (one expensive)
  and days of 7-19 boxes with 4-6 expensive: a skew of 40-70 % of a small day's cheap boxes is a
  few draws, within what normal days reach.
- The false alarms: 10 of 5,922 normal clinic-days (0.17 %) where the threshold promises 0.1 %
  (5.9); it now rests on 8 held-out clinic-days instead of 2-3, and the same training gave 0.096 %
  on the 40 normal histories of the calibration study and 2 of 3,545 validation clinic-days. So the
  remaining excess is not the threshold's sampling error: 10 or more where 5.9 are expected has a
  Poisson chance of about 8 %, and the training on 16 histories drew 11 on the same days, so the
  excess may lie in these ten counties; nothing measured here tells that from chance. The tail part
  alone draws the same 10.
- bulk-doctor: recall 0.942 at precision 0.890 (65 of 69 positives, 8 false alarms on 11,440 normal
  doctor-days, 0.07 %): met. With 16 training histories 0.971 at 0.817 (67 of 69, 15 false
  alarms): the threshold now sits higher, two positives fewer, seven false alarms fewer. AP 0.976
  against 0.874, ahead in 100 % of the draws.
- So: the model is ahead of the baseline on both learned patterns; recall >= 0.9 at precision >=
  0.8 holds for bulk-doctor and not for high-price-skew.
- What the network adds, measured: nothing. Its residual part alone flagged no unit on any pattern,
  positive or normal (with 16 training histories it brought 5 normal doctor-days); the tail part
  alone has the same false alarms and the same AP on every pattern. It stays in the score because
  the issue asks for a learned model and because it is the only part that could flag a day whose
  figures are each ordinary but do not fit together, which none of the injected patterns is; on
  these patterns the score is the tail part.
- Deterministic patterns: rule recall 1.000 for all four, and 130 odd-hours alerts on genuine
  after-hours visits.
- Training takes about three times as long with 48 histories (clinic-day 20.8 s, doctor-day 43.1 s,
  against 7.3 s and 11.9 s in the last full run).
- Differences in the third decimal of ROC-AUC are within noise at 39-69 positives per pattern.

## Production path

- The day close (gateway/src/fraud/service.ts) computes the same features and calls the same
  scoreVectors as this bench. Models saved before format 4 or on features before schema 7 are refused at load (retrain with
  \`gateway model train\`). The day close does not let the models judge a day with fewer than 10
  sessions in the county's history before it (gateway/src/fraud/engine.ts, MIN_HISTORY_SESSIONS):
  every surprise feature would be measured against almost nothing (the rules still run, and the
  run log says why).
- Price features need the optional setting fraud.catalogueFile (gateway/README.md): a JSON array of
  {"product", "price"}. Without it both price signals stay 0, price patterns are neither learned
  nor flagged, and the gateway logs that at start.
- Simulated counties: \`npm run sim -- train-fraud-model --scenario <file> --out <dir>\` plans the
  scenario's normal days (its fraud left out) over 40 copies of its clinics and 28 days, trains
  both scopes with the gateway's own training and writes the scenario's price catalogue beside
  them (about 20 s for the small scenario). \`npm run sim\` and \`npm start\` give their county the
  models trained on the small scenario (simulator/src/history/fraud-model, 29 KB) and the run's
  scenario catalogue, so an injected bulk-doctor day comes back as an anomaly alert matched to
  its board in the run report (tests/e2e/fleet-anomaly.test.ts). A scenario's first day is never
  judged by the models (no history), so a one-day run such as ci.json cannot raise one.
`;

export default bench;
