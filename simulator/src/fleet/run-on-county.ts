// Runs one plan on a started county and builds its report: the one path the CLI, the demo
// and the end-to-end suites share.
import type { ScenarioPlan } from "../scenario/index";
import type { County } from "./county";
import type { UploadFiles } from "./firmware-uploads";
import { runFleet, type FleetOptions, type FleetResult } from "./fleet";
import { buildReport, type RunReport } from "./report";

export type RunOnCountyOptions = Omit<FleetOptions, "plan" | "uploads" | "gateway" | "seed">;

export async function runOnCounty(plan: ScenarioPlan, county: County, files: UploadFiles, seed: number, opts: RunOnCountyOptions = {}): Promise<{ fleet: FleetResult; report: RunReport }> {
  const fleet = await runFleet({ ...opts, plan, uploads: files, gateway: county.view, seed });
  const raised = county.gateway.store.alerts.list({ limit: 100_000 }).map((a) => ({ kind: a.kind, device: a.device, code: a.code }));
  const report = buildReport(plan, fleet, { sales: county.sales(), redeliveries: county.platform.stats().duplicates }, raised);
  return { fleet, report };
}
