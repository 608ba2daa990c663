// The CI scenario end to end: every board runs the build's upload file in the emulator, talks
// real MQTT to the real gateway, the gateway relays to the platform emulator, and the audit
// holds: every record a board signalled as accepted is at the platform exactly once.
import { join } from "node:path";
import { loadScenarioFile, planScenario } from "../../simulator/src/scenario/index";
import { limitBoards, relabelDevices } from "../../simulator/src/fleet/plan-tools";
import { runOnCounty } from "../../simulator/src/fleet/run-on-county";
import { countyOnTestBroker, expectCleanRun, runPrefix, uploadFiles } from "./helpers";

jest.setTimeout(240_000);

test("ci scenario: 0 lost, 0 duplicated, 0 phantom, every accepted sale delivered", async () => {
  const v = loadScenarioFile(join(__dirname, "../../simulator/scenarios/ci.json"));
  if (!v.ok) throw new Error(v.errors.join("; "));
  // Eight boards (four clinics, each a Pico and an ESP32) keep the suite near half a minute.
  const plan = relabelDevices(limitBoards(planScenario(v.scenario, 7), 8), runPrefix("ci"));
  const files = await uploadFiles();
  const county = await countyOnTestBroker(7);
  try {
    const { fleet, report } = await runOnCounty(plan, county, files, 7, { netStepMs: 5000 });
    expectCleanRun(fleet, report);
    // Not an empty run: the boards' sales reached the platform, the Picos' through the USB bridge.
    expect(report.delivered).toBeGreaterThan(20);
    expect(report.delivered).toBe(report.audit.expected);
    expect(report.heldOnBoards).toBe(0);
    expect(report.unexplainedSignals).toBe(0);
    expect(report.uncaughtErrors).toBe(0);
    // Every board took reads and signalled records.
    for (const b of fleet.boards) expect(b.truth.records.length).toBeGreaterThan(0);
  } finally {
    await county.stop();
  }
});
