// A real MQTT broker for the suites: Mosquitto when the machine has it, otherwise the
// embedded aedes broker, so a user without Mosquitto can still run everything.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestBroker {
  url: string;
  kind: "mosquitto" | "aedes";
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export function mosquittoPath(): string | null {
  for (const candidate of ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]) {
    const r = spawnSync(candidate, ["-h"], { stdio: "ignore" });
    if (!r.error) return candidate;
  }
  return null;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => { s.destroy(); resolve(true); });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("broker did not open port " + port + " within " + ms + " ms");
}

/** Starts a private Mosquitto on a free port (anonymous, in-memory). */
export async function startMosquitto(bin: string, port?: number): Promise<TestBroker> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "vt-mosq-"));
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `listener ${p} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 1000\nmax_queued_messages 100000\n`);
  const child: ChildProcess = spawn(bin, ["-c", conf], { stdio: "ignore" });
  await waitForPort(p, 5000);
  return {
    url: `mqtt://127.0.0.1:${p}`,
    kind: "mosquitto",
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Starts an embedded aedes broker on a free port, in a child process. */
export async function startAedes(port?: number): Promise<TestBroker> {
  const p = port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, "aedes-server.mjs"), String(p)], { stdio: "ignore" });
  await waitForPort(p, 10000);
  return {
    url: `mqtt://127.0.0.1:${p}`,
    kind: "aedes",
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export async function startTestBroker(): Promise<TestBroker> {
  const bin = process.env.VT_TEST_BROKER === "aedes" ? null : mosquittoPath();
  return bin ? startMosquitto(bin) : startAedes();
}
