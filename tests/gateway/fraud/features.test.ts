import { EV_NOCODE, EV_UNDO } from "../../../protocol/src/record";
import { businessDay, computeFeatures, FEATURE_NAMES } from "../../../gateway/src/fraud/features";
import { fitNormaliser, normalise } from "../../../gateway/src/fraud/normalise";
import { betaBinomialSurprise, contaminationLr, logGamma, poissonSurprise } from "../../../gateway/src/fraud/surprise";
import { generateHistory } from "../../../simulator/src/history";
import type { FraudRow } from "../../../gateway/src/fraud/types";
import { cn20, cst, RowBuilder } from "./rows";

const feature = (values: number[], name: (typeof FEATURE_NAMES)[number]) => values[FEATURE_NAMES.indexOf(name)];
const prices = new Map([["8300001", { price: 10 }], ["8300002", { price: 200 }], ["8300003", { price: 5 }], ["8300004", { price: 300 }], ["8300005", { price: 150 }]]);
const priceOf = (p: string) => prices.get(p);

describe("features on hand-made rows", () => {
  // clinic H1 on Monday 2025-09-01: three sessions, one at 23:30; dev2 (H2) resells a box of H1
  const b = new RowBuilder();
  b.session("dev1", cst("2025-09-01 09:00"), [cn20("8300001", 1), cn20("8300002", 2)], { patient: "pa" });
  b.session("dev1", cst("2025-09-01 10:00"), [cn20("8300001", 3)], { patient: "pa", splits: [{ code: cn20("8300003", 4), units: 5, perPack: 20 }] });
  const late = b.session("dev1", cst("2025-09-01 23:30"), [cn20("8300002", 5)]);
  b.add("dev1", cst("2025-09-01 23:31"), { event: EV_NOCODE, session: late[0].seq, code: "XN8300001", units: 2 });
  b.add("dev1", cst("2025-09-01 23:32"), { event: EV_UNDO, session: late[0].seq, ref: late[1].seq }, { trusted: false });
  b.session("dev2", cst("2025-09-02 09:00"), [cn20("8300001", 1)], { patient: "pb" });
  const vs = computeFeatures(b.rows, { scope: "clinic-day", priceOf });

  it("gives one vector per clinic and business day, the 23:30 session with its day", () => {
    expect(vs.map((v) => `${v.entity} ${v.day} ${v.sessions}`)).toEqual(["H1 2025-09-01 3", "H2 2025-09-02 1"]);
    expect(businessDay(cst("2025-09-02 04:59"))).toBe("2025-09-01");
    expect(businessDay(cst("2025-09-02 05:00"))).toBe("2025-09-02");
    expect(vs[0].sessionKeys).toEqual(["dev1:1", "dev1:5", "dev1:9"]);
  });

  it("computes every figure of the clinic-day", () => {
    const v = vs[0].values;
    expect(v).toHaveLength(FEATURE_NAMES.length);
    expect(feature(v, "sessions_log")).toBeCloseTo(Math.log(4));
    expect(feature(v, "weekend")).toBe(0);
    // first day of data: no history of its own nor of the county, so no expectation and no surprise
    for (const f of ["sessions_vs_usual", "items_surprise", "high_price_surprise", "expensive_mix_lr", "night_surprise", "undo_surprise", "untrusted_surprise", "max_items_vs_usual", "value_per_session_vs_usual"] as const) {
      expect(feature(v, f)).toBe(0);
    }
    expect(feature(v, "duplicate_hits_log")).toBe(0);
    expect(feature(v, "new_devices")).toBe(0); // first day of data: every device is new, none counted
  });

  it("counts the resold box, the new device and the trailing figures on the next day", () => {
    const v = vs[1].values;
    expect(feature(v, "duplicate_hits_log")).toBeCloseTo(Math.log(2));
    expect(feature(v, "new_devices")).toBe(1);
    // H2's first day: no history of its own yet
    expect(feature(v, "sessions_vs_usual")).toBe(0);
  });

  it("scores doctor-days apart from clinic-days and ignores retransmitted records", () => {
    const again = computeFeatures([...b.rows, ...b.rows.slice(0, 4)], { scope: "doctor-day", priceOf });
    expect(again.map((v) => v.entity)).toEqual(["dr-dev1", "dr-dev2"]);
    expect(again[0].values).toEqual(computeFeatures(b.rows, { scope: "doctor-day", priceOf })[0].values);
  });

  it("judges a day against the clinic's own past days", () => {
    // H1: two quiet weeks of one cheap box a day in daytime, then a night with six sessions
    const c = new RowBuilder();
    let n = 10;
    for (let d = 1; d <= 14; d++) c.session("dev1", cst(`2025-09-${String(d).padStart(2, "0")} 09:00`), [cn20("8300001", n++)], { patient: "p" + d });
    for (let i = 0; i < 6; i++) c.session("dev1", cst(`2025-09-15 23:${String(10 + i * 5)}`), [cn20("8300002", n++), cn20("8300002", n++)]);
    const [mon] = computeFeatures(c.rows, { scope: "clinic-day", priceOf, fromDay: "2025-09-15" });
    expect(mon.day).toBe("2025-09-15");
    expect(feature(mon.values, "night_surprise")).toBeGreaterThan(5); // P(6 or more) is tiny at a rate near 0
    expect(feature(mon.values, "high_price_surprise")).toBeGreaterThan(5);
    expect(feature(mon.values, "items_surprise")).toBeGreaterThan(1.5); // 12 items where 6 were expected: P about 0.02
    expect(feature(mon.values, "sessions_vs_usual")).toBeCloseTo(Math.log(7 / 2));
    expect(feature(mon.values, "prescription_surprise")).toBeGreaterThan(5);
    const [quiet] = computeFeatures(c.rows, { scope: "clinic-day", priceOf, fromDay: "2025-09-14", toDay: "2025-09-14" });
    expect(Math.abs(feature(quiet.values, "night_surprise"))).toBeLessThan(0.5);
    expect(feature(quiet.values, "weekend")).toBe(1); // 2025-09-14 is a Sunday
  });
});

