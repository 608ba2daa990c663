// trainModel: normal history in, a calibrated model out: the autoencoder and the per-feature
// scales of the score (score.ts). The vectors are split by a hash of (entity, day) into a
// training part and a held-out part. The network, the normaliser, the tail scales and the
// residual scales come from the training part; the part scales and the threshold are the chosen
// quantile of held-out scores, so they reflect days the model never saw. Nothing here reads a
// fraud label: the history is taken as normal.
import type { LayersModel } from "@tensorflow/tfjs";
import { computeFeatures, FEATURE_NAMES, FEATURE_SCHEMA_VERSION, type FeatureOptions, type FeatureVector, type Scope } from "../features";
import { fitNormaliser, normalise } from "../normalise";
import { MIN_TAIL_VECTORS, quantile, thresholdQuantile } from "../quantile";
import { fitTails, TAIL_QUANTILE } from "../tails";
import type { FraudRow } from "../types";
import { buildAutoencoder, fitAutoencoder } from "./autoencoder";
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelManifest } from "./manifest";
import { combine, scoreParts, upwardResidualScale } from "./score";
import { loadTf } from "./tf";

export interface FraudModel {
  manifest: ModelManifest;
  net: LayersModel;
}

export interface TrainOptions {
  scope?: Scope;
  /** Feature options other than the scope (prices, clinic hours, day range). */
  features?: Omit<FeatureOptions, "scope">;
  /** Threshold quantile of held-out normal scores (default 0.999). */
  percentile?: number;
  /** Share of vectors held out for calibration (default 0.25). */
  calibrationShare?: number;
  /** Weight of the residual part next to the tail part in the score (default 0.5, see score.ts). */
  residualWeight?: number;
  hidden?: number;
  bottleneck?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  noise?: number;
  seed?: number;
  /** trainModel only: the first days of the rows are history for the trailing figures, not training vectors (default 7). */
  warmupDays?: number;
  /** Refuse to train when fewer vectors than this are held out for the threshold (`gateway model
   * train` sets MIN_CALIBRATION_VECTORS: a county's few weeks are too short below it); default none. */
  minCalibration?: number;
  /** Recorded in the manifest: whether the features had a price catalogue (trainModel sets it from features.priceOf). */
  prices?: boolean;
  log?: (msg: string) => void;
}

export { MIN_TAIL_VECTORS };
/** Held-out vectors below which `gateway model train` refuses: the exponential tail the threshold is
 * then read off (quantile.ts) rests on the top tenth of them, and fewer than 10 cannot be fitted. A
 * county of 30 clinics holds out about 100 clinic-days from 14 trained days (21 days of records). */
export const MIN_CALIBRATION_VECTORS = 100;

/** Measured defaults (chosen on the validation histories, bench/fraud.bench.ts). */
export const TRAIN_DEFAULTS = { hidden: 10, bottleneck: 3, epochs: 20, batchSize: 64, learningRate: 0.005, noise: 0.4, percentile: 0.999, calibrationShare: 0.25, warmupDays: 7, residualWeight: 0.5 };

