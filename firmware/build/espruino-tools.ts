// Step 2: espruino-tools turns the bundle into what the board stores and runs, offline.
// It runs in a child process (espruino-tools-runner.cjs) because it installs globals.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VENDOR_DIR } from "./boards";

export interface EspruinoToolsJob {
  boardJson: string;
  /** The code to transform (a file). */
  input: string;
  /** Where to write the upload file (the code as the board runs it). */
  upload?: string;
  /** Where to write the commands that store the code as .bootcde and load it. */
  send?: string;
  /** A serial port to send those commands to (a real board). */
  port?: string;
  /** Store keywords and operators as Espruino's single-byte tokens (the upload and the commands). */
  pretokenise?: boolean;
}

export interface EspruinoToolsResult {
  errors: string[];
  warnings: string[];
  /** URLs espruino-tools tried to fetch; refused, since the build is offline. */
  fetchRefused: string[];
  /** Required modules neither built into the board nor in firmware/vendor/modules. */
  missingModules: string[];
  uploadBytes: number;
  sendBytes: number;
  sent: boolean;
}

const RUNNER = join(__dirname, "espruino-tools-runner.cjs");

export async function runEspruinoTools(job: EspruinoToolsJob, timeoutMs = 120_000): Promise<EspruinoToolsResult> {
  const dir = mkdtempSync(join(tmpdir(), "vt-espruino-tools-"));
  try {
    const jobFile = join(dir, "job.json");
    const resultFile = join(dir, "result.json");
    writeFileSync(jobFile, JSON.stringify({ board: job.boardJson, modulesDir: join(VENDOR_DIR, "modules"), input: job.input, upload: job.upload, send: job.send, port: job.port, pretokenise: job.pretokenise === true, result: resultFile }));
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [RUNNER, jobFile], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, _out, errOut) => {
        if (err && !(err as { code?: unknown }).code) reject(new Error(`espruino-tools did not finish: ${err.message}\n${errOut}`));
        else resolve(errOut);
      });
    });
    let result: EspruinoToolsResult;
    try {
      result = JSON.parse(readFileSync(resultFile, "utf8"));
    } catch {
      throw new Error(`espruino-tools wrote no result:\n${stderr}`);
    }
    result.missingModules = [...new Set(result.missingModules)];
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
