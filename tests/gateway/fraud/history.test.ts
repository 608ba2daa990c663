import { EV_OPEN } from "../../../protocol/src/record";
import { parseCode } from "../../../protocol/src/code";
import { generateHistory, FRAUD_PATTERNS } from "../../../simulator/src/history";
import { businessDay } from "../../../gateway/src/fraud/features";
import { localWeekday } from "../../../gateway/src/fraud/time";

describe("labelled county history", () => {
  const all = Object.fromEntries(FRAUD_PATTERNS.map((p) => [p, 2]));
  const h = generateHistory({ seed: 3, clinics: 12, days: 28, fraud: all });

  it("is the same for the same seed and differs for another", () => {
    const again = generateHistory({ seed: 3, clinics: 12, days: 28, fraud: all });
    expect(again.rows).toEqual(h.rows);
    expect(again.labels).toEqual(h.labels);
    expect(generateHistory({ seed: 4, clinics: 12, days: 28 }).rows.length).not.toBe(h.rows.length);
  });

  it("labels every pattern with records that exist", () => {
    const keys = new Set(h.rows.map((r) => r.device + ":" + r.seq));
    expect(new Set(h.labels.map((l) => l.pattern))).toEqual(new Set(FRAUD_PATTERNS));
    for (const l of h.labels) {
      expect(l.records.length).toBeGreaterThan(0);
      for (const k of l.records) expect(keys.has(k)).toBe(true);
      expect(l.clinicDays.length).toBeGreaterThan(0);
    }
  });

  it("keeps per-device sequence numbers gapless and in store order", () => {
    const last = new Map<string, number>();
    for (const r of h.rows) {
      expect(r.seq).toBe((last.get(r.device) ?? 0) + 1);
      last.set(r.device, r.seq);
    }
  });

  it("writes codes the protocol parser accepts", () => {
    const coded = h.rows.filter((r) => r.code && !r.code.startsWith("XN")).slice(0, 500);
    for (const r of coded) {
      const res = parseCode(r.code as string);
      expect(res.ok).toBe(true);
    }
  });

  it("has quieter weekends and clinics of very different sizes", () => {
    const normal = generateHistory({ seed: 5, clinics: 20, days: 28 });
    const opens = normal.rows.filter((r) => r.event === EV_OPEN);
    let weekday = 0, weekend = 0;
    const perClinic = new Map<string, number>();
    for (const r of opens) {
      const wd = localWeekday(r.correctedTime);
      if (wd === 0 || wd === 6) weekend++;
      else weekday++;
      perClinic.set(r.institution, (perClinic.get(r.institution) ?? 0) + 1);
    }
    expect(weekend / 8).toBeLessThan((weekday / 20) * 0.8);
    const sizes = [...perClinic.values()].sort((a, b) => a - b);
    expect(sizes[sizes.length - 1] / sizes[0]).toBeGreaterThan(3);
    expect(new Set(opens.map((r) => businessDay(r.correctedTime))).size).toBe(28);
  });

  it("keeps both sales of every double sale when a high-price day falls on the same clinic-day", () => {
    // three clinics and many instances, so skewed days land on the days of resold boxes
    for (const seed of [11, 12, 13]) {
      const crowded = generateHistory({ seed, clinics: 3, days: 14, warmupDays: 3, fraud: { "double-sale": 6, "high-price-skew": 8 } });
      const byKey = new Map(crowded.rows.map((r) => [r.device + ":" + r.seq, r]));
      const sales = new Map<string, number>();
      for (const r of crowded.rows) if (r.code && !r.code.startsWith("XN")) sales.set(r.code, (sales.get(r.code) ?? 0) + 1);
      for (const l of crowded.labels.filter((x) => x.pattern === "double-sale")) {
        for (const k of l.records) expect(sales.get(byKey.get(k)?.code as string)).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it("refuses nonsense options", () => {
    expect(() => generateHistory({ seed: 1, days: 0 })).toThrow(/days/);
    expect(() => generateHistory({ seed: 1, clinics: 1 })).toThrow(/clinics/);
    expect(() => generateHistory({ seed: 1, startDay: "1.9.2025" })).toThrow(/startDay/);
  });
});
