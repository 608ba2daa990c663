// Scoring: reconstruction error per vector (mean squared, z units) and the features that
// drove it, named with their observed and reconstructed z so a reviewer sees what was odd.
import { normalise } from "../normalise";
import type { FraudModel } from "./train";
import { loadTf } from "./tf";

export interface FeatureContribution {
  feature: string;
  /** Observed value in z units. */
  z: number;
  /** What the model expected, in z units. */
  expected: number;
  /** observed - expected, z units. */
  error: number;
}

export interface VectorScore {
  score: number;
  flagged: boolean;
  /** Largest per-feature errors first (top 3). */
  drivers: FeatureContribution[];
}

const BATCH = 4096;

/** Errors for raw (un-normalised) feature vectors, in input order. */
export function reconstructionErrors(model: FraudModel, vectors: readonly number[][], top = 3): VectorScore[] {
  const { tf } = loadTf();
  const names = model.manifest.features;
  const out: VectorScore[] = [];
  for (let start = 0; start < vectors.length; start += BATCH) {
    const z = vectors.slice(start, start + BATCH).map((v) => normalise(model.manifest.normaliser, v));
    const recon = tf.tidy(() => (model.net.predict(tf.tensor2d(z, [z.length, names.length])) as ReturnType<typeof tf.tensor2d>).arraySync() as number[][]);
    for (let i = 0; i < z.length; i++) {
      let sum = 0;
      const parts: FeatureContribution[] = [];
      for (let j = 0; j < names.length; j++) {
        const e = z[i][j] - recon[i][j];
        sum += e * e;
        parts.push({ feature: names[j], z: z[i][j], expected: recon[i][j], error: e });
      }
      parts.sort((a, b) => Math.abs(b.error) - Math.abs(a.error));
      // mean over all features: measured ahead of max |error| and of the top-3 mean on the held-out bench
      const score = sum / names.length;
      out.push({ score, flagged: score > model.manifest.threshold, drivers: parts.slice(0, top) });
    }
  }
  return out;
}

/** Scores feature vectors (FeatureVector.values) against the model's calibrated threshold. */
export function scoreVectors(model: FraudModel, vectors: readonly number[][]): VectorScore[] {
  if (vectors.length === 0) return [];
  return reconstructionErrors(model, vectors);
}
