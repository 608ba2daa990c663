// Prints a scenario's plan summary (or the whole plan as JSON with --json):
//   npx tsx simulator/src/scenario/plan-cli.ts simulator/scenarios/county.json [--seed N] [--json]
import { loadScenarioFile } from "./load";
import { planScenario } from "./plan";

function main(argv: string[]): number {
  const file = argv.find((a) => !a.startsWith("--"));
  const seedAt = argv.indexOf("--seed");
  if (!file) {
    console.error("usage: plan-cli <scenario.json> [--seed N] [--json]");
    return 2;
  }
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : undefined;
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) {
    console.error("--seed needs a non-negative integer");
    return 2;
  }
  const v = loadScenarioFile(file);
  if (!v.ok) {
    for (const e of v.errors) console.error(e);
    return 1;
  }
  const t0 = performance.now();
  const plan = planScenario(v.scenario, seed);
  const ms = performance.now() - t0;
  if (argv.includes("--json")) {
    process.stdout.write(JSON.stringify(plan) + "\n");
    return 0;
  }
  console.log(JSON.stringify({ scenario: plan.scenario, seed: plan.seed, planMs: Math.round(ms), ...plan.summary }, null, 1));
  const byFraud: Record<string, number> = {};
  for (const a of plan.truth.alerts) byFraud[a.fraud] = (byFraud[a.fraud] ?? 0) + 1;
  console.log("expected alerts by pattern:", JSON.stringify(byFraud));
  for (const n of plan.notes.slice(0, 10)) console.log("note:", n);
  if (plan.notes.length > 10) console.log("note: ... and " + (plan.notes.length - 10) + " more");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