describe("expensive product mix", () => {
  // H1 and H2 dispense three cheap boxes and one box of the expensive 8300002 a day for three weeks;
  // the county also sells a box of the expensive 8300004 now and then, H1 never. On the last day H1
  // hands out three expensive boxes among its six: the usual 8300002, or 8300004 / 8300005
  function county(last: string[]): FraudRow[] {
    const b = new RowBuilder();
    let n = 10;
    for (let d = 1; d <= 21; d++) {
      const day = `2025-09-${String(d).padStart(2, "0")}`;
      for (const dev of ["dev1", "dev2"]) b.session(dev, cst(`${day} 09:00`), [cn20("8300001", n++), cn20("8300003", n++), cn20("8300001", n++), cn20("8300002", n++)], { patient: dev + d });
      if (d % 7 === 0) b.session("dev2", cst(`${day} 11:00`), [cn20("8300004", n++)], { patient: "q" + d });
    }
    b.session("dev1", cst("2025-09-22 09:00"), [cn20("8300001", n++), cn20("8300001", n++), cn20("8300003", n++), ...last.map((p) => cn20(p, n++))], { patient: "p22" });
    return b.rows;
  }
  const day22 = (last: string[]) => computeFeatures(county(last), { scope: "clinic-day", priceOf, fromDay: "2025-09-22" })[0].values;

  it("rises when the day's expensive boxes are products the clinic and the county seldom dispense", () => {
    const usual = day22(["8300002", "8300002", "8300002"]);
    const rare = day22(["8300004", "8300005", "8300004"]);
    // the same count of expensive boxes: the share alone cannot tell the two days apart
    expect(feature(rare, "high_price_surprise")).toBeCloseTo(feature(usual, "high_price_surprise"), 10);
    expect(feature(rare, "expensive_mix_lr")).toBeGreaterThan(2.5); // above what 0.1 % of normal days reach (below)
    expect(feature(rare, "expensive_mix_lr")).toBeGreaterThan(feature(usual, "expensive_mix_lr") + 1.5);
    // one expensive box of the usual product among six is what the clinic does: nothing to explain
    expect(feature(day22(["8300002"]), "expensive_mix_lr")).toBe(0);
    expect(feature(day22([]), "expensive_mix_lr")).toBe(0);
    // without a catalogue no box is known to be expensive
    expect(feature(computeFeatures(county(["8300004", "8300005", "8300004"]), { scope: "clinic-day", fromDay: "2025-09-22" })[0].values, "expensive_mix_lr")).toBe(0);
  });

  it("stays quiet on normal days: on a normal county it rarely passes what 0.1 % of normal days reach", () => {
    // 99.9th percentile on the 48 normal training histories of the evaluation: 1.9
    const h = generateHistory({ seed: 41, clinics: 30, days: 28 });
    const m = new Map(h.catalogue.map((p) => [p.id, { price: p.price }]));
    for (const scope of ["clinic-day", "doctor-day"] as const) {
      const vs = computeFeatures(h.rows, { scope, priceOf: (id) => m.get(id), fromDay: "2025-09-08" });
      const x = vs.map((v) => feature(v.values, "expensive_mix_lr"));
      expect(vs.length).toBeGreaterThan(500);
      expect(x.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      expect(x.filter((v) => v > 2).length / x.length).toBeLessThan(0.004);
      expect(x.filter((v) => v > 4).length).toBe(0);
    }
  });
});

describe("contamination likelihood ratio", () => {
  it("is the best share's log10 likelihood ratio, 0 when the usual process explains the trials", () => {
    expect(contaminationLr([], 5)).toBe(0);
    expect(contaminationLr([0.5, 0.9], 0)).toBe(0);
    expect(contaminationLr([3], 10)).toBe(0); // one hit three times likelier, ten misses: s = 0 fits best
    expect(contaminationLr([100], 0)).toBeCloseTo(2, 10); // nothing but the hit: s = 1
    // against a grid over s
    const ratios = [20, 5, 0.5, 40];
    const misses = 6;
    let best = 0;
    for (let s = 0; s < 1; s += 1e-5) best = Math.max(best, ratios.reduce((x, a) => x + Math.log(1 - s + s * a), misses * Math.log(1 - s)));
    expect(contaminationLr(ratios, misses)).toBeCloseTo(best / Math.LN10, 6);
    // more rare hits, or fewer misses, weigh more
    expect(contaminationLr([20, 20, 20], 6)).toBeGreaterThan(contaminationLr([20, 20], 6));
    expect(contaminationLr([20, 20], 2)).toBeGreaterThan(contaminationLr([20, 20], 6));
  });

  it("is capped and never crashes on bad input", () => {
    expect(contaminationLr(new Array(500).fill(1e6), 0)).toBe(50);
    for (const [r, m] of [[[NaN, 5], 1], [[Infinity], 2], [[-3, 4], NaN], [[0, 0], 0], [[7], -1]] as [number[], number][]) {
      const x = contaminationLr(r, m);
      expect(Number.isFinite(x) && x >= 0).toBe(true);
    }
  });
});

describe("poisson surprise", () => {
  it("is 0 at the mean, grows with the tail and keeps its sign", () => {
    expect(poissonSurprise(2, 2)).toBe(0);
    expect(poissonSurprise(1, 0.03)).toBeCloseTo(-Math.log10(1 - Math.exp(-0.03)), 6);
    expect(poissonSurprise(8, 0.05)).toBeGreaterThan(10);
    expect(poissonSurprise(0, 10)).toBeCloseTo(Math.log10(Math.exp(-10)), 6);
    expect(poissonSurprise(10_000, 1)).toBe(50);
    expect(Number.isFinite(poissonSurprise(3, Infinity))).toBe(true);
  });
});

describe("beta-binomial surprise", () => {
  const binomialTail = (k: number, n: number, p: number) => {
    let s = 0;
    for (let i = k; i <= n; i++) s += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1)) * p ** i * (1 - p) ** (n - i);
    return s;
  };

  it("is the binomial tail when the rate is well known, and gentler when it rests on few trials", () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    // 4 expensive of 7 boxes at a rate of 5 %
    expect(betaBinomialSurprise(4, 7, 5e5, 95e5)).toBeCloseTo(-Math.log10(binomialTail(4, 7, 0.05)), 3);
    expect(betaBinomialSurprise(4, 7, 1, 19)).toBeLessThan(betaBinomialSurprise(4, 7, 50, 950));
    // Beta(1, 1): every count of 0..n equally likely
    expect(betaBinomialSurprise(0, 10, 1, 1)).toBeCloseTo(Math.log10(1 / 11), 10);
    expect(betaBinomialSurprise(10, 10, 1, 1)).toBeCloseTo(-Math.log10(1 / 11), 10);
  });

  it("judges a small day's share as the few draws it is", () => {
    // the same share of 50 %: 1 of 2 boxes is ordinary enough, 20 of 40 is not
    expect(betaBinomialSurprise(1, 2, 50, 950)).toBeLessThan(1.5);
    expect(betaBinomialSurprise(20, 40, 50, 950)).toBeGreaterThan(12);
  });

  it("is 0 at the mean and without trials, signed below, capped, and never crashes on bad input", () => {
    expect(betaBinomialSurprise(1, 20, 5, 95)).toBe(0);
    expect(betaBinomialSurprise(0, 0, 5, 95)).toBe(0);
    expect(betaBinomialSurprise(0, 100, 50, 50)).toBeLessThan(-10);
    expect(betaBinomialSurprise(5000, 5000, 1, 1000)).toBe(50);
    for (const [k, n, a, b] of [[3, 2, 1, 1], [-1, 5, 1, 1], [1, 5, 0, 1], [1, 5, NaN, 1], [1, 5, 1, Infinity], [NaN, 5, 1, 1]]) {
      expect(Number.isFinite(betaBinomialSurprise(k, n, a, b))).toBe(true);
    }
  });

  it("does not fire on normal days: on a normal county the expensive-box share goes past p = 0.001 about as rarely as it should", () => {
    const h = generateHistory({ seed: 41, clinics: 30, days: 28 });
    const m = new Map(h.catalogue.map((p) => [p.id, { price: p.price }]));
    const vs = computeFeatures(h.rows, { scope: "clinic-day", priceOf: (id) => m.get(id), fromDay: "2025-09-08" });
    const hp = vs.map((v) => feature(v.values, "high_price_surprise"));
    expect(vs.length).toBeGreaterThan(500);
    // a calibrated -log10 p: at most 0.1 % of normal days above 3, with room for sampling noise
    expect(hp.filter((x) => x > 3).length / hp.length).toBeLessThan(0.003);
    expect(hp.filter((x) => x > 5).length).toBe(0);
  });

  it("does not drift with the age of the history: a county's later weeks stay within its first weeks' range of new patients", () => {
    // a patient lookback of 28 days is not full in a county's first weeks, so their new-patient share
    // was high and the later weeks' looked odd against it (11 % of days 29-56 above days 8-28's 99th percentile)
    const h = generateHistory({ seed: 42, clinics: 30, days: 56 });
    for (const scope of ["clinic-day", "doctor-day"] as const) {
      const vs = computeFeatures(h.rows, { scope, fromDay: "2025-09-08" });
      const early = vs.filter((v) => v.day < "2025-09-29").map((v) => feature(v.values, "new_patient_surprise"));
      const later = vs.filter((v) => v.day >= "2025-09-29").map((v) => feature(v.values, "new_patient_surprise"));
      expect(later.length).toBeGreaterThan(700);
      const q99 = early.slice().sort((a, b) => a - b)[Math.floor(0.99 * early.length)];
      expect(later.filter((x) => x > q99).length / later.length).toBeLessThan(0.025);
      // and the day close, which reads 28 days of records, sees the figure a full history gives
      const lastDay = "2025-10-26";
      const full = computeFeatures(h.rows, { scope, fromDay: lastDay });
      const start = Date.parse("2025-09-28T05:00:00+08:00") / 1000;
      const window = computeFeatures(h.rows.filter((r) => r.correctedTime >= start), { scope, fromDay: lastDay });
      expect(window.length).toBe(full.length);
      window.forEach((v, i) => expect(feature(v.values, "new_patient_surprise")).toBeCloseTo(feature(full[i].values, "new_patient_surprise"), 6));
    }
  });
});

describe("normaliser", () => {
  it("standardises on training statistics, floors the spread and clips", () => {
    const n = fitNormaliser([[0, 5], [2, 5], [4, 5]], 10);
    expect(n.mean).toEqual([2, 5]);
    expect(normalise(n, [2 + Math.sqrt(8 / 3), 5])[0]).toBeCloseTo(1);
    expect(normalise(n, [2, 6])[1]).toBe(10); // spread 0 floored to 0.05 (z 20), then clipped
    expect(normalise(n, [NaN, 5])).toEqual([0, 0]);
    expect(() => normalise(n, [1])).toThrow(/features/);
  });
});
