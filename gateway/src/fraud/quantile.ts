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
