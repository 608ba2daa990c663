// Fraud detection quality on held-out labelled histories: per pattern precision, recall,
// ROC-AUC and average precision of the model next to a z-score baseline (same features, same
// held-out normal vectors for the threshold), the model's tail part alone as an ablation, plus
// the rules, scoring speed and training time. Training, validation and evaluation histories use
// disjoint seeds; nothing is chosen on the evaluation seeds. A full run also writes docs/fraud-evaluation.md.
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
const LEARNED: FraudPattern[] = ["night-phantom", "bulk-doctor", "high-price-skew", "double-sale", "replay-device"];
const RULE_FOR: Partial<Record<FraudPattern, AlertKind>> = { "replay-device": "replay", "patient-hopping": "patient-multi-clinic", "night-phantom": "odd-hours" };

const CLINICS = 30;
const DAYS = 28;
const WARMUP = 7;
const PERCENTILE = TRAIN_DEFAULTS.percentile;
/** Normal histories the models learn from (and whose held-out part calibrates both thresholds):
 * sixteen, so the 99.9th percentile rests on about 2,500 held-out clinic-days instead of 1,250. */
export const TRAIN_SEEDS = [101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116];
/** Labelled histories features, scores and hyper-parameters were chosen on. */
export const VALIDATION_SEEDS = [301, 302, 303, 304, 305, 306];
/** Labelled histories the reported figures come from. */
export const EVALUATION_SEEDS = [201, 202, 203, 204, 205, 206, 207, 208, 209, 210];

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
}

type Key = "ae" | "z" | "tail";

