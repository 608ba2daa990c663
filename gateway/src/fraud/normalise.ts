// Per-feature standardisation fitted on training vectors only, so held-out data is judged on
// the training scale. z is clipped: one absurd figure must not swamp the model's training.
export interface Normaliser {
  mean: number[];
  std: number[];
  /** |z| cap applied after standardising. */
  clip: number;
}

/** Floor on a feature's spread: a feature that never moved in training still gets a finite z. */
const MIN_STD = 0.05;

export function fitNormaliser(vectors: readonly number[][], clip = 100): Normaliser {
  if (!vectors.length) throw new Error("cannot fit a normaliser on no vectors");
  const d = vectors[0].length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j] += v[j] / vectors.length;
  for (const v of vectors) for (let j = 0; j < d; j++) std[j] += (v[j] - mean[j]) ** 2 / vectors.length;
  for (let j = 0; j < d; j++) std[j] = Math.max(MIN_STD, Math.sqrt(std[j]));
  return { mean, std, clip };
}

export function normalise(n: Normaliser, v: readonly number[]): number[] {
  if (v.length !== n.mean.length) throw new Error(`vector has ${v.length} features, the normaliser ${n.mean.length}`);
  const z = new Array<number>(v.length);
  for (let j = 0; j < v.length; j++) {
    const x = Number.isFinite(v[j]) ? (v[j] - n.mean[j]) / n.std[j] : 0;
    z[j] = Math.max(-n.clip, Math.min(n.clip, x));
  }
  return z;
}
