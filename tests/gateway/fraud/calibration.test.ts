// Threshold calibration: the threshold trainOnVectors fits on held-out normal vectors gives, on
// fresh vectors of the same kind, about the false-alarm rate it was set for; the model records and
// says how many held-out vectors the threshold rests on; bad figures neither crash training nor
// leave a model that can never alert.
import { FEATURE_NAMES, type FeatureVector } from "../../../gateway/src/fraud/features";
import { scoreVectors, trainOnVectors } from "../../../gateway/src/fraud/model";
import { MIN_TAIL_VECTORS } from "../../../gateway/src/fraud/model/train";
import { quantile, thresholdQuantile } from "../../../gateway/src/fraud/quantile";
import { mulberry32 } from "../../../simulator/src/scenario/prng";

const TINY = { epochs: 2, hidden: 6, bottleneck: 3 };

/** Normal clinic-days with long-tailed figures: every feature exponential, drawn independently. */
function normalVectors(n: number, seed: number, day0 = 0): FeatureVector[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    scope: "clinic-day" as const,
    entity: `clinic-${i % 100}`,
    day: `d${day0 + Math.floor(i / 100)}`,
    institution: `clinic-${i % 100}`,
    values: FEATURE_NAMES.map(() => -Math.log(1 - r())),
    sessions: 1,
    records: 1,
    sessionKeys: [],
  }));
}

