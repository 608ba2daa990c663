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
import { computeFeatures, type FeatureVector, type Scope } from "../gateway/src/fraud/features";
import { trainOnVectors, scoreVectors, scoreParts, splitForCalibration, type FraudModel } from "../gateway/src/fraud/model";
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
 * sixteen, so the 99.9th percentile rests on about 2,500 held-out clinic-days instead of 1,250. */
export const TRAIN_SEEDS = [101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116];
/** Labelled histories features, scores and hyper-parameters were chosen on. */
export const VALIDATION_SEEDS = [301, 302, 303, 304, 305, 306];
/** Labelled histories the reported figures come from: fresh seeds, scored once with the settings chosen on validation. */
export const EVALUATION_SEEDS = [211, 212, 213, 214, 215, 216, 217, 218, 219, 220];
/** Evaluation seeds of the previous model (format 3); they have been seen, so nothing is reported on them any more. */
export const SEEN_EVALUATION_SEEDS = [201, 202, 203, 204, 205, 206, 207, 208, 209, 210];

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
  let a = seed >>> 0;
  const rng = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  return { results, models, trainSeconds, genSeconds, scoreRate: median(scoreRates), trainSeeds, testSeeds, split, perPattern, epochs, testUnits: Object.fromEntries([...scored].map(([k, v]) => [k, v.length])) };
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
    `Training: normal histories, seeds ${ev.trainSeeds.join(", ")}; ${ev.split}: seeds ${ev.testSeeds.join(", ")} with ${ev.perPattern} injections of each pattern per history. Validation seeds (features, score and settings were chosen on these, never on the evaluation seeds): ${VALIDATION_SEEDS.join(", ")}. Seeds ${SEEN_EVALUATION_SEEDS[0]}-${SEEN_EVALUATION_SEEDS[SEEN_EVALUATION_SEEDS.length - 1]} were the previous evaluation seeds; their figures have been seen, so they are no longer reported.`,
    `Each history: ${CLINICS} clinics, ${DAYS} days, first ${WARMUP} days only as history for the trailing features. Network: ${ev.epochs} epochs.`,
    `Threshold: the ${PERCENTILE * 100}th percentile of scores on held-out normal vectors (a quarter of the training histories' units, by a hash of unit and day), for the model, the baseline and the ablation alike. No fraud label is read before scoring.`,
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
  lines.push("", `Scoring speed: ${Math.round(ev.scoreRate)} vectors/s (median over evaluation batches). Training: ${Object.entries(ev.trainSeconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")}. History generation: ${ev.genSeconds.toFixed(1)} s.`, "");
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
- "model" is what the gateway's day close runs (gateway/src/fraud/model, model format 4): a
  denoising autoencoder (TensorFlow.js) trained on normal history plus per-feature tail scales
  fitted on the same training part. Score = the larger of the tail part and half the residual
  part, each first divided by its 99.9th percentile on the held-out normal vectors. The tail part is
  the largest excess of a signal over its median, in units of that signal's own 99.9th-percentile
  excess on normal days (gateway/src/fraud/tails.ts); the residual part is the largest amount by
  which a signal sits above the autoencoder's reconstruction, in units of that feature's
  99.9th-percentile upward residual. Both are one-sided: a day quieter than usual is not an alert.
  Context features (size of the day, weekend) are inputs only. Alerts name the three features
  with the largest share of the score.
- "z" is the baseline (gateway/src/fraud/baseline.ts), unchanged: the largest two-sided |z| over
  the same 17 features, standardised with the mean and standard deviation of the same training
  part, thresholded at the same percentile of the same held-out normal vectors.
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

