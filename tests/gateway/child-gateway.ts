// Runs the gateway as a child process (`gateway start`), as in production and as the
// reliability suites will (SIGKILL). Also the only way to run the embedded aedes broker
// under jest, whose sandboxed require cannot load ES modules on this Node.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { SettingsPatch } from "../../gateway/src/config/settings";

export interface ChildGateway {
  devicesUrl: string;
  httpPort: number;
  child: ChildProcess;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
}

const ROOT = join(__dirname, "..", "..");

export async function startChildGateway(dataDir: string, settings: SettingsPatch, timeoutMs = 20_000): Promise<ChildGateway> {
  const conf = join(dataDir, "gateway.json");
  writeFileSync(conf, JSON.stringify({ ...settings, dataDir, log: { level: "info" } }));
  const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "gateway/src/cli/main.ts"), "-c", conf, "start"], {
    cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, VT_LOG_LEVEL: "" },
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (d) => stderr.push(String(d)));
  const ready = await new Promise<{ devicesUrl: string; httpPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("child gateway not ready: " + stderr.join("").slice(-500))), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      try {
        const j = JSON.parse(line) as { ready?: boolean; devicesUrl: string; httpPort: number };
        if (j.ready) {
          clearTimeout(timer);
          resolve(j);
        }
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => reject(new Error("child gateway exited " + code + ": " + stderr.join("").slice(-500))));
  });
  return {
    ...ready,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}