function fnv(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The training / held-out split: a hash of (entity, day), so the same vectors always land on the same side. */
export function splitForCalibration<T extends FeatureVector>(vectors: readonly T[], seed: number, share: number): { train: T[]; held: T[] } {
  const train: T[] = [];
  const held: T[] = [];
  for (const v of vectors) (fnv(v.entity + "|" + v.day, seed) / 4294967296 < share ? held : train).push(v);
  return { train, held };
}

/** Trains on feature vectors of normal days (all of one scope). */
export async function trainOnVectors(vectors: readonly FeatureVector[], opts: TrainOptions = {}): Promise<FraudModel> {
  const scope = opts.scope ?? vectors[0]?.scope ?? "clinic-day";
  const seed = opts.seed ?? 1;
  const ofScope = vectors.filter((v) => v.scope === scope);
  // a single NaN would make the normaliser, the network's loss and every held-out score NaN, and the
  // model would never flag anything: such vectors are left out (and said so)
  const mine = ofScope.filter((v) => Array.isArray(v.values) && v.values.length === FEATURE_NAMES.length && v.values.every((x) => Number.isFinite(x)));
  if (mine.length < ofScope.length) opts.log?.(`${scope}: ${ofScope.length - mine.length} of ${ofScope.length} vectors have a missing or non-finite figure and are left out of training`);
  if (mine.length < 40) throw new Error(`need at least 40 ${scope} vectors of normal history to train, got ${mine.length}`);
  const share = opts.calibrationShare ?? TRAIN_DEFAULTS.calibrationShare;
  const { train, held } = splitForCalibration(mine, seed, share);
  if (held.length < 20 || train.length < 20) throw new Error(`too few vectors to split for calibration (${train.length} train, ${held.length} held out)`);
  if (opts.minCalibration !== undefined && held.length < opts.minCalibration) {
    throw new Error(`${scope}: the history is too short: ${held.length} ${scope} vectors held out to set the threshold, at least ${opts.minCalibration} needed (about ${Math.ceil(opts.minCalibration / share)} ${scope}s after the first 7 days); train on more days`);
  }

  const { tf, backend } = loadTf(opts.log);
  const t0 = Date.now();
  const normaliser = fitNormaliser(train.map((v) => v.values));
  const z = train.map((v) => normalise(normaliser, v.values));
  const hidden = opts.hidden ?? TRAIN_DEFAULTS.hidden;
  const bottleneck = opts.bottleneck ?? TRAIN_DEFAULTS.bottleneck;
  const epochs = opts.epochs ?? TRAIN_DEFAULTS.epochs;
  const net = buildAutoencoder(tf, { inputs: FEATURE_NAMES.length, hidden, bottleneck, seed });
  const finalLoss = await fitAutoencoder(tf, net, z, {
    epochs,
    batchSize: opts.batchSize ?? TRAIN_DEFAULTS.batchSize,
    learningRate: opts.learningRate ?? TRAIN_DEFAULTS.learningRate,
    noise: opts.noise ?? TRAIN_DEFAULTS.noise,
    copies: 2,
    rng: seededRng(seed),
  });
  const percentile = opts.percentile ?? TRAIN_DEFAULTS.percentile;
  const residualWeight = opts.residualWeight ?? TRAIN_DEFAULTS.residualWeight;
  if (!(residualWeight > 0) || residualWeight > 1) throw new RangeError(`residual weight must be in (0, 1], got ${residualWeight}`);
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    scope,
    featureSchemaVersion: FEATURE_SCHEMA_VERSION,
    features: [...FEATURE_NAMES],
    normaliser,
    tails: fitTails(train.map((v) => v.values)),
    threshold: 1, // these three are replaced just below, once the network can score
    residualScale: new Array<number>(FEATURE_NAMES.length).fill(1),
    partScale: { residual: 1, tail: 1 },
    residualWeight,
    prices: opts.prices ?? true,
    percentile,
    hidden,
    bottleneck,
    trainedOn: { vectors: train.length, calibration: held.length, epochs, finalLoss, backend, seconds: 0 },
    createdAt: new Date().toISOString(),
  };
  const model: FraudModel = { manifest, net };
  // residual scale from the training part; part scales and threshold from the held-out part only
  manifest.residualScale = upwardResidualScale(model, train.map((v) => v.values), TAIL_QUANTILE);
  const heldParts = scoreParts(model, held.map((v) => v.values)).map((p) => p.parts);
  manifest.partScale = {
    residual: Math.max(1e-9, quantile(heldParts.map((p) => p.residual), percentile)),
    tail: Math.max(1e-9, quantile(heldParts.map((p) => p.tail), percentile)),
  };
  const heldScores = heldParts.map((p) => combine(p, manifest.partScale, residualWeight));
  // The threshold: the held-out percentile when at least MIN_TAIL_VECTORS held-out vectors are
  // expected above it. Of fewer it is about their largest: one simulated county's 150 held-out
  // clinic-days (its days 8-28) put 1.7 % of its next four weeks' clinic-days above it (median over 30
  // counties, feature schema 6), so the threshold is then read off an exponential fitted to the top
  // tenth of the held-out scores (thresholdQuantile; docs/fraud-evaluation.md, "One county's own model").
  const fitted = thresholdQuantile(heldScores, percentile);
  manifest.threshold = Math.max(1e-9, fitted.value);
  manifest.trainedOn.thresholdMethod = fitted.method;
  // how firm it is: the held-out vectors at or above it
  manifest.trainedOn.tailVectors = heldScores.filter((s) => s >= manifest.threshold).length;
  if (held.length * (1 - percentile) < MIN_TAIL_VECTORS) {
    opts.log?.(`${scope}: the threshold (${percentile} quantile) rests on ${held.length} held-out vectors, fewer than ${MIN_TAIL_VECTORS} of them above it: ${fitted.method === "exponential" ? "read off an exponential fitted to the top tenth of them" : "too few to fit a tail, the plain quantile"}, its false-alarm rate is a rough estimate; train on more history (about ${Math.ceil(MIN_TAIL_VECTORS / (1 - percentile) / share)} ${scope} vectors) to firm it up`);
  }
  manifest.trainedOn.seconds = (Date.now() - t0) / 1000;
  return model;
}

/** First business day whose vectors are trained on: `warmupDays` after the first day of data
 * (the earlier days only give the trailing figures their history, as in the evaluation). */
export function firstTrainingDay(vectors: readonly FeatureVector[], warmupDays: number): string {
  let first = "";
  for (const v of vectors) if (!first || v.day < first) first = v.day;
  if (!first) return first;
  return new Date(Date.parse(first + "T00:00:00Z") + warmupDays * 86400000).toISOString().slice(0, 10);
}

/** Trains on raw rows of normal history: computes the scope's features, drops the warm-up days, then trains. */
export async function trainModel(rows: readonly FraudRow[], opts: TrainOptions = {}): Promise<FraudModel> {
  const scope = opts.scope ?? "clinic-day";
  const all = computeFeatures(rows, { ...opts.features, scope });
  const from = firstTrainingDay(all, opts.warmupDays ?? TRAIN_DEFAULTS.warmupDays);
  return trainOnVectors(all.filter((v) => v.day >= from), { ...opts, scope, prices: opts.prices ?? opts.features?.priceOf !== undefined });
}
