// Tail scales, the one-sided score, the trimmed own history, the price catalogue and the bench's
// ranking measures: each piece on inputs where the answer is known.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeFeatures, FEATURE_NAMES } from "../../../gateway/src/fraud/features";
import { CONTEXT_FEATURES, fitTails, tailExcess } from "../../../gateway/src/fraud/tails";
import { catalogueLookup, loadCatalogue, parseCatalogue } from "../../../gateway/src/fraud/catalogue";
import { priceLookup } from "../../../gateway/src/fraud/service";
import { defaultSettings, mergeSettings } from "../../../gateway/src/config/settings";
import { averagePrecision, precisionAtRecall, rocAuc } from "../../../bench/fraud.bench";
import { cn20, cst, RowBuilder } from "./rows";

const idx = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);

describe("tail scales", () => {
  // 1000 normal vectors: every feature spread 0..999 / 100, except duplicate hits (always 0)
  const normal = Array.from({ length: 1000 }, (_, i) => FEATURE_NAMES.map((f) => (f === "duplicate_hits_log" ? 0 : i / 100)));
  const t = fitTails(normal);

  it("puts each signal's 99.9th-percentile excess over its median at 1", () => {
    const j = idx("items_surprise");
    expect(t.median[j]).toBeCloseTo(4.995);
    const top = normal[999].slice();
    expect(tailExcess(t, top)[j]).toBeCloseTo((9.99 - 4.995) / t.up[j]);
    const atQ = normal[0].map((_, k) => t.median[k] + t.up[k]);
    expect(tailExcess(t, atQ)[j]).toBeCloseTo(1);
  });

  it("is one-sided and ignores context features", () => {
    const low = FEATURE_NAMES.map(() => -50);
    expect(tailExcess(t, low).every((x) => x === 0)).toBe(true);
    const big = FEATURE_NAMES.map(() => 1e6);
    const e = tailExcess(t, big);
    for (const c of CONTEXT_FEATURES) expect(e[FEATURE_NAMES.indexOf(c as (typeof FEATURE_NAMES)[number])]).toBe(0);
    expect(e[idx("night_surprise")]).toBeGreaterThan(1000);
  });

  it("fires on one duplicate hit, a feature that never rose on normal days, and is silent on normal data", () => {
    const j = idx("duplicate_hits_log");
    expect(t.up[j]).toBe(0.05); // floored
    expect(Math.max(...normal.map((v) => tailExcess(t, v)[j]))).toBe(0);
    const hit = normal[500].slice();
    hit[j] = Math.log(2);
    expect(tailExcess(t, hit)[j]).toBeGreaterThan(10);
  });

  it("refuses a vector of the wrong length and treats non-finite values as no signal", () => {
    expect(() => tailExcess(t, [1, 2])).toThrow(/features/);
    const v = normal[0].slice();
    v[idx("night_surprise")] = NaN;
    expect(tailExcess(t, v)[idx("night_surprise")]).toBe(0);
    expect(() => fitTails([])).toThrow(/no vectors/);
  });
});

describe("own history without its highest day", () => {
  // H1 (dev1): three weeks of two one-box sessions a day; one earlier day with ten boxes in a session
  function rows(spikeDay: number | null): RowBuilder {
    const b = new RowBuilder();
    let n = 1;
    for (let d = 1; d <= 21; d++) {
      const day = `2025-09-${String(d).padStart(2, "0")}`;
      const many = d === spikeDay;
      b.session("dev1", cst(`${day} 09:00`), many ? Array.from({ length: 10 }, () => cn20("8300001", n++)) : [cn20("8300001", n++)], { patient: "p" + d });
      b.session("dev1", cst(`${day} 15:00`), [cn20("8300001", n++)], { patient: "q" + d });
    }
    b.session("dev1", cst("2025-09-22 09:00"), Array.from({ length: 10 }, () => cn20("8300001", n++)), { patient: "p22" });
    return b;
  }
  const on22 = (b: RowBuilder) => computeFeatures(b.rows, { scope: "clinic-day", fromDay: "2025-09-22" })[0].values[idx("items_surprise")];

  it("judges today's armful as strongly when the same armful happened once before", () => {
    const clean = on22(rows(null));
    const once = on22(rows(15));
    expect(clean).toBeGreaterThan(5);
    // the earlier spike day is left out of the usual rate (only the county's rate still carries
    // it), so it barely lowers today's surprise: 6.95 -> 6.68, where counting it gives 6.19
    expect(clean - once).toBeGreaterThan(0);
    expect(clean - once).toBeLessThan(0.5);
  });
});