describe("threshold calibration", () => {
  it("gives fresh normal vectors about the false-alarm rate it was set for, and records what it rests on", async () => {
    const logs: string[] = [];
    // 20,000 vectors: a quarter held out, so the 99th percentile rests on about 50 of them
    const model = await trainOnVectors(normalVectors(20000, 1), { ...TINY, percentile: 0.99, log: (m) => logs.push(m) });
    const t = model.manifest.trainedOn;
    expect(t.calibration).toBeGreaterThan(4500);
    expect(t.calibration).toBeLessThan(5500);
    expect(t.tailVectors).toBeGreaterThanOrEqual(Math.floor(t.calibration * 0.01) - 1);
    expect(t.tailVectors).toBeLessThanOrEqual(Math.ceil(t.calibration * 0.01) + 1);
    expect(logs.some((m) => /rests on/.test(m))).toBe(false);
    // other days of the same kind: about 1 % above the threshold (200 of 20,000 expected; a binomial
    // standard deviation of 14 plus the threshold's own error of about 15 %)
    const fresh = normalVectors(20000, 2, 1000);
    const rate = scoreVectors(model, fresh.map((v) => v.values)).filter((s) => s.flagged).length / fresh.length;
    expect(rate).toBeGreaterThan(0.006);
    expect(rate).toBeLessThan(0.015);
  }, 60000);

  it("says so when the threshold rests on fewer held-out vectors than it needs", async () => {
    const logs: string[] = [];
    const model = await trainOnVectors(normalVectors(600, 3), { ...TINY, percentile: 0.999, log: (m) => logs.push(m) });
    const warning = logs.find((m) => /rests on/.test(m));
    expect(warning).toMatch(new RegExp(`rests on ${model.manifest.trainedOn.calibration} held-out vectors, fewer than ${MIN_TAIL_VECTORS}`));
    expect(warning).toMatch(/about 20000 clinic-day vectors/);
    // of about 150 held-out vectors the 99.9th percentile would be about their largest: the threshold
    // is read off an exponential fitted to their top tenth instead, and says so
    expect(warning).toMatch(/read off an exponential/);
    expect(model.manifest.trainedOn.thresholdMethod).toBe("exponential");
    expect(model.manifest.trainedOn.tailVectors).toBeLessThanOrEqual(1);
    // with enough held-out vectors the plain percentile stays
    const big = await trainOnVectors(normalVectors(20000, 6), { ...TINY, percentile: 0.99 });
    expect(big.manifest.trainedOn.thresholdMethod).toBe("percentile");
  });

  it("refuses a calibration set below the minimum it is given", async () => {
    await expect(trainOnVectors(normalVectors(300, 7), { ...TINY, minCalibration: 100 })).rejects.toThrow(/too short: \d+ clinic-day vectors held out .* at least 100 needed .*train on more days/);
    const ok = await trainOnVectors(normalVectors(600, 7), { ...TINY, minCalibration: 100 });
    expect(ok.manifest.trainedOn.calibration).toBeGreaterThanOrEqual(100);
  });

  it("a threshold from 150 normal scores: the fitted tail gives about the rate it promises, the sample's percentile 5 times more", () => {
    // 400 draws of 150 exponential scores (the shape of a max over long-tailed signals); the true share
    // above a threshold t is exp(-t)
    const r = mulberry32(11);
    const fitted: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < 400; i++) {
      const xs = Array.from({ length: 150 }, () => -Math.log(1 - r()));
      const t = thresholdQuantile(xs, 0.999);
      expect(t.method).toBe("exponential");
      fitted.push(Math.exp(-t.value));
      plain.push(Math.exp(-quantile(xs, 0.999)));
    }
    expect(quantile(fitted, 0.5)).toBeGreaterThan(0.0005);
    expect(quantile(fitted, 0.5)).toBeLessThan(0.002);
    expect(quantile(plain, 0.5)).toBeGreaterThan(0.004);
    // enough scores for the percentile, a percentile below the fitted part, too few to fit: the plain quantile
    const many = Array.from({ length: 6000 }, (_, i) => i);
    expect(thresholdQuantile(many, 0.999)).toEqual({ value: quantile(many, 0.999), method: "percentile" });
    expect(thresholdQuantile([1, 2, 3, 4, 5], 0.8)).toEqual({ value: quantile([1, 2, 3, 4, 5], 0.8), method: "percentile" });
    expect(thresholdQuantile([1, 2, 3, 4, 5], 0.999).method).toBe("percentile");
    const flat = thresholdQuantile(new Array(200).fill(2), 0.999);
    expect(flat.value).toBe(2);
  });

  it("leaves vectors with missing or non-finite figures out of training instead of making every score NaN", async () => {
    const vs = normalVectors(2000, 4);
    vs[3].values[5] = NaN;
    vs[10].values[7] = Infinity;
    vs[20].values = vs[20].values.slice(0, 4);
    const logs: string[] = [];
    const model = await trainOnVectors(vs, { ...TINY, percentile: 0.99, log: (m) => logs.push(m) });
    expect(logs).toContain("clinic-day: 3 of 2000 vectors have a missing or non-finite figure and are left out of training");
    expect(model.manifest.trainedOn.vectors + model.manifest.trainedOn.calibration).toBe(1997);
    expect(Number.isFinite(model.manifest.threshold)).toBe(true);
    expect(Number.isFinite(model.manifest.partScale.residual)).toBe(true);
    expect(model.manifest.normaliser.mean.every((x) => Number.isFinite(x))).toBe(true);
    // scoring a day with a NaN figure: the figure counts as the feature's mean, the rest is judged
    const odd = vs[0].values.slice();
    odd[FEATURE_NAMES.indexOf("night_surprise")] = 1000;
    odd[FEATURE_NAMES.indexOf("items_surprise")] = NaN;
    const [s, n] = scoreVectors(model, [odd, FEATURE_NAMES.map(() => NaN)]);
    expect(s.flagged).toBe(true);
    expect(Number.isFinite(s.score)).toBe(true);
    expect(Number.isFinite(n.score)).toBe(true);
    expect(n.flagged).toBe(false);
    // all of them bad: a clear error, not a model
    await expect(trainOnVectors(vs.map((v) => ({ ...v, values: v.values.map(() => NaN) })), TINY)).rejects.toThrow(/need at least 40 clinic-day vectors/);
    await expect(trainOnVectors(normalVectors(200, 5), { ...TINY, percentile: 1.5 })).rejects.toThrow(RangeError);
    await expect(trainOnVectors(normalVectors(200, 5), { ...TINY, calibrationShare: 0 })).rejects.toThrow(/too few vectors/);
  });

  it("takes the quantile it is asked for and refuses what is not one", () => {
    const xs = Array.from({ length: 1001 }, (_, i) => i);
    expect(quantile(xs, 0.999)).toBeCloseTo(999);
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(() => quantile([], 0.5)).toThrow(/no scores/);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});
