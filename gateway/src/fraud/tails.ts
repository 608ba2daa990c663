// Per-feature tail scale fitted on normal training vectors: how far above its median a signal
// goes on the rarest normal days. Features have tails of very different shapes (one genuine
// after-hours visit gives a night surprise of about 3 on a feature whose spread is tiny, while
// an expensive day spreads widely), so dividing by the standard deviation lets the sharpest
// feature set every threshold. Dividing the excess over the median by the feature's own
// 99.9th-percentile excess puts every signal on the same footing: 1 means "as high as the
// highest one in a thousand normal units". Only excess counts: fraud adds sessions, items,
// night visits and expensive boxes; a quiet day is not suspicious by itself. Context features
// (the size of the day, the weekday) are inputs, never signals.
import { FEATURE_NAMES } from "./features";
import { quantile } from "./quantile";

/** Features that describe the unit rather than signal anything: no excess is computed for them. */
export const CONTEXT_FEATURES: readonly string[] = ["sessions_log", "weekend"];

/** Quantile of the upward deviation that sets each feature's scale. */
export const TAIL_QUANTILE = 0.999;
/** Floor on a scale: a feature that never rose in training (duplicate hits, new devices) still gives a finite excess. */
const MIN_SCALE = 0.05;

export interface TailScale {
  median: number[];
  /** Per feature: the TAIL_QUANTILE of (value - median) over the training vectors, floored. */
  up: number[];
}

export function isSignal(j: number): boolean {
  return !CONTEXT_FEATURES.includes(FEATURE_NAMES[j]);
}

export function fitTails(vectors: readonly number[][]): TailScale {
  if (!vectors.length) throw new Error("cannot fit tail scales on no vectors");
  const d = vectors[0].length;
  const median: number[] = [];
  const up: number[] = [];
  for (let j = 0; j < d; j++) {
    const col = vectors.map((v) => (Number.isFinite(v[j]) ? v[j] : 0));
    const m = quantile(col, 0.5);
    median.push(m);
    up.push(Math.max(MIN_SCALE, quantile(col.map((x) => x - m), TAIL_QUANTILE)));
  }
  return { median, up };
}

/** Excess of each signal over its median in units of its tail scale (0 at or below the median, 0 for context features). */
export function tailExcess(t: TailScale, v: readonly number[]): number[] {
  if (v.length !== t.median.length) throw new Error(`vector has ${v.length} features, the tail scale ${t.median.length}`);
  const out = new Array<number>(v.length).fill(0);
  for (let j = 0; j < v.length; j++) {
    if (!isSignal(j) || !Number.isFinite(v[j])) continue;
    out[j] = Math.max(0, (v[j] - t.median[j]) / t.up[j]);
  }
  return out;
}
