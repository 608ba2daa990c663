// Fleet simulator throughput: boards simulated per wall second and the county scenario's wall
// time (full: every board, seven days; --quick: the first 60 boards for one day), with the
// exactly-once audit as pass/fail (lost must be 0).
import { join } from "node:path";
import type { Bench, BenchRow } from "./types";
import { loadScenarioFile, planScenario } from "../simulator/src/scenario/index";
import { startCounty } from "../simulator/src/fleet/county";
import { buildUploadFiles } from "../simulator/src/fleet/firmware-uploads";
import { runFleet } from "../simulator/src/fleet/fleet";
import { limitBoards } from "../simulator/src/fleet/plan-tools";
import { buildReport } from "../simulator/src/fleet/report";

const bench: Bench = {
  name: "simulator",
  async run({ quick }): Promise<BenchRow[]> {
    const v = loadScenarioFile(join(__dirname, "../simulator/scenarios/county.json"));
    if (!v.ok) throw new Error(v.errors.join("; "));
    const scenario = quick ? { ...v.scenario, days: 1 } : v.scenario;
    let plan = planScenario(scenario, scenario.seed);
    if (quick) plan = limitBoards(plan, 60);
    const files = await buildUploadFiles();
    const county = await startCounty({ seed: scenario.seed });
    try {
      const fleet = await runFleet({ plan, uploads: files, gateway: county.view, seed: scenario.seed ?? 1, netStepMs: 5000 });
      const report = buildReport(plan, fleet, { sales: county.sales(), redeliveries: county.platform.stats().duplicates }, []);
      const boardDays = (plan.boards.length * fleet.virtualMs) / 86_400_000;
      const label = `county ${plan.boards.length} boards x ${scenario.days} d`;
      return [
        { area: "simulator", metric: `${label}: wall time`, value: Math.round(fleet.wallMs / 100) / 10, unit: "s", note: `${report.accepted} accepted, ${report.delivered} delivered; io wait ${(fleet.ioMs / 1000).toFixed(1)} s` },
        { area: "simulator", metric: `${label}: boards simulated per wall second (board-days per s)`, value: Math.round((boardDays / (fleet.wallMs / 1000)) * 100) / 100, unit: "board-days/s" },
        { area: "simulator", metric: `${label}: lost records`, value: report.lost, unit: "records", target: "= 0", pass: report.lost === 0 && report.audit.duplicated === 0 && report.audit.phantom === 0, note: report.failures.join("; ") || "audit passed" },
      ];
    } finally {
      await county.stop();
    }
  },
};

export default bench;
