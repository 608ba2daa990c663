// The county scenario in CI at a smaller size: its first boards plus every board an injected
// fraud pattern involves, for its first two days, end to end through the real gateway. The
// full size (525 boards, seven days) runs with `npm run sim -- --scenario simulator/scenarios/county.json`.
import { join } from "node:path";
import { loadScenarioFile, planScenario } from "../../simulator/src/scenario/index";
import { limitBoards, relabelDevices } from "../../simulator/src/fleet/plan-tools";
import { runOnCounty } from "../../simulator/src/fleet/run-on-county";
import { countyOnTestBroker, expectCleanRun, runPrefix, uploadFiles } from "./helpers";

jest.setTimeout(300_000);

test("county scenario, 2 days, first 12 boards + the fraud boards: audit passes and reachable injections are raised", async () => {
  const v = loadScenarioFile(join(__dirname, "../../simulator/scenarios/county.json"));
  if (!v.ok) throw new Error(v.errors.join("; "));
  const scenario = { ...v.scenario, days: 2 };
  const plan = relabelDevices(limitBoards(planScenario(scenario, scenario.seed), 12, { withFraud: true }), runPrefix("cy"));
  expect(plan.truth.alerts.length).toBeGreaterThan(0);
  const county = await countyOnTestBroker(scenario.seed);
  try {
    const { fleet, report } = await runOnCounty(plan, county, await uploadFiles(), scenario.seed ?? 1);
    expectCleanRun(fleet, report);
    expect(report.delivered).toBeGreaterThan(100);
    expect(report.uncaughtErrors).toBe(0);
    // the rules' patterns: every injection that could reach the gateway is raised
    for (const row of report.alerts.filter((a) => a.kinds.some((k) => k === "odd-hours" || k === "duplicate-sale"))) {
      expect({ name: row.name, raised: row.raised }).toEqual({ name: row.name, raised: row.reachable });
    }
  } finally {
    await county.stop();
  }
});
