// Scoring: a combination of the standardised reconstruction residuals and the input z per
// vector, and the features that drove it, named with their observed and reconstructed z so a reviewer sees what was odd.
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

export interface ScoreParts {
  /** Root of the two largest squared standardised residuals: what the network could not explain. */
  residual: number;
  /** Largest |z| of the input: a figure far outside the county's range, even one the network follows. */
  z: number;
}

/** The raw parts for each vector, in input order, plus the per-feature breakdown. */
export function scoreParts(model: FraudModel, vectors: readonly number[][], scale: readonly number[] | null = model.manifest.residualScale, top = 3): { parts: ScoreParts; drivers: FeatureContribution[] }[] {
  const { tf } = loadTf();
  const names = model.manifest.features;
  const out: { parts: ScoreParts; drivers: FeatureContribution[] }[] = [];
  for (let start = 0; start < vectors.length; start += BATCH) {
    const z = vectors.slice(start, start + BATCH).map((v) => normalise(model.manifest.normaliser, v));
    const recon = tf.tidy(() => (model.net.predict(tf.tensor2d(z, [z.length, names.length])) as ReturnType<typeof tf.tensor2d>).arraySync() as number[][]);
    for (let i = 0; i < z.length; i++) {
      const sq: number[] = [];
      const parts: FeatureContribution[] = [];
      let zMax = 0;
      for (let j = 0; j < names.length; j++) {
        const e = z[i][j] - recon[i][j];
        const s = scale ? e / scale[j] : e;
        sq.push(s * s);
        zMax = Math.max(zMax, Math.abs(z[i][j]));
        parts.push({ feature: names[j], z: z[i][j], expected: recon[i][j], error: e });
      }
      sq.sort((a, b) => b - a);
      parts.sort((a, b) => Math.abs(b.error) - Math.abs(a.error));
      out.push({ parts: { residual: Math.sqrt(sq[0] + (sq[1] ?? 0)), z: zMax }, drivers: parts.slice(0, top) });
    }
  }
  return out;
}

/** One score from the parts: each divided by its held-out quantile, the larger one counts. Measured
 * on validation histories ahead of the residual alone (which misses anomalies that follow the
 * correlations the network learned, such as price share and value rising together) and of the
 * mean squared error (which spreads a one-feature anomaly over every feature). */
export function combine(p: ScoreParts, partScale: { residual: number; z: number }): number {
  return Math.max(p.residual / partScale.residual, p.z / partScale.z);
}

/** Scores for raw (un-normalised) feature vectors, in input order. */
export function reconstructionErrors(model: FraudModel, vectors: readonly number[][], top = 3): VectorScore[] {
  return scoreParts(model, vectors, model.manifest.residualScale, top).map((r) => {
    const score = combine(r.parts, model.manifest.partScale);
    return { score, flagged: score > model.manifest.threshold, drivers: r.drivers };
  });
}

/** Scores feature vectors (FeatureVector.values) against the model's calibrated threshold. */
export function scoreVectors(model: FraudModel, vectors: readonly number[][]): VectorScore[] {
  if (vectors.length === 0) return [];
  return reconstructionErrors(model, vectors);
}
