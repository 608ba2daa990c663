// Runs one plan on a started county and builds its report: the one path the CLI, the demo
// and the end-to-end suites share.
import { businessDay } from "../../../gateway/src/fraud/features";
import type { ScenarioPlan } from "../scenario/index";
import type { County } from "./county";
import type { UploadFiles } from "./firmware-uploads";
import { runFleet, type FleetOptions, type FleetResult } from "./fleet";
import { buildReport, type RunReport } from "./report";

export type RunOnCountyOptions = Omit<FleetOptions, "plan" | "uploads" | "gateway" | "seed">;

/** Business days ("YYYY-MM-DD", turning at 05:00 CST as the fraud engine's) the plan covers. */
export function planBusinessDays(plan: Pick<ScenarioPlan, "startMs" | "endMs">): string[] {
  const days: string[] = [];
  const last = businessDay(Math.ceil(plan.endMs / 1000) - 1);
  for (let d = businessDay(Math.floor(plan.startMs / 1000)); d <= last; d = new Date(Date.parse(d + "T00:00:00Z") + 86_400_000).toISOString().slice(0, 10)) days.push(d);
  return days;
}

/** An anomaly alert's business day and the devices of the records it names ("<device>:<seq>"). */
function unitOf(a: { kind: string; evidence: Record<string, unknown> }): { day?: string; devices?: string[] } {
  if (a.kind !== "anomaly" || typeof a.evidence.day !== "string") return {};
  const records = Array.isArray(a.evidence.records) ? a.evidence.records.map(String) : [];
  return { day: a.evidence.day, devices: [...new Set(records.map((k) => k.slice(0, k.lastIndexOf(":"))))] };
}

export async function runOnCounty(plan: ScenarioPlan, county: County, files: UploadFiles, seed: number, opts: RunOnCountyOptions = {}): Promise<{ fleet: FleetResult; report: RunReport }> {
  const fleet = await runFleet({ ...opts, plan, uploads: files, gateway: county.view, seed });
  // The gateway closes a business day on its wall clock; a fleet runs days in minutes, so once
  // everything is delivered its days are closed here, as the gateway would after each 05:00.
  if (!fleet.aborted) for (const day of planBusinessDays(plan)) county.gateway.fraud.closeDay(day);
  const raised = county.gateway.store.alerts.list({ limit: 100_000 }).map((a) => ({ kind: a.kind, device: a.device, code: a.code, night: typeof a.evidence.night === "string" ? a.evidence.night : undefined, ...unitOf(a) }));
  const report = buildReport(plan, fleet, { sales: county.sales(), redeliveries: county.platform.stats().duplicates }, raised);
  return { fleet, report };
}
