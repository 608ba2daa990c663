// `npm run sim -- --scenario <file> [--seed N] [--days N] [--boards N]`: one scenario, end to
// end, with a report and an exit code; `npm start` (= `demo`): the county in a box, live.
import { SingleBar, Presets } from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGateway } from "../../../gateway/src/app";
import { createLogger } from "../../../gateway/src/log/logger";
import { onStopSignal } from "../../../gateway/src/cli/stop-signals";
import { loadScenarioFile, planScenario, type Scenario, type ScenarioPlan } from "../scenario/index";
import { startCounty, type County } from "../fleet/county";
import { buildUploadFiles, readUploadFiles, type UploadFiles } from "../fleet/firmware-uploads";
import { FleetBoardViews } from "../fleet/board-views";
import type { FleetOptions } from "../fleet/fleet";
import { runOnCounty } from "../fleet/run-on-county";
import { limitBoards, relabelDevices } from "../fleet/plan-tools";
import { formatReport, type RunReport } from "../fleet/report";
import { COMMITTED_FRAUD_MODEL_DIR, trainScenarioModels, writeScenarioCatalogue } from "../history/index";

const REPO = join(__dirname, "..", "..", "..");

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number >= 0");
  return n;
}

function loadScenario(file: string, days?: number): Scenario {
  const v = loadScenarioFile(file);
  if (!v.ok) throw new Error(`scenario ${file} is not valid:\n  ` + v.errors.join("\n  "));
  return days === undefined ? v.scenario : { ...v.scenario, days };
}

/** The fraud options of the county (models and the scenario's price catalogue, in a temp dir removed by `done`);
 * `model` false: none, the day close runs the rules only. */
function fraudOptions(scenario: Scenario, model: string | false): { fraudModelDir?: string; catalogueFile?: string; done(): void } {
  if (model === false) return { done: () => undefined };
  const tmp = mkdtempSync(join(tmpdir(), "vt-sim-catalogue-"));
  const catalogueFile = join(tmp, "catalogue.json");
  writeScenarioCatalogue(scenario, catalogueFile);
  return { fraudModelDir: model, catalogueFile, done: () => rmSync(tmp, { recursive: true, force: true }) };
}

async function uploads(dir?: string): Promise<UploadFiles> {
  return dir ? readUploadFiles(dir) : buildUploadFiles();
}

/** Runs one plan on a started county and builds the report. */
export async function runScenarioOnCounty(plan: ScenarioPlan, county: County, files: UploadFiles, seed: number, opts: Pick<FleetOptions, "onProgress" | "onBoards" | "signal" | "pace" | "idleStepMs"> = {}): Promise<RunReport> {
  return (await runOnCounty(plan, county, files, seed, opts)).report;
}

interface RunFlags {
  scenario: string;
  seed?: number;
  days?: number;
  boards?: number;
  platformUrl?: string;
  brokerUrl?: string;
  firmwareDir?: string;
  json?: string;
  progress: boolean;
  fraudModel: string | false;
}

async function runCommand(o: RunFlags): Promise<void> {
  const scenario = loadScenario(o.scenario, o.days);
  const seed = o.seed ?? scenario.seed ?? 1;
  let plan = planScenario(scenario, seed);
  if (o.boards !== undefined) plan = limitBoards(plan, o.boards);
  console.log(`${plan.scenario}: ${plan.boards.length} boards, ${scenario.days} day(s), ${plan.summary.scans} reads planned, seed ${seed}`);
  for (const n of plan.notes) console.log("  note: " + n);
  const files = await uploads(o.firmwareDir);
  const fraud = fraudOptions(scenario, o.fraudModel);
  const county = await startCounty({ brokerUrl: o.brokerUrl, platformUrl: o.platformUrl, seed, fraudModelDir: fraud.fraudModelDir, catalogueFile: fraud.catalogueFile }).catch((err: unknown) => {
    fraud.done();
    throw err;
  });
  const abort = new AbortController();
  const offStopSignal = onStopSignal(() => abort.abort());
  const bar = o.progress && process.stdout.isTTY ? new SingleBar({ format: "{phase} |{bar}| {percentage}% {hours} h of {total_h} h | events {ev}/{events}", hideCursor: true }, Presets.shades_classic) : null;
  const totalH = ((plan.endMs - plan.startMs) / 3600_000).toFixed(0);
  bar?.start(100, 0, { phase: "plan ", hours: "0", total_h: totalH, ev: 0, events: 0 });
  const started = Date.now();
  let lastPct = -5;
  let lastPhase = "plan";
  let report: RunReport;
  try {
    report = await runScenarioOnCounty(plan, county, files, seed, {
      signal: abort.signal,
      onProgress: (p) => {
        const pct = p.phase === "plan" ? Math.min(99, Math.floor((p.virtualMs * 100) / p.totalMs)) : 99;
        const hours = (p.virtualMs / 3600_000).toFixed(1);
        if (bar) bar.update(pct, { phase: p.phase === "plan" ? "plan " : "drain", hours, total_h: totalH, ev: p.eventsApplied, events: p.events });
        else if (o.progress && (pct >= lastPct + 5 || p.phase !== lastPhase)) {
          // no terminal (CI logs, nohup): a line every 5 % instead of a bar
          lastPct = pct;
          lastPhase = p.phase;
          console.log(`${p.phase} ${pct}% (${hours} h of ${totalH} h simulated, events ${p.eventsApplied}/${p.events}, ${((Date.now() - started) / 1000).toFixed(0)} s wall)`);
        }
      },
    });
    bar?.update(100);
    bar?.stop();
    // The report first: a slow or stuck shutdown must never hide a run's result.
    console.log("\n" + formatReport(report));
    if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2) + "\n");
    if (!report.passed) process.exitCode = 1;
  } finally {
    bar?.stop();
    await stopWithin(county, STOP_LIMIT_MS);
    fraud.done();
    offStopSignal();
  }
}

