// `npm run bench`: runs every bench/*.bench.ts, prints one table and writes BENCHMARKS.md.
// Each bench measures its own baseline in the same run, so ratios hold on a noisy machine.
import { readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import type { Bench, BenchRow } from "./types";

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return String(v).replace(/\|/g, "\\|");
}

function table(rows: BenchRow[]): string {
  const head = ["area", "metric", "value", "unit", "target", "baseline", "ratio", "pass", "note"];
  const lines = ["| " + head.join(" | ") + " |", "|" + head.map(() => "---").join("|") + "|"];
  for (const r of rows) {
    const pass = r.pass === undefined ? "" : r.pass ? "yes" : "NO";
    lines.push("| " + [r.area, r.metric, r.value, r.unit, r.target, r.baseline, r.ratio, pass, r.note].map(cell).join(" | ") + " |");
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const program = new Command()
    .option("--quick", "smaller runs (CI smoke)", false)
    .option("--only <names>", "comma-separated bench names (file stems)")
    .option("--out <file>", "where to write the table", "BENCHMARKS.md")
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; only?: string; out: string }>();
  const only = opts.only ? opts.only.split(",") : null;
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => !only || only.includes(f.replace(/\.bench\.ts$/, "")))
    .sort();
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  for (const f of files) {
    const bench = (await import(join(__dirname, f))).default as Bench;
    const t0 = Date.now();
    process.stderr.write(`bench ${bench.name} ...\n`);
    try {
      const got = await bench.run({ quick: opts.quick });
      rows.push(...got);
      process.stderr.write(`bench ${bench.name}: ${got.length} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      failures.push(`${bench.name}: ${(err as Error).stack ?? err}`);
      rows.push({ area: bench.name, metric: "run", value: "failed", unit: "", note: (err as Error).message });
    }
  }
  const when = new Date().toISOString();
  const doc = [
    "# Benchmarks",
    "",
    `Measured by \`npm run bench${opts.quick ? " -- --quick" : ""}\` on ${when}, on this machine (${cpus().length} cores, Node ${process.version}).`,
    "Timings are medians of repeated runs; ratios compare with a baseline measured in the same run.",
    "",
    table(rows),
    "",
  ].join("\n");
  writeFileSync(opts.out, doc);
  console.log(table(rows));
  console.log(`\nwritten to ${opts.out}`);
  if (failures.length) {
    console.error("\nbench failures:\n" + failures.join("\n"));
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
