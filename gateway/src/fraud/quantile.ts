// Threshold calibration: the q-quantile of scores on held-out normal data (linear interpolation).
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) throw new Error("cannot take a quantile of no scores");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const s = xs.slice().sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Share of the top scores an exponential tail is fitted to when the sample is too small for its percentile. */
export const FIT_TAIL_SHARE = 0.1;
/** Scores expected above a percentile below which it is read off a fitted tail instead of the sample. */
export const MIN_TAIL_VECTORS = 5;
/** Scores above the fit's base below which no tail is fitted (the plain percentile is returned). */
const MIN_FIT_EXCESSES = 10;

export interface Threshold {
  value: number;
  /** "percentile": the sample's own q-quantile; "exponential": read off an exponential fitted to the top FIT_TAIL_SHARE. */
  method: "percentile" | "exponential";
}

/** The q-quantile of normal scores as a threshold. With at least MIN_TAIL_VECTORS scores expected
 * above it, the sample's own quantile. With fewer, that quantile is about the sample's largest
 * score, and a county's later weeks went over it 10-20 times as often as q promises
 * (docs/fraud-evaluation.md, "One county's own model"): the tail above the (1 - FIT_TAIL_SHARE)
 * quantile u is taken as exponential, its scale the mean excess over u, and the threshold is
 * u + scale * ln(share above u / (1 - q)). Needs MIN_FIT_EXCESSES scores above u; below that, or
 * when q is not above 1 - FIT_TAIL_SHARE, the plain quantile. */
export function thresholdQuantile(xs: readonly number[], q: number): Threshold {
  const plain = quantile(xs, q);
  if (xs.length * (1 - q) >= MIN_TAIL_VECTORS || q <= 1 - FIT_TAIL_SHARE) return { value: plain, method: "percentile" };
  const u = quantile(xs, 1 - FIT_TAIL_SHARE);
  const excess = xs.filter((x) => Number.isFinite(x) && x > u).map((x) => x - u);
  if (excess.length < MIN_FIT_EXCESSES) return { value: plain, method: "percentile" };
  const scale = excess.reduce((s, x) => s + x, 0) / excess.length;
  return { value: u + scale * Math.log(excess.length / xs.length / (1 - q)), method: "exponential" };
}