/** Real ms the county may take to stop after a run before the CLI says so and leaves. */
const STOP_LIMIT_MS = 30_000;

async function stopWithin(county: County, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  const r = await Promise.race([county.stop().then(() => "stopped" as const), late]);
  clearTimeout(timer);
  if (r === "late") {
    console.error(`the county did not stop within ${ms / 1000} s (a connection left open); exiting anyway`);
    process.exit(process.exitCode ?? 0);
  }
}

interface DemoFlags {
  scenario: string;
  speed: number;
  devicesPort: number;
  httpPort: number;
  platformUrl?: string;
  gatewayOnly: boolean;
  dataDir: string;
  rounds: number;
  fraudModel: string | false;
}

async function gatewayOnly(o: DemoFlags): Promise<void> {
  if (!o.platformUrl) throw new Error("--gateway-only needs --platform-url mqtt://... (the real platform's broker)");
  const gw = await startGateway(
    { dataDir: o.dataDir, devices: { mode: "embedded", host: "0.0.0.0", port: o.devicesPort }, platform: { url: o.platformUrl }, http: { enabled: true, host: "127.0.0.1", port: o.httpPort } },
    { logger: createLogger(process.env.VT_LOG_LEVEL ?? "info"), processMetrics: true },
  );
  console.log(`gateway ${gw.settings.id}: boards connect to port ${gw.ports.devices}; metrics http://127.0.0.1:${gw.ports.http}/metrics; data in ${o.dataDir}`);
  console.log("provision boards with: npm run gateway -- -d " + o.dataDir + " devices add <id> --generate --institution <code> --operator <name>");
  await new Promise<void>((resolve) => onStopSignal(() => resolve()));
  await gw.stop();
}

async function demo(o: DemoFlags): Promise<void> {
  if (o.gatewayOnly) return gatewayOnly(o);
  const scenario = loadScenario(o.scenario);
  const files = await uploads();
  const fraud = fraudOptions(scenario, o.fraudModel);
  const county = await startCounty({ devicesPort: o.devicesPort, httpPort: o.httpPort, platformUrl: o.platformUrl, seed: scenario.seed, fraudModelDir: fraud.fraudModelDir, catalogueFile: fraud.catalogueFile }).catch((err: unknown) => {
    fraud.done();
    throw err;
  });
  const http = county.gateway.ports.http;
  console.log("village-trace county in a box");
  console.log(`  gateway device broker  mqtt://127.0.0.1:${county.gateway.ports.devices} (boards log in as device id + mqttPassword)`);
  console.log(`  dashboard              http://127.0.0.1:${http}/`);
  console.log(`  metrics                http://127.0.0.1:${http}/metrics`);
  console.log(`  status / devices / alerts  http://127.0.0.1:${http}/api/status  /api/devices  /api/alerts`);
  console.log(`  platform broker        ${county.platformUrl} (sales on vt/v1/platform/+/up)`);
  console.log(`  fleet: ${o.scenario} at ${o.speed}x real time; Ctrl-C stops everything`);
  const views = new FleetBoardViews();
  county.gateway.dashboard.setBoardViews(views);
  const abort = new AbortController();
  onStopSignal(() => abort.abort());
  try {
    for (let round = 1; !abort.signal.aborted && (o.rounds === 0 || round <= o.rounds); round++) {
      const seed = (scenario.seed ?? 1) + round - 1;
      const plan = relabelDevices(planScenario(scenario, seed), "r" + round + "-");
      console.log(`round ${round}: ${plan.boards.length} boards, ${plan.summary.scans} reads (seed ${seed})`);
      let lastHour = -1;
      const job = `fleet round ${round}`;
      county.gateway.dashboard.progress.start(job, 100, `${plan.boards.length} boards, % of simulated time`);
      const report = await runScenarioOnCounty(plan, county, files, seed, {
        signal: abort.signal,
        onBoards: (boards) => views.attach(boards),
        pace: o.speed,
        idleStepMs: Math.max(1000, o.speed * 1000),
        onProgress: (p) => {
          county.gateway.dashboard.progress.set(job, Math.min(100, Math.round((100 * p.virtualMs) / Math.max(1, p.totalMs))), p.phase);
          const h = Math.floor(p.virtualMs / 3600_000);
          if (h !== lastHour && h % 6 === 0) console.log(`  ${p.phase} ${h} h: ${p.eventsApplied}/${p.events} events; gateway holds ${county.gateway.store.records.count()} records, platform ${county.platform.stats().salesStored} sales`);
          lastHour = h;
        },
      });
      county.gateway.dashboard.progress.done(job, abort.signal.aborted ? "stopped" : undefined);
      if (abort.signal.aborted) break;
      console.log(formatReport(report));
    }
  } finally {
    await county.stop();
    fraud.done();
    console.log("stopped");
  }
}

