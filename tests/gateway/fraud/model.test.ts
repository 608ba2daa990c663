import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeFeatures, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "../../../gateway/src/fraud/features";
import { combine, loadModel, loadTf, ModelSchemaError, saveModel, scoreParts, scoreVectors, trainModel, trainOnVectors } from "../../../gateway/src/fraud/model";
import { FraudEngine } from "../../../gateway/src/fraud/engine";
import { loadModels, trainFromRows } from "../../../gateway/src/fraud/train-cli";
import { businessDay } from "../../../gateway/src/fraud/features";
import { generateHistory, type History } from "../../../simulator/src/history";
import type { FraudRow } from "../../../gateway/src/fraud/types";
import { EV_OPEN } from "../../../protocol/src/record";

const TINY = { epochs: 4, hidden: 6, bottleneck: 3, log: () => {} };
const priceOf = (h: History) => {
  const m = new Map(h.catalogue.map((p) => [p.id, { price: p.price }]));
  return (id: string) => m.get(id);
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vt-fraud-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("backend", () => {
  it("falls back to pure @tensorflow/tfjs when tfjs-node is absent, and says so", () => {
    const lines: string[] = [];
    const { backend, tf } = loadTf((m) => lines.push(m));
    expect(() => require.resolve("@tensorflow/tfjs-node")).toThrow();
    expect(backend).toBe("tfjs");
    expect(tf.getBackend()).toBe("cpu");
  });
});

describe("train, save, load, score", () => {
  const h = generateHistory({ seed: 11, clinics: 10, days: 21 });
  const vectors = computeFeatures(h.rows, { scope: "clinic-day", priceOf: priceOf(h) });

  it("gives identical scores after a round trip through disk", async () => {
    const model = await trainOnVectors(vectors, { ...TINY, scope: "clinic-day", percentile: 0.95 });
    const before = scoreVectors(model, vectors.map((v) => v.values));
    await saveModel(model, join(dir, "m1"));
    const loaded = await loadModel(join(dir, "m1"));
    const after = scoreVectors(loaded, vectors.map((v) => v.values));
    expect(after).toEqual(before);
    expect(loaded.manifest).toEqual(model.manifest);
    // the threshold is the chosen quantile of held-out scores: some normal vectors exceed it, most do not
    const flagged = before.filter((s) => s.flagged).length;
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(vectors.length * 0.15);
    expect(before[0].drivers).toHaveLength(3);
    expect(FEATURE_NAMES).toContain(before[0].drivers[0].feature);
  });

  it("is deterministic for a seed", async () => {
    const a = await trainOnVectors(vectors, { ...TINY, seed: 5 });
    const b = await trainOnVectors(vectors, { ...TINY, seed: 5 });
    expect(scoreVectors(a, [vectors[3].values])).toEqual(scoreVectors(b, [vectors[3].values]));
  });

  it("refuses a model whose feature schema differs", async () => {
    const model = await trainOnVectors(vectors, TINY);
    await saveModel(model, join(dir, "m2"));
    const file = join(dir, "m2", "manifest.json");
    const saved = JSON.parse(readFileSync(file, "utf8"));
    saved.manifest.features = [...saved.manifest.features.slice(1), "sessions_log"];
    writeFileSync(file, JSON.stringify(saved));
    await expect(loadModel(join(dir, "m2"))).rejects.toThrow(ModelSchemaError);
    await expect(loadModel(join(dir, "m2"))).rejects.toThrow(/feature list differs/);
    saved.manifest.features = [...FEATURE_NAMES];
    saved.manifest.featureSchemaVersion = 99;
    writeFileSync(file, JSON.stringify(saved));
    await expect(loadModel(join(dir, "m2"))).rejects.toThrow(/feature schema version 99/);
    // a model saved before the new-patient figure got its fixed 7-day lookback (schema 5)
    saved.manifest.featureSchemaVersion = 5;
    writeFileSync(file, JSON.stringify(saved));
    await expect(loadModel(join(dir, "m2"))).rejects.toThrow(/feature schema version 5, this gateway computes 7 .*retrain/);
    // a model saved before expensive_mix_lr (schema 6: 17 features, its normaliser and scales 17 long)
    const six = JSON.parse(JSON.stringify(saved));
    const at = FEATURE_NAMES.indexOf("expensive_mix_lr");
    six.manifest.featureSchemaVersion = 6;
    six.manifest.features = FEATURE_NAMES.filter((f) => f !== "expensive_mix_lr");
    for (const xs of [six.manifest.normaliser.mean, six.manifest.normaliser.std, six.manifest.residualScale, six.manifest.tails.median, six.manifest.tails.up]) xs.splice(at, 1);
    writeFileSync(file, JSON.stringify(six));
    await expect(loadModel(join(dir, "m2"))).rejects.toThrow(/feature schema version 6, this gateway computes 7 .*retrain/);
    saved.manifest.featureSchemaVersion = FEATURE_SCHEMA_VERSION;
    delete saved.manifest.tails;
    writeFileSync(file, JSON.stringify(saved));
    await expect(loadModel(join(dir, "m2"))).rejects.toThrow(/tail scale/);
    saved.manifest.tails = model.manifest.tails;
    for (const w of [0, 1.5, undefined]) {
      saved.manifest.residualWeight = w;
      writeFileSync(file, JSON.stringify(saved));
      await expect(loadModel(join(dir, "m2"))).rejects.toThrow(/residual weight/);
    }
    saved.manifest.residualWeight = model.manifest.residualWeight;
    saved.manifest.version = 3;
    writeFileSync(file, JSON.stringify(saved));
    await expect(loadModel(join(dir, "m2"))).rejects.toThrow(/model format version 3/);
    await expect(loadModel(join(dir, "nothing-here"))).rejects.toThrow(/no fraud model/);
  });

  it("weighs the residual part as the manifest says", async () => {
    expect(combine({ residual: 4, tail: 1 }, { residual: 2, tail: 1 }, 0.5)).toBe(1);
    expect(combine({ residual: 4, tail: 1 }, { residual: 2, tail: 1 }, 1)).toBe(2);
    expect(combine({ residual: 0, tail: 3 }, { residual: 2, tail: 1.5 }, 0.5)).toBe(2);
    const half = await trainOnVectors(vectors, { ...TINY, seed: 9, percentile: 0.95 });
    expect(half.manifest.residualWeight).toBe(0.5);
    const full = await trainOnVectors(vectors, { ...TINY, seed: 9, percentile: 0.95, residualWeight: 1 });
    const parts = scoreParts(full, vectors.map((v) => v.values), 0).map((p) => p.parts);
    // the same network and scales; only the weight differs, so the scores follow combine()
    const scores = scoreVectors(half, vectors.map((v) => v.values));
    scores.forEach((s, i) => expect(s.score).toBeCloseTo(combine(parts[i], half.manifest.partScale, 0.5), 9));
    await expect(trainOnVectors(vectors, { ...TINY, residualWeight: 0 })).rejects.toThrow(/residual weight/);
  });

  it("flags one duplicate hit and one new device, stays silent on normal days and on quiet days", async () => {
    // after the warm-up, as trained in production: every device has been seen, no code sold twice
    const days = [...new Set(vectors.map((v) => v.day))].sort();
    const late = vectors.filter((v) => v.day >= days[7]);
    for (const f of ["duplicate_hits_log", "new_devices"] as const) expect(late.every((v) => v.values[FEATURE_NAMES.indexOf(f)] === 0)).toBe(true);
    const model = await trainOnVectors(late, { ...TINY, epochs: 10, percentile: 0.999 });
    const base = late[late.length - 1].values;
    const with1 = (name: (typeof FEATURE_NAMES)[number], value: number) => {
      const v = base.slice();
      v[FEATURE_NAMES.indexOf(name)] = value;
      return v;
    };
    const [dup, dev] = scoreVectors(model, [with1("duplicate_hits_log", Math.log(2)), with1("new_devices", 1)]);
    expect(dup.flagged).toBe(true);
    expect(dup.drivers[0].feature).toBe("duplicate_hits_log");
    expect(dev.flagged).toBe(true);
    expect(dev.drivers[0].feature).toBe("new_devices");
    // the generator's normal days have neither: no vector is flagged for them
    const normal = scoreVectors(model, late.map((v) => v.values));
    expect(normal.filter((s) => s.flagged && ["duplicate_hits_log", "new_devices"].includes(s.drivers[0].feature))).toEqual([]);
    // a day far quieter than usual on every signal is not an alert: the score is one-sided
    const quiet = base.map((x, j) => (j < 2 ? x : -20));
    const [q] = scoreVectors(model, [quiet]);
    expect(q.flagged).toBe(false);
  });

  it("learns from the days after the warm-up only", async () => {
    const model = await trainModel(h.rows, { ...TINY, features: { priceOf: priceOf(h) } });
    const days = [...new Set(vectors.map((v) => v.day))].sort();
    const expected = vectors.filter((v) => v.day >= days[7]).length;
    expect(model.manifest.trainedOn.vectors + model.manifest.trainedOn.calibration).toBe(expected);
    expect(model.manifest.prices).toBe(true);
    const bare = await trainModel(h.rows, TINY);
    expect(bare.manifest.prices).toBe(false);
  });

  it("refuses to train on too little history", async () => {
    await expect(trainOnVectors(vectors.slice(0, 10), TINY)).rejects.toThrow(/at least 40/);
  });

  it("scores an absurd day far above the threshold and names the feature", async () => {
    const model = await trainModel(h.rows, { ...TINY, epochs: 10, features: { priceOf: priceOf(h) } });
    const odd = vectors[vectors.length - 1].values.slice();
    odd[FEATURE_NAMES.indexOf("night_surprise")] = 12; // six night sessions where none were expected
    const [s] = scoreVectors(model, [odd]);
    expect(s.flagged).toBe(true);
    expect(s.drivers[0].feature).toBe("night_surprise");
    expect(s.drivers[0].z).toBeGreaterThan(s.drivers[0].expected);
  });
});

describe("engine and trainFromRows", () => {
  it("trains both scopes to disk, reloads them and turns a phantom night into an anomaly alert", async () => {
    const normal = generateHistory({ seed: 21, clinics: 10, days: 21 });
    const out = await trainFromRows(normal.rows, join(dir, "both"), { ...TINY, epochs: 15, features: { priceOf: priceOf(normal) } });
    expect(out.map((o) => o.scope)).toEqual(["clinic-day", "doctor-day"]);
    const models = await loadModels(join(dir, "both"));
    expect(Object.keys(models).sort()).toEqual(["clinic-day", "doctor-day"]);

    const h = generateHistory({ seed: 22, clinics: 10, days: 21, fraud: { "night-phantom": 1 } });
    const [unit] = h.labels[0].clinicDays;
    const day = unit.split("|")[1];
    const runs: unknown[] = [];
    const engine = new FraudEngine({ models, priceOf: priceOf(h), onRun: (s) => runs.push(s) });
    const alerts = engine.closeDay({
      day,
      rows: h.rows.filter((r) => businessDay(r.correctedTime) === day),
      history: h.rows.filter((r) => businessDay(r.correctedTime) < day),
    });
    const clinic = unit.split("|")[0];
    const anomaly = alerts.find((a) => a.kind === "anomaly" && a.evidence.entity === clinic);
    expect(anomaly).toBeDefined();
    expect((anomaly!.evidence.drivers as { feature: string }[]).map((d) => d.feature)).toEqual(expect.arrayContaining([expect.stringMatching(/^night_/)]));
    expect(alerts.some((a) => a.kind === "odd-hours" && a.evidence.institution === clinic)).toBe(true);
    expect(runs).toHaveLength(1);
    expect(runs[0]).not.toHaveProperty("modelsSkipped");

    // a day whose county history is (almost) empty is not judged by the models, and the run says so;
    // the rules still run
    const first = h.rows.reduce((m, r) => (businessDay(r.correctedTime) < m ? businessDay(r.correctedTime) : m), "9999");
    const firstRows = h.rows.filter((r) => businessDay(r.correctedTime) === first);
    const phantom: FraudRow = { ...firstRows[0], seq: 1e6, event: EV_OPEN, session: 1e6, correctedTime: firstRows[0].correctedTime - 86400 };
    const quiet = engine.closeDay({ day: first, rows: firstRows, history: [] });
    expect(quiet.filter((a) => a.kind === "anomaly")).toEqual([]);
    expect(runs[1]).toMatchObject({ modelsSkipped: expect.stringMatching(/^0 sessions/), vectors: {} });
    const next = new Date(Date.parse(first + "T00:00:00Z") + 86400000).toISOString().slice(0, 10);
    engine.closeDay({ day: next, rows: h.rows.filter((r) => businessDay(r.correctedTime) === next), history: [phantom] });
    expect(runs[2]).toMatchObject({ modelsSkipped: expect.stringMatching(/^1 sessions .* need 10/) });
    const judged = new FraudEngine({ models, priceOf: priceOf(h), minHistorySessions: 0, onRun: (s) => runs.push(s) });
    judged.closeDay({ day: first, rows: firstRows, history: [] });
    expect((runs[3] as { vectors: Record<string, number> }).vectors["clinic-day"]).toBeGreaterThan(0);
  });
});
