// One gateway under test: a fresh data directory, the fleet provisioned, the gateway started
// as its own process (as in production) attached to the bench's private broker, and torn
// down afterwards with its files.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { GatewayStore } from "../../gateway/src/store/store";
import type { SettingsPatch } from "../../gateway/src/config/settings";
import { startGatewayProcess, type GatewayProcess } from "../../tests/reliability/support/gateway-process";
import { provisionFleet } from "./fleet-frames";

export interface BenchGateway {
  id: string;
  dataDir: string;
  child: GatewayProcess;
  pid: number;
  /** Records still owed by the outbox, read from the gateway's file by a second (read-only) connection. */
  outboxSize(): number;
  stop(): Promise<void>;
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), "vt-bench-gw-"));
}

export function provisionDir(dataDir: string, devices: number): void {
  const store = GatewayStore.open(dataDir);
  try {
    provisionFleet(store, devices);
  } finally {
    store.close();
  }
}

export async function startBenchGateway(brokerUrl: string, dataDir: string, extra: SettingsPatch = {}): Promise<BenchGateway> {
  const id = "bench-gw-" + process.pid + "-" + Math.random().toString(36).slice(2, 7);
  const child = await startGatewayProcess(dataDir, {
    id,
    devices: { mode: "external", url: brokerUrl },
    platform: { url: brokerUrl, ...extra.platform },
    http: { enabled: false },
    store: { minFreeBytes: 64 * 1024 * 1024, ...extra.store },
    ingest: extra.ingest,
  }, 120_000);
  // The device subscription completes just after the ready line; give it a moment.
  await new Promise((r) => setTimeout(r, 400));
  let reader: Database.Database | null = null;
  return {
    id, dataDir, child, pid: child.pid,
    outboxSize() {
      reader ??= new Database(join(dataDir, "gateway.sqlite"), { readonly: true });
      return (reader.prepare("SELECT COALESCE(SUM(to_seq - from_seq + 1), 0) AS n FROM outbox").get() as { n: number }).n;
    },
    async stop() {
      reader?.close();
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("timed out after " + ms + " ms waiting for " + what);
    await new Promise((r) => setTimeout(r, 5));
  }
}