interface TrainFlags {
  scenario: string;
  out: string;
  seeds: number;
  days: number;
  epochs?: number;
}

async function trainCommand(o: TrainFlags): Promise<void> {
  if (o.seeds < 1) throw new InvalidArgumentError("--seeds must be at least 1");
  if (o.days < 14) throw new InvalidArgumentError("--days must be at least 14 (7 of history, 7 to learn from)");
  const scenario = loadScenario(o.scenario);
  const seeds = Array.from({ length: o.seeds }, (_, i) => (scenario.seed ?? 1) + i);
  console.log(`${scenario.name}: planning ${o.seeds} normal ${o.days}-day histories (no fraud) and training the fraud models into ${o.out}`);
  const r = await trainScenarioModels(scenario, o.out, { seeds, days: o.days, network: o.epochs === undefined ? {} : { epochs: o.epochs }, log: (m) => console.log("  " + m) });
  for (const m of r.models) console.log(`  ${m.scope}: ${m.vectors} vectors, ${m.calibration} held out, threshold ${m.threshold.toFixed(3)}, ${m.seconds.toFixed(1)} s (${m.backend}) -> ${m.dir}`);
  console.log(`  catalogue: ${r.products} products -> ${r.catalogueFile}`);
  console.log(`done in ${r.seconds.toFixed(1)} s; use with: gateway settings fraud.modelDir ${o.out}, fraud.catalogueFile ${r.catalogueFile}`);
}

const program = new Command("sim").description("village-trace fleet simulator");

program
  .command("run", { isDefault: true })
  .description("run a scenario end to end and report (exit 1 on any loss or audit failure)")
  .option("--scenario <file>", "scenario JSON", join(REPO, "simulator/scenarios/ci.json"))
  .option("--seed <n>", "plan seed (default: the scenario's)", intArg)
  .option("--days <n>", "override the scenario's days", intArg)
  .option("--boards <n>", "run only the first N boards", intArg)
  .option("--platform-url <url>", "platform broker (default: an in-process one)")
  .option("--broker-url <url>", "one external broker for devices and platform (gateway in external mode)")
  .option("--firmware-dir <dir>", "use upload files built before (<dir>/<board>/upload.js) instead of building")
  .option("--json <file>", "also write the report as JSON")
  .option("--no-progress", "no progress bar")
  .option("--fraud-model <dir>", "fraud models for the gateway's day close (default: the ones trained on the small scenario)", COMMITTED_FRAUD_MODEL_DIR)
  .option("--no-fraud-model", "no fraud models: the day close runs the rules only")
  .action((o: RunFlags) => runCommand(o));

program
  .command("demo")
  .description("county in a box: gateway, platform and a live fleet, round after round")
  .option("--scenario <file>", "scenario JSON", join(REPO, "simulator/scenarios/small.json"))
  .option("--speed <x>", "virtual seconds per real second", intArg, 600)
  .option("--rounds <n>", "rounds to run (0: until Ctrl-C)", intArg, 0)
  .option("--devices-port <n>", "gateway device broker port", intArg, 1884)
  .option("--http-port <n>", "gateway operations HTTP port", intArg, 8084)
  .option("--platform-url <url>", "a real platform broker instead of the emulator's")
  .option("--gateway-only", "run only the gateway (real boards, real platform)", false)
  .option("--data-dir <dir>", "gateway data directory (--gateway-only)", "./.data/gateway")
  .option("--fraud-model <dir>", "fraud models for the gateway's day close (default: the ones trained on the small scenario)", COMMITTED_FRAUD_MODEL_DIR)
  .option("--no-fraud-model", "no fraud models: the day close runs the rules only")
  .action((o: DemoFlags) => demo(o));

program
  .command("train-fraud-model")
  .description("train the gateway's fraud models on a scenario's normal days (its fraud left out) and write its price catalogue beside them")
  .option("--scenario <file>", "scenario JSON", join(REPO, "simulator/scenarios/small.json"))
  .requiredOption("--out <dir>", "model directory to write (clinic-day/, doctor-day/, catalogue.json)")
  .option("--seeds <n>", "plan seeds: copies of the scenario's clinics to learn from", intArg, 40)
  .option("--days <n>", "days planned per seed (the first 7 only give history)", intArg, 28)
  .option("--epochs <n>", "training epochs (default: the measured one)", intArg)
  .action((o: TrainFlags) => trainCommand(o));

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