interface Quality {
  precision: number;
  recall: number;
  auc: number;
  ap: number;
  pAtR90: number;
  falsePositives: number;
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
        rows.push({ unit: v.entity + "|" + v.day, history: hi, labels: labels.get(v.entity + "|" + v.day) ?? new Set(), ae: s[i].score, aeFlag: s[i].flagged, z: zs, zFlag: zs > baseline.threshold, tail, tailFlag: tail > 1 });
      });
    }
    scored.set(scope, rows);
  }

  const results: PatternRow[] = [];
  const judge = (rows: Scored[], pattern: FraudPattern | "any pattern") => ({
    ae: qualityOf(rows, pattern, "ae"),
    z: qualityOf(rows, pattern, "z"),
    tail: qualityOf(rows, pattern, "tail"),
    verdict: pattern === "any pattern" || LEARNED.includes(pattern) ? bootstrapVerdict(rows, pattern, test.length) : undefined,
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
        const alerts = runRules(h.rows, [], {}).filter((a) => a.kind === kind);
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
  for (const scope of ["clinic-day", "doctor-day"] as Scope[]) {
    // the learned patterns judged on this scope, all together
    const rows = (scored.get(scope) as Scored[]).filter((s) => s.labels.size === 0 || LEARNED.some((p) => PATTERN_SCOPE[p] === scope && s.labels.has(p)));
    results.push({ pattern: "any pattern", scope, positives: rows.filter((s) => s.labels.size > 0).length, negatives: rows.filter((s) => s.labels.size === 0).length, ...judge(rows, "any pattern") });
  }
  return { results, models, trainSeconds, genSeconds, scoreRate: median(scoreRates), trainSeeds, testSeeds, split, perPattern, epochs, testUnits: Object.fromEntries([...scored].map(([k, v]) => [k, v.length])) };
}

function markdown(ev: Awaited<ReturnType<typeof evaluate>>, quick: boolean): string {
  const lines = [
    "# Fraud detection: evaluation on held-out histories",
    "",
    `Measured by bench/fraud.bench.ts (${quick ? "quick" : "full"} run; \`npm run bench -- --only fraud\` runs it) on ${new Date().toISOString()} (Node ${process.version}, backend ${[...ev.models.values()][0].manifest.trainedOn.backend}).`,
    "",
    `Training: normal histories, seeds ${ev.trainSeeds.join(", ")}; ${ev.split}: seeds ${ev.testSeeds.join(", ")} with ${ev.perPattern} injections of each pattern per history. Validation seeds (features, score and settings were chosen on these, never on the evaluation seeds): ${VALIDATION_SEEDS.join(", ")}.`,
    `Each history: ${CLINICS} clinics, ${DAYS} days, first ${WARMUP} days only as history for the trailing features. Network: ${ev.epochs} epochs.`,
    `Threshold: the ${PERCENTILE * 100}th percentile of scores on held-out normal vectors (a quarter of the training histories' units, by a hash of unit and day), for the model, the baseline and the ablation alike. No fraud label is read before scoring.`,
    `Units scored: ${Object.entries(ev.testUnits).map(([k, v]) => `${v} ${k}`).join(", ")}. Each pattern is judged on the normal units plus its own units (units carrying only other patterns are left out); "any pattern" rows count every unit of the learned patterns judged on that scope as positive.`,
    "",
    "P, R: precision and recall at the calibrated threshold; FP: normal units above it; AP: average precision (threshold-free); P@R.9: best precision at recall >= 0.9; AUC: ROC-AUC.",
    "",
    "| pattern | unit | positives | normal units | model P | model R | model FP | model AP | model P@R.9 | model AUC | z P | z R | z FP | z AP | z P@R.9 | z AUC | model vs z (AP higher / lower in bootstrap draws) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of ev.results) {
    const q = (x: Quality) => `${fmt(x.precision)} | ${fmt(x.recall)} | ${x.falsePositives} | ${fmt(x.ap)} | ${fmt(x.pAtR90)} | ${fmt(x.auc)}`;
    const learned = r.pattern === "any pattern" || LEARNED.includes(r.pattern);
    const v = r.verdict ? `${r.verdict.verdict} (${Math.round(r.verdict.higher * 100)} % / ${Math.round(r.verdict.lower * 100)} %)` : "";
    lines.push(`| ${r.pattern}${learned ? "" : " (rule)"} | ${r.scope} | ${r.positives} | ${r.negatives} | ${q(r.ae)} | ${q(r.z)} | ${v} |`);
  }
  lines.push("", "Rules, judged per injected instance:", "", "| pattern | rule | recall | rule alerts on records with no injected fraud |", "|---|---|---|---|");
  for (const r of ev.results) if (r.rule) lines.push(`| ${r.pattern} | ${r.rule.kind} | ${fmt(r.rule.recall)} | ${r.rule.falseUnits} |`);
  lines.push("", "Ablation, same run: the model's tail part alone (no network), its threshold the same percentile of its held-out scores:", "", "| pattern | unit | P | R | FP | AP | AUC |", "|---|---|---|---|---|---|---|");
  for (const r of ev.results) if (r.pattern === "any pattern" || LEARNED.includes(r.pattern)) lines.push(`| ${r.pattern} | ${r.scope} | ${fmt(r.tail.precision)} | ${fmt(r.tail.recall)} | ${r.tail.falsePositives} | ${fmt(r.tail.ap)} | ${fmt(r.tail.auc)} |`);
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
      if (r.pattern !== "any pattern" && LEARNED.includes(r.pattern)) {
        const met = r.ae.recall >= 0.9 && r.ae.precision >= 0.8;
        rows.push({ area: "fraud", metric: `${r.pattern}: model recall / precision (${r.scope}, ${split})`, value: `${fmt(r.ae.recall)} / ${fmt(r.ae.precision)}`, unit: "", target: "recall >= 0.9 at precision >= 0.8", baseline: `z-score ${fmt(r.z.recall)} / ${fmt(r.z.precision)}`, pass: met });
        const verdict = r.verdict?.verdict ?? "tie";
        rows.push({ area: "fraud", metric: `${r.pattern}: average precision model vs z-score`, value: r.ae.ap, unit: "", target: "ahead of baseline (AP higher in >= 95 % of bootstrap draws)", baseline: fmt(r.z.ap), ratio: r.ae.ap / r.z.ap, pass: verdict === "ahead", note: `${verdict}; ROC-AUC ${fmt(r.ae.auc)} vs ${fmt(r.z.auc)}; false alarms ${r.ae.falsePositives} vs ${r.z.falsePositives}` });
      }
      if (r.rule) rows.push({ area: "fraud", metric: `${r.pattern}: rule ${r.rule.kind} recall`, value: r.rule.recall, unit: "", note: `${r.rule.falseUnits} rule alerts on records with no injected fraud` });
    }
    rows.push({ area: "fraud", metric: "scoring speed", value: Math.round(ev.scoreRate), unit: "vectors/s", note: "median over evaluation batches" });
    for (const [k, v] of Object.entries(ev.trainSeconds)) rows.push({ area: "fraud", metric: `training time ${k}`, value: v, unit: "s" });
    return rows;
  },
};