describe("price catalogue", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vt-cat-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads products and prices and looks them up", () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify([{ product: "8300002", price: 200 }, { product: "06901234567892", price: 12.5 }]));
    const c = loadCatalogue(file);
    expect(c.products).toBe(2);
    expect(c.lookup("8300002")).toEqual({ price: 200 });
    expect(c.lookup("8300009")).toBeUndefined();
  });

  it("refuses bad files with the reason and the entry", () => {
    expect(() => parseCatalogue({ product: "1" }, "f")).toThrow(/JSON array/);
    expect(() => parseCatalogue([{ product: "8300001", price: -1 }], "f")).toThrow(/f\[0\]\.price/);
    expect(() => parseCatalogue([{ product: "8300001", price: 1 }, { product: "8300001", price: 2 }], "f")).toThrow(/listed twice/);
    expect(() => parseCatalogue([{ product: "a b", price: 1 }], "f")).toThrow(/f\[0\]\.product/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{not json");
    expect(() => loadCatalogue(bad)).toThrow(/price catalogue .*bad\.json/);
  });

  it("feeds the price features; without it they stay 0", () => {
    const b = new RowBuilder();
    let n = 1;
    for (let d = 1; d <= 10; d++) b.session("dev1", cst(`2025-09-${String(d).padStart(2, "0")} 09:00`), [cn20("8300001", n++)], { patient: "p" + d });
    b.session("dev1", cst("2025-09-11 09:00"), [cn20("8300002", n++), cn20("8300002", n++), cn20("8300002", n++)], { patient: "p11" });
    const priceOf = catalogueLookup([{ product: "8300001", price: 5 }, { product: "8300002", price: 300 }]);
    const withPrices = computeFeatures(b.rows, { scope: "clinic-day", priceOf, fromDay: "2025-09-11" })[0].values;
    const without = computeFeatures(b.rows, { scope: "clinic-day", fromDay: "2025-09-11" })[0].values;
    expect(withPrices[idx("high_price_surprise")]).toBeGreaterThan(3);
    expect(without[idx("high_price_surprise")]).toBeCloseTo(0, 2);
    expect(without[idx("value_per_session_vs_usual")]).toBe(0);
  });

  it("the service loads the configured catalogue and logs when there is none or it is unreadable", () => {
    const lines: string[] = [];
    const log = { info: (_o: object, m: string) => lines.push("info " + m), error: (_o: object, m: string) => lines.push("error " + m) };
    expect(priceLookup(defaultSettings(), log)).toBeUndefined();
    expect(lines.pop()).toMatch(/^info no price catalogue/);
    expect(priceLookup(mergeSettings(defaultSettings(), { fraud: { catalogueFile: join(dir, "missing.json") } }), log)).toBeUndefined();
    expect(lines.pop()).toMatch(/^error price catalogue refused/);
    const lookup = priceLookup(mergeSettings(defaultSettings(), { fraud: { catalogueFile: join(dir, "ok.json") } }), log);
    expect(lookup?.("8300002")).toEqual({ price: 200 });
  });
});

describe("ranking measures of the bench", () => {
  it("average precision, precision at recall and ROC-AUC on known rankings", () => {
    expect(averagePrecision([5, 4], [3, 2, 1])).toBe(1);
    expect(rocAuc([5, 4], [3, 2, 1])).toBe(1);
    // ranking: P N P N N -> AP = (1/1 + 2/3) / 2
    expect(averagePrecision([5, 3], [4, 2, 1])).toBeCloseTo((1 + 2 / 3) / 2);
    expect(precisionAtRecall([5, 3], [4, 2, 1], 0.9)).toBeCloseTo(2 / 3);
    expect(precisionAtRecall([5, 3], [4, 2, 1], 0.5)).toBe(1);
    // a tie between a positive and a normal unit counts against the detector
    expect(averagePrecision([2], [2])).toBe(0.5);
  });
});
