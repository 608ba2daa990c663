import { join } from "node:path";
import { classifyScan, parseCode } from "../../../protocol/src/code";
import { EV_CLOSE, EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import { loadScenarioFile, mergedTimeline, planScenario, type Scenario, type ScenarioPlan } from "../../../simulator/src/scenario";
import { interpretScan } from "../../../firmware/src/scanner/scan-input";
import { CARD_PREFIXES } from "../../../simulator/src/scenario/cards";

const DIR = join(__dirname, "../../../simulator/scenarios");
function scenario(name: string): Scenario {
  const v = loadScenarioFile(join(DIR, name + ".json"));
  if (!v.ok) throw new Error(v.errors.join("\n"));
  return v.scenario;
}
const localHour = (t: number) => new Date(t + 8 * 3600_000).getUTCHours() + new Date(t + 8 * 3600_000).getUTCMinutes() / 60;

describe("scenario plan", () => {
  const small = scenario("small");
  const ci = scenario("ci");
  let plan: ScenarioPlan;
  let ciPlan: ScenarioPlan;
  beforeAll(() => {
    plan = planScenario(small);
    ciPlan = planScenario(ci);
  });

  it("is the same for the same seed and differs for another", () => {
    expect(JSON.stringify(planScenario(small))).toBe(JSON.stringify(plan));
    const other = planScenario(small, 99);
    expect(other.seed).toBe(99);
    expect(JSON.stringify(other.boards)).not.toBe(JSON.stringify(plan.boards));
    expect(JSON.stringify(planScenario(small, 99))).toBe(JSON.stringify(other));
  });

  it("provisions every board with a unique id and a 64-hex secret", () => {
    expect(plan.boards.map((b) => b.device)).toEqual(["shangba-e1", "shangba-p1", "xiahe-e1", "nanshan-e1"]);
    for (const b of ciPlan.boards) {
      expect(b.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(b.device).toMatch(/^[a-z0-9]+-[pe][0-9]+$/);
    }
    expect(new Set(ciPlan.boards.map((b) => b.secret)).size).toBe(ciPlan.boards.length);
  });

  it("orders each board's events in time, inside the simulated days", () => {
    for (const p of [plan, ciPlan]) {
      for (const b of p.boards) {
        for (let i = 1; i < b.events.length; i++) expect(b.events[i].t).toBeGreaterThanOrEqual(b.events[i - 1].t);
        for (const e of b.events) expect(e.t >= p.startMs && e.t <= p.endMs).toBe(true);
      }
      const merged = mergedTimeline(p);
      expect(merged).toHaveLength(p.boards.reduce((n, b) => n + b.events.length, 0));
      for (let i = 1; i < merged.length; i++) expect(merged[i].t).toBeGreaterThanOrEqual(merged[i - 1].t);
    }
  });

  it("sends reads that the protocol parser classifies as the plan says", () => {
    for (const p of [plan, ciPlan]) {
      const byTime = new Map<string, string>();
      for (const r of p.truth.records) if (r.event === EV_DISPENSE || r.event === EV_SPLIT) byTime.set(r.device + "@" + r.t, r.code!);
      for (const b of p.boards) {
        for (const e of b.events) {
          if (e.type !== "scan") continue;
          expect(e.raw.endsWith(b.readerSuffix)).toBe(true);
          const c = classifyScan(e.raw);
          if (e.what === "box") {
            expect(c.type).toBe("code");
            if (c.type === "code") expect(c.code.key).toBe(byTime.get(b.device + "@" + e.t));
          } else if (e.what === "voucher" || e.what === "rx") {
            expect(c.type).toBe(e.what);
          } else if (e.what === "retail-misscan") {
            expect(c).toMatchObject({ type: "reject", reason: "retail-ean13" });
          } else {
            expect(CARD_PREFIXES.some((p) => e.raw.startsWith(p))).toBe(true);
            expect(c.type).toBe("reject");
          }
        }
      }
    }
  });

  it("writes cards the firmware reads as the records the plan expects", () => {
    for (const b of ciPlan.boards) {
      const recordAt = new Map(ciPlan.truth.records.filter((r) => r.device === b.device).map((r) => [r.t, r]));
      const events = b.events;
      events.forEach((e, i) => {
        if (e.type !== "scan") return;
        const read = interpretScan(e.raw.replace(/[\r\n]+$/, ""), classifyScan);
        if (e.what === "split-card") {
          const boxRead = events[i + 1];
          const rec = recordAt.get(boxRead.t)!;
          expect(rec.event).toBe(EV_SPLIT);
          expect(read).toEqual({ type: "split", units: rec.units, perPack: rec.perPack });
          expect(boxRead.t - e.t).toBeLessThan(30_000);
        } else if (e.what === "nocode-card") {
          const rec = recordAt.get(e.t)!;
          expect(read).toEqual({ type: "nocode", catalogue: rec.code, units: rec.units });
        } else if (e.what === "undo-card") {
          expect(read).toEqual({ type: "undo" });
          expect(recordAt.get(e.t)!.event).toBe(EV_UNDO);
        }
      });
    }
  });

  it("closes every session, by button or by the board's idle timeout", () => {
    const opens = plan.truth.records.filter((r) => r.event === EV_OPEN);
    const closes = plan.truth.records.filter((r) => r.event === EV_CLOSE);
    expect(closes).toHaveLength(opens.length);
    expect(new Set(closes.map((r) => r.closedBy))).toEqual(new Set(["button", "timeout"]));
  });

  it("uses 20-digit codes in plain and spaced forms and GS1 strings with ]d2 and GS", () => {
    const raws = ciPlan.boards.flatMap((b) => b.events).filter((e) => e.type === "scan" && e.what === "box").map((e) => (e as { raw: string }).raw.trim());
    expect(raws.some((r) => /^8\d{19}$/.test(r))).toBe(true);
    expect(raws.some((r) => /^8\d{6} \d{13}$/.test(r))).toBe(true);
    expect(raws.some((r) => r.startsWith("]d201") && r.includes("\x1d"))).toBe(true);
    for (const r of raws.filter((x) => x.startsWith("]d2"))) expect(parseCode(r).ok).toBe(true);
  });

  it("sells each box once outside injected fraud, and never splits a box beyond its units", () => {
    for (const p of [plan, ciPlan]) {
      const undone = new Set(p.truth.records.filter((r) => r.event === EV_UNDO).map((r) => r.undoes));
      const whole = new Map<string, number>();
      const splitUnits = new Map<string, { used: number; pack: number }>();
      for (const r of p.truth.records) {
        if (r.fraud || undone.has(r.id)) continue;
        if (r.event === EV_DISPENSE) whole.set(r.code!, (whole.get(r.code!) ?? 0) + 1);
        if (r.event === EV_SPLIT) {
          const s = splitUnits.get(r.code!) ?? { used: 0, pack: r.perPack! };
          s.used += r.units!;
          splitUnits.set(r.code!, s);
        }
      }
      for (const n of whole.values()) expect(n).toBe(1);
      for (const code of splitUnits.keys()) expect(whole.has(code)).toBe(false);
      for (const s of splitUnits.values()) expect(s.used).toBeLessThanOrEqual(s.pack);
      expect(splitUnits.size).toBeGreaterThan(0);
    }
  });

  it("opens every session first and ties its records to it; undo names an earlier record", () => {
    const byId = new Map(plan.truth.records.map((r) => [r.id, r]));
    for (const r of plan.truth.records) {
      const open = byId.get(r.session!)!;
      expect(open.event).toBe(EV_OPEN);
      expect(open.device).toBe(r.device);
      expect(open.t).toBeLessThanOrEqual(r.t);
      if (r.event === EV_UNDO) {
        const target = byId.get(r.undoes!)!;
        expect([EV_DISPENSE, EV_SPLIT, EV_NOCODE]).toContain(target.event);
        expect(target.t).toBeLessThan(r.t);
      }
    }
    const kinds = new Set<number>(ciPlan.truth.records.map((r) => r.event));
    for (const ev of [EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_NOCODE, EV_CLOSE]) expect(kinds.has(ev)).toBe(true);
  });

  it("never scans while a board is off, and alternates power and link states", () => {
    for (const p of [plan, ciPlan]) {
      for (const b of p.boards) {
        let on = true;
        let link = false;
        for (const e of b.events) {
          if (e.type === "power") {
            expect(e.on).toBe(!on);
            on = e.on;
          } else if (e.type === "link") {
            expect(e.up).toBe(!link);
            link = e.up;
          } else {
            expect(on).toBe(true);
          }
        }
      }
    }
    expect(plan.summary.powerCuts).toBeGreaterThan(0);
    // shangba's fixed cut at 10:17 on day 0 is on both of its boards.
    const cut = plan.startMs + (10 * 60 + 17) * 60_000;
    for (const d of ["shangba-e1", "shangba-p1"]) expect(plan.boards.find((b) => b.device === d)!.events).toContainEqual({ t: cut, type: "power", on: false });
  });

  it("follows the link windows and outages of each clinic", () => {
    const ups = (d: string) => plan.boards.find((b) => b.device === d)!.events.filter((e) => e.type === "link" && e.up).map((e) => localHour(e.t));
    expect(ups("shangba-e1")).toEqual([20, 20]);
    expect(ups("xiahe-e1")).toEqual([12, 20]); // day 1 is an outage
    expect(ups("nanshan-e1")).toEqual([0]);
  });

  it("injects every fraud pattern into the plan and the ground truth", () => {
    const { records, alerts } = plan.truth;
    const patterns = new Set(alerts.map((a) => a.fraud));
    expect([...patterns].sort()).toEqual(["bulk-doctor", "night-phantom", "replay-device", "two-clinic-sale"]);

    const resale = alerts.find((a) => a.fraud === "two-clinic-sale")!;
    const sales = records.filter((r) => r.code === resale.codes[0] && r.event === EV_DISPENSE);
    expect(sales).toHaveLength(2);
    expect(sales[0].device.split("-")[0]).not.toBe(sales[1].device.split("-")[0]);
    expect(sales[1].fraud).toBe("two-clinic-sale");
    expect(sales[1].t).toBeGreaterThan(sales[0].t);
    expect(resale.kinds).toEqual(["duplicate-sale"]);

    const night = records.filter((r) => r.fraud === "night-phantom");
    expect(night.length).toBeGreaterThan(0);
    for (const r of night) expect(localHour(r.t) >= 0.5 && localHour(r.t) < 5).toBe(true);

    const bulk = records.filter((r) => r.fraud === "bulk-doctor" && r.event === EV_DISPENSE);
    expect(bulk).toHaveLength(12 * 5);
    expect(new Set(bulk.map((r) => r.device))).toEqual(new Set(["nanshan-e1"]));

    const replays = alerts.filter((a) => a.fraud === "replay-device");
    expect(replays).toHaveLength(2);
    for (const a of replays) expect(a.onlyIfAccepted).toBe(true);
    expect(records.filter((r) => r.fraud === "replay-device" && r.event === EV_DISPENSE).every((r) => r.outcome === "accepted-or-refused")).toBe(true);
    const board = plan.boards.find((b) => b.device === replays[0].devices[0])!;
    for (const a of replays) {
      const reads = board.events.filter((e) => e.type === "scan" && e.what === "box" && classifyScan(e.raw).type === "code" && (classifyScan(e.raw) as { code: { key: string } }).code.key === a.codes[0]);
      expect(reads).toHaveLength(2);
      expect((reads[0] as { raw: string }).raw).toBe((reads[1] as { raw: string }).raw); // the same read fed back
      expect(reads[1].t - reads[0].t).toBeGreaterThan(3_600_000);
    }
  });

  it("lists the retail misscans as reads to reject", () => {
    expect(ciPlan.truth.rejections.length).toBeGreaterThan(0);
    for (const r of ciPlan.truth.rejections) expect(r.raw).toMatch(/^69\d{11}$/);
  });
});

describe("county scenario", () => {
  it("plans a county of about 300 clinics and 500+ boards over 7 days", () => {
    const county = scenario("county");
    const p = planScenario(county);
    expect(p.summary.clinics).toBe(300);
    expect(p.summary.boards).toBeGreaterThanOrEqual(500);
    expect(p.endMs - p.startMs).toBe(7 * 86_400_000);
    expect(p.summary.sessions).toBeGreaterThan(10_000);
    expect(new Set(p.truth.alerts.map((a) => a.fraud)).size).toBe(4);
    expect(p.boards.filter((b) => b.kind === "pico").length).toBeGreaterThan(100);
  });
});
