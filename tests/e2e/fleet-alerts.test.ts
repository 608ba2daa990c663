// Fraud injected by a scenario comes back as the gateway's alerts after a fleet run: the boards
// run on the scenario's clock (the gateway gives them its virtual time), the run closes each
// business day as the gateway does after 05:00, and the report matches alerts to injections.
import { join } from "node:path";
import { loadScenarioFile, planScenario } from "../../simulator/src/scenario/index";
import { relabelDevices } from "../../simulator/src/fleet/plan-tools";
import { planBusinessDays, runOnCounty } from "../../simulator/src/fleet/run-on-county";
import { countyOnTestBroker, runPrefix, uploadFiles } from "./helpers";

jest.setTimeout(180_000);

test("business days of a plan turn at 05:00 China time", () => {
  // 2026-03-01T16:00Z is 2026-03-02 00:00 CST: still the business day of 2026-03-01
  expect(planBusinessDays({ startMs: Date.parse("2026-03-01T16:00:00Z"), endMs: Date.parse("2026-03-03T16:00:00Z") })).toEqual(["2026-03-01", "2026-03-02", "2026-03-03"]);
  expect(planBusinessDays({ startMs: Date.parse("2026-03-01T22:00:00Z"), endMs: Date.parse("2026-03-02T20:00:00Z") })).toEqual(["2026-03-02"]);
});

test("small scenario: the night phantom and the two-clinic sale are raised; records carry the scenario's dates", async () => {
  const v = loadScenarioFile(join(__dirname, "../../simulator/scenarios/small.json"));
  if (!v.ok) throw new Error(v.errors.join("; "));
  const plan = relabelDevices(planScenario(v.scenario, 7), runPrefix("fa"));
  const county = await countyOnTestBroker(7);
  try {
    const { report } = await runOnCounty(plan, county, await uploadFiles(), 7);
    expect(report.failures).toEqual([]);
    const row = (name: string) => report.alerts.find((a) => a.name === name)!;
    expect(row("night-phantom")).toMatchObject({ expected: 1, reachable: 1, raised: 1 });
    expect(row("two-clinic-sale").raised).toBe(row("two-clinic-sale").reachable);
    expect(row("two-clinic-sale").raised).toBeGreaterThan(0);
    // a replay is either refused by the board that still remembers the sale, or raised
    const replay = row("replay-device");
    expect(replay.stoppedOnBoard + replay.raised).toBe(replay.expected);
    // every record with a known time lies inside the simulated days, none on the machine's date
    // (a boot that a power cut ended before any time sync keeps only its uptime)
    const stored = county.gateway.store.records.query({ limit: 100_000 });
    const times = stored.filter((r) => r.timeTrusted).map((r) => r.fixedTime);
    expect(times.length).toBeGreaterThan(0.9 * stored.length);
    for (const t of times) {
      expect(t * 1000).toBeGreaterThanOrEqual(plan.startMs - 86_400_000);
      expect(t * 1000).toBeLessThanOrEqual(plan.endMs + 86_400_000);
    }
  } finally {
    await county.stop();
  }
});
