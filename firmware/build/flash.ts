// `npm run flash -- --board pico --port /dev/ttyACM0 [--dry-run]`: builds, then has
// espruino-tools write the upload file to the board's Storage as .bootcde (the code Espruino
// runs at every power-up) and load() it. --dry-run prints the commands instead of sending.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { buildFirmware, FirmwareBuildError, type BuildReport } from "./build";
import { runEspruinoTools } from "./espruino-tools";
import { boardTarget, BOARDS } from "./boards";

export interface FlashOptions {
  board: string;
  port?: string;
  dryRun: boolean;
  outDir?: string;
}

/** Returns the commands sent (or, with dryRun, that would be sent). */
export async function flashFirmware(opts: FlashOptions): Promise<string> {
  if (!opts.dryRun && !opts.port) throw new Error("--port is required unless --dry-run");
  const art = await buildFirmware({ board: opts.board, outDir: opts.outDir, sendCommands: true });
  const dir = join(art.uploadPath, "..");
  const commands = readFileSync(join(dir, "send.js"), "latin1");
  const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as BuildReport;
  if (report.missingModules.length) {
    process.stderr.write(`note: ${report.missingModules.join(", ")} not embedded; the board must hold them in Storage\n`);
  }
  if (opts.dryRun) return commands;
  // the board gets what was built and gated: the same pretokenising as the upload file
  const result = await runEspruinoTools({ boardJson: boardTarget(opts.board).boardJson, input: join(dir, "bundle.min.js"), port: opts.port, pretokenise: report.pretokenised });
  if (result.errors.length || !result.sent) {
    throw new Error(`upload to ${opts.port} failed:\n${result.errors.join("\n") || "no confirmation from espruino-tools"}`);
  }
  return commands;
}

async function main(): Promise<void> {
  const o = new Command()
    .name("flash")
    .requiredOption("--board <board>", BOARDS.join(" | "))
    .option("--port <path>", "serial port of the board, e.g. /dev/ttyACM0")
    .option("--dry-run", "print what would be sent, send nothing", false)
    .option("--out <dir>", "build output directory (default dist/firmware/<board>)")
    .parse(process.argv)
    .opts<{ board: string; port?: string; dryRun: boolean; out?: string }>();
  try {
    const commands = await flashFirmware({ board: o.board, port: o.port, dryRun: o.dryRun, outDir: o.out });
    if (o.dryRun) process.stdout.write(commands);
    else console.error(`${o.board}: stored as .bootcde on ${o.port} and loaded (${commands.length} bytes sent)`);
  } catch (err) {
    console.error(err instanceof FirmwareBuildError ? err.message : (err as Error).message);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
