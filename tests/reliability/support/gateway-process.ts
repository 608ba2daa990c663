// Runs `gateway start` as ONE process (node with the tsx loader, not the tsx CLI, which
// forks a second process that a SIGKILL of the first would leave running). Kill it with
// SIGKILL to simulate a crash or power cut of the gateway host.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { SettingsPatch } from "../../../gateway/src/config/settings";

export interface GatewayProcess {
  child: ChildProcess;
  pid: number;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful drain), resolved with the exit code. */
  stop(): Promise<number | null>;
}

const ROOT = join(__dirname, "..", "..", "..");

export async function startGatewayProcess(dataDir: string, settings: SettingsPatch, timeoutMs = 60_000): Promise<GatewayProcess> {
  const conf = join(dataDir, "gateway.json");
  writeFileSync(conf, JSON.stringify({ ...settings, dataDir, log: { level: "info" } }));
  // VT_GATEWAY_NODE_ARGS: extra node flags for the gateway process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.VT_GATEWAY_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", join(ROOT, "gateway/src/cli/main.ts"), "-c", conf, "start"], {
    cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, VT_LOG_LEVEL: "" },
  });
  const output: string[] = [];
  child.stderr!.on("data", (d) => output.push(String(d)));
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("gateway not ready: " + output.join("").slice(-500))), timeoutMs);
    lines.on("line", (line) => {
      if (output.length < 50) output.push(line);
      if (line.includes('"ready":true')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error("gateway exited " + code + ": " + output.join("\n").slice(-800)));
    });
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  return {
    child,
    pid: child.pid!,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