- Training 101-116 (normal), validation 301-306 (labelled), evaluation 211-220 (labelled),
  disjoint. Every choice was made on the validation seeds (\`VT_FRAUD_SEEDS=validation npm run
  bench -- --only fraud\` runs the same evaluation there and writes no doc). Seeds 211-220 are new
  with this model: the page above is their first and only scoring.
- Seeds 201-210 were the evaluation seeds of the previous model (format 3). Their figures had been
  read when this round began (bulk-doctor P 0.797 R 0.955, 16 false alarms; the tail part alone 6),
  so they can no longer tell whether a change generalises and are not reported any more.

## This round (model format 4): bulk-doctor precision

- Diagnosis, on validation: the residual part's threshold comes from held-out units whose clinics
  and doctors the network saw on their other days (the held-out quarter is drawn by a hash of
  unit and day). On the validation counties, which it never saw, the residual part went over its
  held-out 99.9th percentile on 0.147 % of normal doctor-days instead of 0.1 % (its tail part:
  0.029 %; on clinic-days residual 0.028 %, tail 0.056 %). Those extra residual alarms were most of bulk-doctor's false
  alarms: 8 of 8 of the combination's validation false alarms came from the residual part.
- Tried on validation, not kept: holding out whole clinics and doctors for calibration. It cured
  the residual part (0.029 % of unseen doctor-days; bulk-doctor P 0.944 R 0.944, 2 false alarms),
  but the tail scales, fitted on fewer entities, set a higher clinic-day threshold: high-price-skew
  recall 0.750 -> 0.667, AP 0.841 -> 0.786. Summing the parts instead of taking the larger, their
  geometric mean or their Euclidean length: bulk-doctor within noise, high-price-skew AP 0.74-0.78
  against 0.84.
- Kept: the residual part counts with weight 0.5 (manifest field residualWeight), so on its own it
  alerts only at twice what one held-out normal unit in a thousand reaches. On validation, false
  alarms on doctor-days for weights 0.3 / 0.4 / 0.5 / 0.6 / 0.7 / 0.8 / 0.9 / 1: 2 / 3 / 3 / 4 / 6 /
  9 / 8 / 8; clinic-days unchanged up to 0.7 (2 false alarms, high-price-skew AP 0.841; 0.8: AP
  0.839), worse above.
  0.5 sits in the middle of the flat part for both scopes; 0.3 was one false alarm better on
  doctor-days, which is noise, and leaves the network almost no say. Validation with 0.5:
  bulk-doctor P 0.919 R 0.944 AP 0.956 (baseline 0.930, tie); high-price-skew P 0.900 R 0.750 AP
  0.841 (baseline 0.730, ahead).
- Unchanged: features (schema 4), tail scales, network, training (20 epochs, 16 training
  histories), the 99.9th-percentile threshold, the generator.

## Findings on the fresh evaluation seeds 211-220 (the tables above)

- bulk-doctor: recall 0.971 at precision 0.807 (16 false alarms on 11,439 normal doctor-days): the
  target is met, with little to spare. AP 0.976 against the baseline's 0.869: ahead in 100 % of
  the bootstrap draws.
- high-price-skew: recall 0.850 at precision 0.739 (12 false alarms on 5,920 normal clinic-days):
  the target is NOT met. AP 0.869 against 0.819: ahead in 99 % of the draws. (On 201-210 the
  previous model, whose clinic-day scores come from the same tail part, had 0.923 / 0.900: with 40
  positives one miss moves recall by 0.025, and sets of ten counties differ by more than the
  target's margin.)
- So: the model is ahead of the baseline on both learned patterns; recall >= 0.9 at precision >=
  0.8 holds for bulk-doctor and not for high-price-skew.
- The false alarms are the tail part's: alone it drew 15 on doctor-days and 12 on clinic-days,
  0.13 % and 0.20 % of normal units, where the held-out calibration promises 0.1 %. The threshold is
  estimated on the training counties, and whole counties differ (a flu wave, the clinic mix);
  a per-county calibration on its own first weeks would be the next thing to measure, on
  validation.
- What the network adds, measured: nothing on these patterns. At weight 0.5 its residual part
  alone flagged no positive unit and one normal doctor-day; without it (tail part alone) AP is the
  same to the third decimal on every pattern. It stays in the score because the issue asks for a
  learned model and because it is the only part that can flag a day whose figures are each
  ordinary but do not fit together, which none of the injected patterns is.
- Deterministic patterns: rule recall 1.000 for night-phantom (odd-hours; plus 130 alerts on
  genuine after-hours visits), replay-device (replay) and patient-hopping (patient-multi-clinic);
  0.975 for double-sale (duplicate-sale): the one missed instance is a generator artefact, its
  first sales were rewritten into other boxes by a high-price-skew injection on the same
  clinic-day (simulator/src/history/inject.ts), so the history holds each of its codes once and no
  detector could see a second sale.
- Differences in the third decimal of ROC-AUC are within noise at 40-69 positives per pattern.

## Production path

- The day close (gateway/src/fraud/service.ts) computes the same features and calls the same
  scoreVectors as this bench. Models saved before format 4 are refused at load (retrain with
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
