// A Pico has no network: in its planned link windows the doctor plugs it into the clinic PC
// and it syncs through the gateway's USB serial bridge (the session the real bridge runs on a
// port). Its records must reach the platform exactly once, like the ESP32's over MQTT.
import { join } from "node:path";
import { loadScenarioFile, planScenario } from "../../simulator/src/scenario/index";
import { limitBoards, relabelDevices } from "../../simulator/src/fleet/plan-tools";
import { runOnCounty } from "../../simulator/src/fleet/run-on-county";
import { countyOnTestBroker, expectCleanRun, runPrefix, uploadFiles } from "./helpers";

jest.setTimeout(120_000);

test("a Pico syncs over the USB bridge in its link windows: every accepted record at the platform once", async () => {
  const v = loadScenarioFile(join(__dirname, "../../simulator/scenarios/small.json"));
  if (!v.ok) throw new Error(v.errors.join("; "));
  // The first clinic: one ESP32 and one Pico sharing its link windows.
  const plan = relabelDevices(limitBoards(planScenario(v.scenario, 7), 2), runPrefix("usb"));
  const pico = plan.boards.find((b) => b.kind === "pico");
  if (!pico) throw new Error("the small scenario's first clinic has no Pico");
  const windows = pico.events.filter((e) => e.type === "link" && e.up).length;
  expect(windows).toBeGreaterThan(0);

  const files = await uploadFiles();
  const county = await countyOnTestBroker(7);
  try {
    const { fleet, report } = await runOnCounty(plan, county, files, 7, { netStepMs: 5000 });
    expectCleanRun(fleet, report);
    expect(report.heldOnBoards).toBe(0);

    const picoResult = fleet.boards.find((b) => b.device === pico.device)!;
    expect(picoResult.linked).toBe(true);
    // The audit above holds the Pico's records too; they are not an empty set.
    expect(county.sales().filter((s) => s.device === pico.device).length).toBeGreaterThan(0);
    expect(picoResult.gatewayAcked).toBeGreaterThanOrEqual(picoResult.truth.records[picoResult.truth.records.length - 1].seq);
    // Synced during the plan's windows, not only in the final collection (which adds at most one).
    expect(fleet.syncs.filter((s) => s.device === pico.device).length).toBeGreaterThanOrEqual(2);
    expect(picoResult.uncaughtErrors).toBe(0);
  } finally {
    await county.stop();
  }
});