const NOTES = `## Reading the table

- "AE" is the denoising autoencoder (gateway/src/fraud/model): score = max(top-2 standardised
  reconstruction residual / its held-out quantile, largest input |z| / its held-out quantile).
  "z" is the baseline (gateway/src/fraud/baseline.ts): score = largest |z|. Both read the same
  features with the same normaliser, and both thresholds are the same percentile of scores on the
  same held-out normal vectors.
- Rules are judged per injected instance (recall: an alert names one of its records) and by the
  alerts they raise on records with no injected fraud. The odd-hours count is the generator's
  genuine after-hours emergency visits (2-8 % of clinic-days): the rule reports them by design.
- Precision depends on prevalence: about 0.7 % of units carry each pattern, and at the 99.9th
  percentile about 0.1 % of normal units are flagged by construction.

## Changes to the evaluation, and why

- Protocol check: per-pattern precision already counted only normal units as false positives and
  left out units carrying other patterns; this is now written into the table header, and the
  "normal units" column and the "any pattern" rows (per scope, learned patterns only) were added.
- Label granularity checked: each pattern is judged on the unit it is injected at (bulk-doctor
  on doctor-days, the rest on clinic-days); labels use the business day that turns at 05:00, as
  the features do, so a 01:30 phantom session is labelled with the night it belongs to.
- Threshold percentile 99.5 -> 99.9, with eight normal training histories instead of four (about
  1,250 held-out clinic-day vectors). At 99.5 % about 15 normal clinic-days were flagged against 20
  positives, which capped precision at about 0.57 for any detector, however good. Same rule for
  the model and the baseline.
- Generator unchanged: the injection strengths were checked against normal variation and left as
  they were. One known weak spot, not changed: a high-price-skew injection on a quiet clinic-day
  may swap only one or two boxes (or none: that label then has no unit and is not counted).
- Scoring variants were chosen on separate validation seeds (301-303), never on 201-205.

## Changes to the features and the model (feature schema 3, model format 2)

- Counts are judged against the entity's own previous 28 days (rates shrunk towards the county's
  with a prior of 20 sessions/items), as -log10 of the Poisson tail probability, instead of raw
  shares. Raw shares were heavy-tailed on small days (1 of 1 records with an unset clock gave the
  largest |z| of the whole county), which set both thresholds; unset clocks and undos are now
  counted per session, the unit at which they happen.
- The |z| clip was raised from 10 to 100: at 10 the doctor-day baseline threshold sat on the clip
  and the baseline flagged nothing (the old "n/a" bulk-doctor precision).
- Autoencoder: bottleneck 5 -> 3, hidden 12 -> 10, input noise 0.2 -> 0.4. The score uses
  residuals divided by their per-feature RMS on the training part, top two combined, so one
  strongly odd figure is not averaged away over 17. The residual alone was measured behind the
  baseline on high-price-skew (validation ROC-AUC 0.93 vs 0.985): the network learns that price
  share and value per session rise together and reconstructs an expensive day as plausible. The
  input |z| part covers that; this means the model's score contains the baseline's statistic.

## Findings (as measured; the targets are met only in part)

- Both detectors improved a lot on the same features: ROC-AUC is 0.996-1.000 for every learned
  pattern; before, the autoencoder had 0.89-0.97 on night-phantom, bulk-doctor and
  high-price-skew and the baseline flagged no bulk-doctor day at all.
- Recall >= 0.9 at precision >= 0.8: met by the model on double-sale, night-phantom and
  replay-device (recall 1.0 at precision 0.80, the normal false alarms at the 99.9th percentile
  being shared by all three). Not met on bulk-doctor (model recall 0.85 at precision 0.58;
  baseline 0.77 at 0.96) nor on high-price-skew (model 0.74 at 0.74; baseline 0.79 at 0.75).
- Ahead of the baseline: not on every pattern. Ties at ROC-AUC 1.000 on the three patterns both
  separate perfectly (nothing left to win); bulk-doctor ROC-AUC 0.998 vs 0.997 and higher recall
  but lower precision; high-price-skew 0.996 vs 0.997 and slightly behind at the threshold.
  With about 20-34 positives per pattern, differences of this size are within noise.
- Cost: training grew to about a minute per scope on eight histories on the shared 2-core
  machine (was 8-16 s on four histories), and scoring is slower (two passes for the parts).
- Next steps worth measuring: train on fewer epochs with more data per epoch, per-scope feature
  subsets, and a larger evaluation (more seeds) before reading differences in the third decimal.
`;

export default bench;
