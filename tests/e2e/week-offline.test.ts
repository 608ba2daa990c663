// Firmware acceptance: a week offline, then one link window, delivers every record exactly
// once. Two ESP32 clinics run the fleet runner for eight days; the link exists only on the
// last evening; the platform must then hold each accepted sale once.
import { planScenario, type Scenario } from "../../simulator/src/scenario/index";
import { runFleet } from "../../simulator/src/fleet/fleet";
import { relabelDevices } from "../../simulator/src/fleet/plan-tools";
import { buildReport } from "../../simulator/src/fleet/report";
import { countyOnTestBroker, runPrefix, uploadFiles } from "./helpers";

jest.setTimeout(240_000);

const drug = (catalogue: string, name: string, cn20Prefix: string, splittable: boolean) => ({ catalogue, name, cn20Prefix, price: 5, packUnits: 20, splittable, noCode: false });

const scenario: Scenario = {
  name: "week-offline",
  startDate: "2026-03-02",
  days: 8,
  clinics: [
    { id: "w1", institution: "H51012200101", village: "Upper", boards: [{ kind: "esp32" }], doctors: ["Dr A"], patients: 80 },
    { id: "w2", institution: "H51012200102", village: "Lower", boards: [{ kind: "esp32" }], doctors: ["Dr B"], patients: 80 },
  ],
  catalogue: [drug("XJ01CAA040A001010100001", "Amoxicillin", "8385793", true), drug("XN02BEA011A001010100002", "Paracetamol", "8131027", false)],
  dispensing: {
    sessionsPerDay: { kind: "poisson", mean: 6 },
    boxesPerSession: { kind: "uniform", min: 1, max: 3 },
    openingHours: ["08:00-12:00"],
    splitShare: 0.2,
    noCodeShare: 0,
    undoShare: 0.05,
    voucherShare: 0,
    buttonCloseShare: 0.8,
    retailMisscanShare: 0.05,
    awayShare: 0,
  },
  // Only the eighth evening has a link.
  link: { daily: ["20:00-21:00"], outages: [{ fromDay: 0, days: 7 }] },
  power: { cutsPerDay: 0.5, cutSeconds: { kind: "uniform", min: 5, max: 120 } },
};

test("eight days with a link only on the last evening: every accepted record delivered exactly once", async () => {
  const plan = relabelDevices(planScenario(scenario, 11), runPrefix("wk"));
  expect(plan.boards.every((b) => b.events.filter((e) => e.type === "link" && e.up).length === 1)).toBe(true);
  const county = await countyOnTestBroker(11);
  try {
    const fleet = await runFleet({ plan, uploads: await uploadFiles(), gateway: county.view, seed: 11, netStepMs: 5000 });
    const report = buildReport(plan, fleet, { sales: county.sales(), redeliveries: county.platform.stats().duplicates }, []);
    expect(report.failures).toEqual([]);
    expect(report.audit).toMatchObject({ passed: true, missing: 0, duplicated: 0, phantom: 0, mismatched: 0 });
    expect(report.delivered).toBeGreaterThan(50);
    // The backlog went in the one window (or the end-of-run collection), not before.
    expect(report.unfinishedSyncs).toBe(0);
    for (const b of fleet.boards) expect(b.gatewayAcked).toBe(b.truth.records[b.truth.records.length - 1].seq);
  } finally {
    await county.stop();
  }
});
