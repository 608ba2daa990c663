// trainModel: normal history in, a calibrated autoencoder out. The vectors are split by a
// hash of (entity, day) into a training part and a held-out part; the threshold is the
// chosen quantile of held-out scores, so it reflects days the network never saw.
import type { LayersModel } from "@tensorflow/tfjs";
import { computeFeatures, FEATURE_NAMES, FEATURE_SCHEMA_VERSION, type FeatureOptions, type FeatureVector, type Scope } from "../features";
import { fitNormaliser, normalise } from "../normalise";
import { quantile } from "../quantile";
import type { FraudRow } from "../types";
import { buildAutoencoder, fitAutoencoder } from "./autoencoder";
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelManifest } from "./manifest";
import { combine, scoreParts } from "./score";
import { loadTf } from "./tf";

export interface FraudModel {
  manifest: ModelManifest;
  net: LayersModel;
}

export interface TrainOptions {
  scope?: Scope;
  /** Feature options other than the scope (prices, clinic hours, day range). */
  features?: Omit<FeatureOptions, "scope">;
  /** Threshold quantile of held-out normal scores (default 0.99). */
  percentile?: number;
  /** Share of vectors held out for calibration (default 0.25). */
  calibrationShare?: number;
  hidden?: number;
  bottleneck?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  noise?: number;
  seed?: number;
  log?: (msg: string) => void;
}

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
  const mine = vectors.filter((v) => v.scope === scope);
  if (mine.length < 40) throw new Error(`need at least 40 ${scope} vectors of normal history to train, got ${mine.length}`);
  const share = opts.calibrationShare ?? 0.25;
  const { train, held } = splitForCalibration(mine, seed, share);
  if (held.length < 20 || train.length < 20) throw new Error(`too few vectors to split for calibration (${train.length} train, ${held.length} held out)`);

  const { tf, backend } = loadTf(opts.log);
  const t0 = Date.now();
  const normaliser = fitNormaliser(train.map((v) => v.values));
  const z = train.map((v) => normalise(normaliser, v.values));
  const hidden = opts.hidden ?? 10;
  const bottleneck = opts.bottleneck ?? 3;
  const epochs = opts.epochs ?? 40;
  const net = buildAutoencoder(tf, { inputs: FEATURE_NAMES.length, hidden, bottleneck, seed });
  const finalLoss = await fitAutoencoder(tf, net, z, {
    epochs,
    batchSize: opts.batchSize ?? 64,
    learningRate: opts.learningRate ?? 0.005,
    noise: opts.noise ?? 0.4,
    copies: 2,
    rng: seededRng(seed),
  });
  const percentile = opts.percentile ?? 0.99;
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    scope,
    featureSchemaVersion: FEATURE_SCHEMA_VERSION,
    features: [...FEATURE_NAMES],
    normaliser,
    threshold: 1, // these three are replaced just below, once the network can score
    residualScale: new Array<number>(FEATURE_NAMES.length).fill(1),
    partScale: { residual: 1, z: 1 },
    percentile,
    hidden,
    bottleneck,
    trainedOn: { vectors: train.length, calibration: held.length, epochs, finalLoss, backend, seconds: 0 },
    createdAt: new Date().toISOString(),
  };
  const model: FraudModel = { manifest, net };
  // residual scale from the training part; part scales and threshold from the held-out part only
  manifest.residualScale = residualScale(model, train.map((v) => v.values));
  const heldParts = scoreParts(model, held.map((v) => v.values)).map((p) => p.parts);
  manifest.partScale = {
    residual: Math.max(1e-9, quantile(heldParts.map((p) => p.residual), percentile)),
    z: Math.max(1e-9, quantile(heldParts.map((p) => p.z), percentile)),
  };
  const heldScores = heldParts.map((p) => combine(p, manifest.partScale));
  manifest.threshold = Math.max(1e-9, quantile(heldScores, percentile));
  manifest.trainedOn.seconds = (Date.now() - t0) / 1000;
  return model;
}

/** RMS residual per feature (z units) over the given vectors, floored so a feature the network
 * reproduces exactly still gives a finite standardised residual. */
function residualScale(model: FraudModel, vectors: readonly number[][]): number[] {
  const d = model.manifest.features.length;
  const sum = new Array<number>(d).fill(0);
  const rows = scoreParts(model, vectors, null, d);
  for (const r of rows) for (const c of r.drivers) sum[model.manifest.features.indexOf(c.feature)] += c.error * c.error;
  return sum.map((s) => Math.max(0.05, Math.sqrt(s / Math.max(1, rows.length))));
}

/** Trains on raw rows of normal history: computes the scope's features, then trains. */
export async function trainModel(rows: readonly FraudRow[], opts: TrainOptions = {}): Promise<FraudModel> {
  const scope = opts.scope ?? "clinic-day";
  return trainOnVectors(computeFeatures(rows, { ...opts.features, scope }), { ...opts, scope });
}
