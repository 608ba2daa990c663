// Scoring: two parts per vector, each divided by its held-out quantile, the residual part then
// weighted (manifest.residualWeight), the larger one counts.
//  tail      the largest excess of a signal over its median, in units of that signal's own
//            99.9th-percentile excess on normal days (tails.ts): one figure far outside the range
//            normal days reach, whatever the shape of its tail
//  residual  the largest amount by which a signal sits ABOVE what the autoencoder reconstructs
//            from the whole vector, in units of that feature's 99.9th-percentile upward residual:
//            a figure that does not fit with the rest of the day (context included), even when it
//            is not extreme on its own. Its held-out quantile comes from units of entities the
//            network was trained on, and on the days of entities it never saw it exceeds that
//            quantile more often (validation: 0.15 % of normal doctor-days instead of 0.1 %), so
//            it counts with a weight below 1: at weight 0.5 it alerts alone only when it is twice
//            what a held-out normal unit reaches once in a thousand
// Both are one-sided: fraud adds activity, and a day quieter than usual is not an alert.
// The drivers name the features with the largest share of the score, with their observed and
// reconstructed z so a reviewer sees what was odd.
import { normalise } from "../normalise";
import { quantile } from "../quantile";
import { isSignal, tailExcess } from "../tails";
import type { FraudModel } from "./train";
import { loadTf } from "./tf";

export interface FeatureContribution {
  feature: string;
  /** Observed value in z units. */
  z: number;
  /** What the model expected (its reconstruction), in z units. */
  expected: number;
  /** observed - expected, z units. */
  error: number;
  /** Excess over the feature's median in tail units (1 = as high as one normal unit in a thousand). */
  excess: number;
  /** This feature's share of the score: the larger of its scaled excess and scaled upward residual. */
  weight: number;
}

export interface VectorScore {
  score: number;
  flagged: boolean;
  /** Features that weigh most in the score, largest first (top 3). */
  drivers: FeatureContribution[];
}

const BATCH = 4096;

export interface ScoreParts {
  /** Largest upward residual over its per-feature scale: what the network could not explain. */
  residual: number;
  /** Largest tail excess: a figure beyond what normal days reach. */
  tail: number;
}

/** Per-feature upward residuals (z units) and reconstructions for raw vectors, in input order. */
export function reconstruct(model: FraudModel, vectors: readonly number[][]): { z: number[][]; recon: number[][] } {
  const { tf } = loadTf();
  const d = model.manifest.features.length;
  const z: number[][] = [];
  const recon: number[][] = [];
  for (let start = 0; start < vectors.length; start += BATCH) {
    const zb = vectors.slice(start, start + BATCH).map((v) => normalise(model.manifest.normaliser, v));
    const rb = tf.tidy(() => (model.net.predict(tf.tensor2d(zb, [zb.length, d])) as ReturnType<typeof tf.tensor2d>).arraySync() as number[][]);
    z.push(...zb);
    recon.push(...rb);
  }
  return { z, recon };
}

/** The raw parts for each vector, in input order, plus the per-feature breakdown (largest weight first). */
export function scoreParts(model: FraudModel, vectors: readonly number[][], top = 3): { parts: ScoreParts; drivers: FeatureContribution[] }[] {
  const m = model.manifest;
  const names = m.features;
  const { z, recon } = reconstruct(model, vectors);
  return vectors.map((v, i) => {
    const excess = tailExcess(m.tails, v);
    let residual = 0;
    let tail = 0;
    const contrib: FeatureContribution[] = [];
    for (let j = 0; j < names.length; j++) {
      const e = z[i][j] - recon[i][j];
      const r = isSignal(j) ? Math.max(0, e) / m.residualScale[j] : 0;
      residual = Math.max(residual, r);
      tail = Math.max(tail, excess[j]);
      contrib.push({ feature: names[j], z: z[i][j], expected: recon[i][j], error: e, excess: excess[j], weight: Math.max(excess[j] / m.partScale.tail, (m.residualWeight * r) / m.partScale.residual) });
    }
    contrib.sort((a, b) => b.weight - a.weight);
    return { parts: { residual, tail }, drivers: contrib.slice(0, top) };
  });
}

/** One score from the parts: each divided by its held-out quantile, the residual part weighted, the larger one counts. */
export function combine(p: ScoreParts, partScale: { residual: number; tail: number }, residualWeight: number): number {
  return Math.max((residualWeight * p.residual) / partScale.residual, p.tail / partScale.tail);
}

/** Scores raw (un-normalised) feature vectors (FeatureVector.values) against the model's calibrated threshold, in input order. */
export function scoreVectors(model: FraudModel, vectors: readonly number[][], top = 3): VectorScore[] {
  if (vectors.length === 0) return [];
  return scoreParts(model, vectors, top).map((r) => {
    const score = combine(r.parts, model.manifest.partScale, model.manifest.residualWeight);
    return { score, flagged: score > model.manifest.threshold, drivers: r.drivers };
  });
}

/** Per feature: the q-quantile of the upward residual over the given vectors (z units), floored so a
 * feature the network reproduces exactly still gives a finite scaled residual. */
export function upwardResidualScale(model: FraudModel, vectors: readonly number[][], q: number): number[] {
  const { z, recon } = reconstruct(model, vectors);
  return model.manifest.features.map((_, j) => Math.max(0.05, quantile(z.map((zi, i) => Math.max(0, zi[j] - recon[i][j])), q)));
}
