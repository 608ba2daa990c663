// Sampling the scenario's count and duration distributions.
import type { Dist } from "./types";
import { poisson, randInt, type Rng } from "./prng";

/** A non-negative integer drawn from `d`. */
export function sample(rng: Rng, d: Dist): number {
  switch (d.kind) {
    case "fixed":
      return Math.max(0, Math.round(d.value));
    case "uniform":
      return randInt(rng, Math.round(d.min), Math.round(d.max));
    case "poisson":
      return poisson(rng, d.mean);
    case "weighted": {
      let total = 0;
      for (const w of d.weights) total += w;
      let x = rng() * total;
      for (let i = 0; i < d.values.length; i++) {
        x -= d.weights[i];
        if (x < 0) return d.values[i];
      }
      return d.values[d.values.length - 1];
    }
  }
}

/** Checks a distribution; returns error lines (empty when fine). */
export function distErrors(d: unknown, path: string): string[] {
  if (typeof d !== "object" || d === null) return [path + ": expected a distribution object such as {\"kind\": \"poisson\", \"mean\": 8}"];
  const o = d as Record<string, unknown>;
  const num = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  switch (o.kind) {
    case "fixed":
      return num(o.value) ? [] : [path + ".value: a number >= 0"];
    case "uniform":
      if (!num(o.min) || !num(o.max)) return [path + ": min and max must be numbers >= 0"];
      return (o.min as number) <= (o.max as number) ? [] : [path + ": min must not exceed max"];
    case "poisson":
      return num(o.mean) ? [] : [path + ".mean: a number >= 0"];
    case "weighted": {
      const vs = o.values, ws = o.weights;
      if (!Array.isArray(vs) || !Array.isArray(ws) || vs.length === 0 || vs.length !== ws.length) return [path + ": values and weights must be non-empty arrays of the same length"];
      if (!vs.every(num) || !ws.every(num)) return [path + ": values and weights must be numbers >= 0"];
      return (ws as number[]).some((w) => w > 0) ? [] : [path + ".weights: at least one must be > 0"];
    }
    default:
      return [path + ".kind: one of fixed, uniform, poisson, weighted (got " + JSON.stringify(o.kind) + ")"];
  }
}
