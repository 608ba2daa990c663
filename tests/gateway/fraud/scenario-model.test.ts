// The fraud models a simulated county runs with: normal history planned from a fleet scenario, the
// scenario's price catalogue, and the committed models (simulator/src/history/fraud-model) still
// loading with today's features and model format.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogue, catalogueLookup } from "../../../gateway/src/fraud/catalogue";
import { productOf } from "../../../gateway/src/fraud/codes";
import { computeFeatures, FEATURE_SCHEMA_VERSION } from "../../../gateway/src/fraud/features";
import { MODEL_FORMAT_VERSION, scoreVectors } from "../../../gateway/src/fraud/model";
import { loadModels } from "../../../gateway/src/fraud/train-cli";
import { EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT } from "../../../protocol/src/record";
import { CATALOGUE_FILE, COMMITTED_FRAUD_MODEL_DIR, scenarioCatalogue, scenarioHistory } from "../../../simulator/src/history";
import { loadScenarioFile, type Scenario } from "../../../simulator/src/scenario/index";

function small(): Scenario {
  const v = loadScenarioFile(join(__dirname, "../../../simulator/scenarios/small.json"));
  if (!v.ok) throw new Error(v.errors.join("; "));
  return v.scenario;
}

describe("scenario catalogue", () => {
  it("prices each drug under the product the features look up", () => {
    const s = small();
    const c = scenarioCatalogue(s);
    expect(c).toHaveLength(s.catalogue.length);
    for (const d of s.catalogue) {
      const product = d.noCode ? d.catalogue : (d.gtin ?? d.cn20Prefix);
      expect(c).toContainEqual({ product, price: d.price });
    }
    // and it is a valid catalogue file
    expect(parseCatalogue(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });
});

describe("scenario history", () => {
  const s = small();
  const rows = scenarioHistory(s, { seeds: [5, 6], days: 10 });

  it("is the scenario's normal days, one copy of its clinics per seed, in arrival order", () => {
    expect(rows.length).toBeGreaterThan(500);
    const institutions = new Set(rows.map((r) => r.institution));
    expect(institutions.size).toBe(2 * (s.clinics?.length ?? 0));
    for (const i of institutions) expect(i).toMatch(/^s[56]-H/);
    for (let i = 1; i < rows.length; i++) expect(rows[i].receivedAt).toBeGreaterThanOrEqual(rows[i - 1].receivedAt);
    for (const r of rows) expect(r.receivedAt).toBeGreaterThanOrEqual(r.correctedTime);
    // no night sessions: the fraud was left out and the scenario's opening hours are daytime
    const opens = rows.filter((r) => r.event === EV_OPEN);
    const night = opens.filter((r) => ((r.correctedTime / 3600 + 8) % 24 < 5));
    expect(night).toEqual([]);
  });

  it("numbers each device's records 1..n in time order, with sessions pointing at their open record", () => {
    const byDevice = new Map<string, typeof rows>();
    for (const r of rows) byDevice.set(r.device, [...(byDevice.get(r.device) ?? []), r]);
    for (const list of byDevice.values()) {
      const bySeq = list.slice().sort((a, b) => a.seq - b.seq);
      bySeq.forEach((r, i) => {
        expect(r.seq).toBe(i + 1);
        if (i) expect(r.correctedTime).toBeGreaterThanOrEqual(bySeq[i - 1].correctedTime);
      });
      const opens = new Set(list.filter((r) => r.event === EV_OPEN).map((r) => r.seq));
      for (const r of list) expect(opens.has(r.session)).toBe(true);
    }
  });

  it("leaves the clock unset for records made in a boot before its first link", () => {
    // shangba's link is up only 20:00-21:00, so its first day's records come before any time sync
    const firstDay = rows.filter((r) => r.device.startsWith("s5-shangba") && r.correctedTime * 1000 < Date.parse(s.startDate + "T12:00:00Z"));
    expect(firstDay.length).toBeGreaterThan(0);
    expect(firstDay.every((r) => !r.trusted)).toBe(true);
    // and they arrive at the first window, that evening
    expect(Math.min(...firstDay.map((r) => r.receivedAt))).toBeGreaterThanOrEqual(Date.parse(s.startDate + "T12:00:00Z") / 1000);
    expect(rows.filter((r) => r.trusted).length).toBeGreaterThan(rows.length / 2);
  });

  it("sells only products the catalogue prices", () => {
    const lookup = catalogueLookup(scenarioCatalogue(s));
    const items = rows.filter((r) => r.event === EV_DISPENSE || r.event === EV_SPLIT || r.event === EV_NOCODE);
    expect(items.length).toBeGreaterThan(0);
    for (const r of items) expect(lookup(r.event === EV_NOCODE ? (r.code as string) : productOf(r.code as string))).toBeDefined();
  });
});

describe("committed models (simulator/src/history/fraud-model)", () => {
  const retrain = "retrain with: npm run sim -- train-fraud-model --out simulator/src/history/fraud-model";

  it(`load with today's features and model format (${retrain})`, async () => {
    const models = await loadModels(COMMITTED_FRAUD_MODEL_DIR);
    expect(Object.keys(models).sort()).toEqual(["clinic-day", "doctor-day"]);
    for (const m of Object.values(models)) {
      expect(m.manifest.version).toBe(MODEL_FORMAT_VERSION);
      expect(m.manifest.featureSchemaVersion).toBe(FEATURE_SCHEMA_VERSION);
      expect(m.manifest.prices).toBe(true);
      m.net.dispose();
    }
  });

  it("carry the small scenario's catalogue", () => {
    const saved = parseCatalogue(JSON.parse(readFileSync(join(COMMITTED_FRAUD_MODEL_DIR, CATALOGUE_FILE), "utf8")));
    expect(saved).toEqual(scenarioCatalogue(small()));
  });

  it("stay quiet on normal days of the scenario they were not trained on", async () => {
    // plan seeds other than the training ones (the scenario's seed and the 39 after it)
    const s = small();
    const fresh = scenarioHistory(s, { seeds: [9001, 9002, 9003, 9004, 9005, 9006], days: 28 });
    const priceOf = catalogueLookup(scenarioCatalogue(s));
    const models = await loadModels(COMMITTED_FRAUD_MODEL_DIR);
    const from = new Date(Date.parse(s.startDate + "T00:00:00Z") + 7 * 86400000).toISOString().slice(0, 10);
    for (const scope of ["clinic-day", "doctor-day"] as const) {
      const vectors = computeFeatures(fresh, { scope, priceOf, fromDay: from });
      expect(vectors.length).toBeGreaterThan(300);
      const flagged = scoreVectors(models[scope]!, vectors.map((v) => v.values)).filter((x) => x.flagged).length;
      // the threshold is the 99.9th percentile of held-out normal scores: a handful at most
      expect(flagged).toBeLessThanOrEqual(Math.ceil(0.01 * vectors.length));
      models[scope]!.net.dispose();
    }
  });
});
