// `npm run build:firmware [-- --board pico|esp32|all]`: esbuild bundle, espruino-tools upload
// file, then the Espruino subset gate on both. Writes dist/firmware/<board>/{bundle.js,
// upload.js,report.json}; any gate violation fails the build with the full list.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Command } from "commander";
import { bundleEntry } from "./bundle";
import { runEspruinoTools, type EspruinoToolsResult } from "./espruino-tools";
import { boardTarget, BOARDS, REPO_ROOT } from "./boards";
import { checkEspruinoSubset, formatViolations, type GateViolation } from "./gate";
import { detokenise } from "../../simulator/src/espruino/pretokenise";

export interface FirmwareArtefacts {
  board: string;
  bundlePath: string;
  uploadPath: string;
  bundleBytes: number;
  uploadBytes: number;
}

export interface BuildOptions {
  board: string;
  /** Default dist/firmware/<board>. */
  outDir?: string;
  /** Minify the code given to espruino-tools (default true). */
  minify?: boolean;
  /** Entry file instead of firmware/src/boards/<board>.ts (tests use fixtures). */
  entry?: string;
  /** Also write send.js: the commands that store the upload as .bootcde (flash --dry-run). */
  sendCommands?: boolean;
  /** Store keywords and operators as the board lexer's single-byte tokens (default true). */
  pretokenise?: boolean;
}

export class FirmwareBuildError extends Error {
  constructor(
    message: string,
    readonly violations: GateViolation[] = [],
  ) {
    super(message);
    this.name = "FirmwareBuildError";
  }
}

export interface BuildReport {
  board: string;
  entry: string;
  builtAt: string;
  bundleBytes: number;
  /** esbuild's minified output, the input to espruino-tools. */
  minifiedBytes: number;
  uploadBytes: number;
  /** The upload is pretokenised (keywords and operators as single bytes >= 0x8A). */
  pretokenised: boolean;
  /** The upload as plain JavaScript (what the gate checks and the simulator evaluates). */
  plainUploadBytes: number;
  sendBytes?: number;
  missingModules: string[];
  espruinoToolsWarnings: string[];
  gate: { bundle: number; upload: number };
}

function gateOrThrow(code: string, label: string): void {
  const violations = checkEspruinoSubset(code, label);
  if (violations.length) {
    throw new FirmwareBuildError(`${label}: ${violations.length} construct(s) outside the Espruino subset\n${formatViolations(violations, label)}`, violations);
  }
}

export async function buildFirmware(opts: BuildOptions): Promise<FirmwareArtefacts> {
  const target = boardTarget(opts.board, opts.entry);
  const outDir = opts.outDir ?? join(REPO_ROOT, "dist", "firmware", opts.board);
  mkdirSync(outDir, { recursive: true });
  const bundlePath = join(outDir, "bundle.js");
  const minPath = join(outDir, "bundle.min.js");
  const uploadPath = join(outDir, "upload.js");
  const sendPath = join(outDir, "send.js");

  const pretokenise = opts.pretokenise !== false;
  let bundle: string;
  let minified: string;
  try {
    bundle = await bundleEntry(target.entry, false, target.flags);
    minified = opts.minify === false ? bundle : await bundleEntry(target.entry, true, target.flags);
  } catch (err) {
    throw new FirmwareBuildError(`esbuild failed for ${opts.board}: ${(err as Error).message}`);
  }
  writeFileSync(bundlePath, bundle);
  writeFileSync(minPath, minified);

  const tools: EspruinoToolsResult = await runEspruinoTools({ boardJson: target.boardJson, input: minPath, upload: uploadPath, send: opts.sendCommands ? sendPath : undefined, pretokenise });
  if (tools.errors.length || tools.fetchRefused.length) {
    throw new FirmwareBuildError(`espruino-tools failed for ${opts.board}:\n${[...tools.errors, ...tools.fetchRefused.map((u) => `refused to fetch ${u}`)].join("\n")}`);
  }
  const upload = readFileSync(uploadPath, "latin1");
  let plainUpload: string;
  try {
    plainUpload = detokenise(upload);
  } catch (err) {
    throw new FirmwareBuildError(`${opts.board}: the pretokenised upload does not read back: ${(err as Error).message}`);
  }

  // Last: the gate on what the board will really parse (the upload read back as the board's
  // lexer reads its tokens), and on the readable bundle so a violation can be found in the source.
  const rel = (p: string) => relative(REPO_ROOT, p) || p;
  gateOrThrow(bundle, rel(bundlePath));
  gateOrThrow(plainUpload, rel(uploadPath));

  const report: BuildReport = {
    board: opts.board,
    entry: rel(target.entry),
    builtAt: new Date().toISOString(),
    bundleBytes: Buffer.byteLength(bundle),
    minifiedBytes: Buffer.byteLength(minified),
    uploadBytes: upload.length,
    pretokenised: pretokenise,
    plainUploadBytes: plainUpload.length,
    sendBytes: opts.sendCommands ? tools.sendBytes : undefined,
    missingModules: tools.missingModules,
    espruinoToolsWarnings: tools.warnings,
    gate: { bundle: 0, upload: 0 },
  };
  writeFileSync(join(outDir, "report.json"), JSON.stringify(report, null, 2) + "\n");
  return { board: opts.board, bundlePath, uploadPath, bundleBytes: report.bundleBytes, uploadBytes: report.uploadBytes };
}

async function main(): Promise<void> {
  const program = new Command()
    .name("build:firmware")
    .option("--board <board>", `${BOARDS.join(" | ")} | all`, "all")
    .option("--out <dir>", "output directory (default dist/firmware/<board>)")
    .option("--no-minify", "give espruino-tools the readable bundle")
    .option("--no-pretokenise", "keep the upload plain JavaScript (keywords spelt out)")
    .parse(process.argv);
  const o = program.opts<{ board: string; out?: string; minify: boolean; pretokenise: boolean }>();
  const boards = o.board === "all" ? BOARDS : [o.board];
  let failed = false;
  for (const board of boards) {
    try {
      const a = await buildFirmware({ board, outDir: o.out && boards.length > 1 ? join(o.out, board) : o.out, minify: o.minify, pretokenise: o.pretokenise });
      const report = JSON.parse(readFileSync(join(a.uploadPath, "..", "report.json"), "utf8")) as BuildReport;
      console.log(`${board}: bundle ${a.bundleBytes} B, upload ${a.uploadBytes} B -> ${relative(process.cwd(), a.uploadPath)}`);
      if (report.missingModules.length) console.log(`${board}: modules not embedded (the board must have them in Storage): ${report.missingModules.join(", ")}`);
    } catch (err) {
      failed = true;
      console.error(err instanceof FirmwareBuildError ? err.message : (err as Error).stack);
    }
  }
  if (failed) process.exitCode = 1;
}

if (require.main === module) void main();
