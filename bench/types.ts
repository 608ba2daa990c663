// One row of the benchmark table. Targets are checked here, never in timed unit tests.
export interface BenchRow {
  /** protocol, firmware, gateway, fraud, simulator... */
  area: string;
  metric: string;
  /** Median where the value is a timing. */
  value: number | string;
  unit: string;
  /** The goal as written in the issue, e.g. "<= 16". */
  target?: string;
  /** What the value is compared with, measured in the same run. */
  baseline?: string;
  /** value / baseline where a ratio is the point. */
  ratio?: number;
  /** Whether the target is met; absent where there is no target. */
  pass?: boolean;
  note?: string;
}

export interface Bench {
  name: string;
  /** Set `quick` for a smaller run (CI smoke); the full run is the default. */
  run(opts: { quick: boolean }): Promise<BenchRow[]>;
}

/** Median of a non-empty list of numbers. */
export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
