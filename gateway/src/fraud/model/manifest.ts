// What a saved model carries besides its weights: enough to refuse it when the features it
// was trained on are not the ones computed today, and to score exactly as at training time.
import { FEATURE_NAMES, FEATURE_SCHEMA_VERSION, type Scope } from "../features";
import type { Normaliser } from "../normalise";
import type { TailScale } from "../tails";

export const MODEL_FORMAT = "village-trace-fraud-autoencoder";
export const MODEL_FORMAT_VERSION = 4;

export interface ModelManifest {
  format: string;
  version: number;
  scope: Scope;
  featureSchemaVersion: number;
  features: string[];
  normaliser: Normaliser;
  /** Combined score (score.ts) above which a vector is flagged; about 1 by construction. */
  threshold: number;
  /** Per feature median and upper tail scale on the training vectors (tails.ts): the tail part of the score. */
  tails: TailScale;
  /** Per feature: the 99.9th percentile of the upward reconstruction residual on the training vectors (z units); residuals are divided by it. */
  residualScale: number[];
  /** Held-out quantiles of the two parts of the score, which divide them so they can be compared. */
  partScale: { residual: number; tail: number };
  /** What the residual part counts for next to the tail part once both are scaled (score.ts combine);
   * chosen on the validation histories (TRAIN_DEFAULTS.residualWeight). */
  residualWeight: number;
  /** Whether the features were computed with a price catalogue (without one the price signals are always 0). */
  prices: boolean;
  /** Quantile of held-out normal scores the threshold was set at. */
  percentile: number;
  hidden: number;
  bottleneck: number;
  /** calibration: held-out vectors the part scales and the threshold come from; tailVectors (absent in
   * models saved before it was recorded): how many of them score at or above the threshold, i.e. how
   * many vectors the threshold rests on; thresholdMethod (absent before it was recorded: "percentile"):
   * whether the threshold is the held-out percentile or read off an exponential tail fitted to the
   * held-out scores (too few of them for the percentile, quantile.ts). */
  trainedOn: { vectors: number; calibration: number; epochs: number; finalLoss: number; backend: string; seconds: number; tailVectors?: number; thresholdMethod?: "percentile" | "exponential" };
  createdAt: string;
}

/** Null when the manifest fits today's features; otherwise why not. */
export function schemaProblem(m: ModelManifest): string | null {
  if (m.format !== MODEL_FORMAT) return `not a fraud model (format ${JSON.stringify(m.format)})`;
  if (m.version !== MODEL_FORMAT_VERSION) return `model format version ${m.version}, this gateway reads ${MODEL_FORMAT_VERSION}`;
  if (m.featureSchemaVersion !== FEATURE_SCHEMA_VERSION) return `feature schema version ${m.featureSchemaVersion}, this gateway computes ${FEATURE_SCHEMA_VERSION} (the features changed meaning: retrain with \`gateway model train\`)`;
  const want = FEATURE_NAMES.join(",");
  if (!Array.isArray(m.features) || m.features.join(",") !== want) return `feature list differs: model has [${String(m.features)}], this gateway computes [${want}]`;
  const d = FEATURE_NAMES.length;
  if (!m.normaliser || m.normaliser.mean?.length !== d || m.normaliser.std?.length !== d) return "normaliser does not match the feature count";
  if (!(m.threshold > 0)) return `bad threshold ${m.threshold}`;
  if (!Array.isArray(m.residualScale) || m.residualScale.length !== d || !m.residualScale.every((x) => x > 0)) return "residual scale does not match the feature count";
  if (!m.tails || m.tails.median?.length !== d || m.tails.up?.length !== d || !m.tails.up.every((x) => x > 0)) return "tail scale does not match the feature count";
  if (!m.partScale || !(m.partScale.residual > 0) || !(m.partScale.tail > 0)) return "missing or bad part scales";
  if (typeof m.residualWeight !== "number" || !(m.residualWeight > 0) || m.residualWeight > 1) return `bad residual weight ${String(m.residualWeight)}`;
  return null;
}
