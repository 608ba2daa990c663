// The learned fraud model in a simulated county: the gateway loads the models trained on the
// small scenario's normal days (simulator/src/history/fraud-model, `npm run sim -- train-fraud-model`)
// and the scenario's price catalogue; after a fleet run with the scenario's injected bulk-doctor
// day, the day close raises an anomaly alert for that board's doctor-day, and the report matches
// it to the injection by device and business day.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { businessDay } from "../../gateway/src/fraud/features";
import { COMMITTED_FRAUD_MODEL_DIR, writeScenarioCatalogue } from "../../simulator/src/history";
import { relabelDevices } from "../../simulator/src/fleet/plan-tools";
import { runOnCounty } from "../../simulator/src/fleet/run-on-county";
import { startCounty } from "../../simulator/src/fleet/county";
import { loadScenarioFile, planScenario } from "../../simulator/src/scenario/index";
import { brokerUrl, runPrefix, uploadFiles } from "./helpers";

jest.setTimeout(120_000);

test("small scenario with the trained model: the injected bulk-doctor day raises an anomaly alert for its board", async () => {
  const v = loadScenarioFile(join(__dirname, "../../simulator/scenarios/small.json"));
  if (!v.ok) throw new Error(v.errors.join("; "));
  // the bulk-doctor injection only: the test is about the anomaly, and fewer sessions run faster
  const scenario = { ...v.scenario, fraud: (v.scenario.fraud ?? []).filter((f) => f.kind === "bulk-doctor") };
  expect(scenario.fraud).toHaveLength(1);
  const plan = relabelDevices(planScenario(scenario, 7), runPrefix("an"));
  const injected = plan.truth.alerts.find((a) => a.fraud === "bulk-doctor")!;
  expect(injected.devices).toHaveLength(1);
  const tmp = mkdtempSync(join(tmpdir(), "vt-anomaly-"));
  const catalogueFile = join(tmp, "catalogue.json");
  expect(writeScenarioCatalogue(scenario, catalogueFile)).toBe(scenario.catalogue.length);
  const county = await startCounty({ brokerUrl: brokerUrl(), seed: 7, fraudModelDir: COMMITTED_FRAUD_MODEL_DIR, catalogueFile });
  try {
    expect(county.gateway.fraud.modelScopes.sort()).toEqual(["clinic-day", "doctor-day"]);
    const { report } = await runOnCounty(plan, county, await uploadFiles(), 7);
    expect(report.failures).toEqual([]);
    const anomalies = county.gateway.store.alerts.list({ limit: 1000 }).filter((a) => a.kind === "anomaly");
    const day = businessDay(Math.floor(injected.t / 1000));
    const board = plan.boards.find((b) => b.device === injected.devices[0])!;
    const doctorDay = anomalies.find((a) => a.evidence.scope === "doctor-day" && a.evidence.entity === board.operator && a.evidence.day === day);
    expect(doctorDay).toBeDefined();
    // the records it names are the board's, and it says why (the features that weigh most)
    expect((doctorDay!.evidence.records as string[]).every((k) => k.startsWith(board.device + ":"))).toBe(true);
    expect((doctorDay!.evidence.drivers as unknown[]).length).toBeGreaterThan(0);
    expect(report.alerts.find((a) => a.name === "bulk-doctor")).toMatchObject({ expected: 1, reachable: 1, raised: 1 });
    // an anomaly alert about another board or another day does not answer the injection
    const unrelated = anomalies.filter((a) => a.evidence.day !== day || !(a.evidence.records as string[]).some((k) => k.startsWith(board.device + ":")));
    const notInjected = report.alerts.find((a) => a.name === "(not injected)" && a.kinds.includes("anomaly"));
    expect(notInjected?.raised ?? 0).toBe(unrelated.length);
  } finally {
    await county.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});
