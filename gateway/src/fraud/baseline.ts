// The plain statistical rule the model must beat: per-feature z-scores on the same
// normalisation, the largest |z| as the score, threshold calibrated the same way.
import { normalise, type Normaliser } from "./normalise";
import { thresholdQuantile } from "./quantile";

export interface ZScoreBaseline {
  normaliser: Normaliser;
  threshold: number;
}

export function zScore(n: Normaliser, v: readonly number[]): { score: number; feature: number } {
  const z = normalise(n, v);
  let best = 0;
  let feature = 0;
  for (let j = 0; j < z.length; j++) {
    if (Math.abs(z[j]) > best) {
      best = Math.abs(z[j]);
      feature = j;
    }
  }
  return { score: best, feature };
}

/** Threshold set as the model's is (thresholdQuantile: the held-out percentile, or an exponential tail
 * fitted to the held-out scores when too few of them lie above the percentile). */
export function calibrateBaseline(n: Normaliser, heldOutNormal: readonly number[][], percentile: number): ZScoreBaseline {
  return { normaliser: n, threshold: thresholdQuantile(heldOutNormal.map((v) => zScore(n, v).score), percentile).value };
}
