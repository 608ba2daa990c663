// The reliability rig: a gateway as a child process in external mode on a given broker,
// the platform emulator (exactly-once store), a fleet of resending boards, and a seeded
// load that keeps them recording. Checks read the platform's store at the end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayStore } from "../../../gateway/src/store/store";
import type { SettingsPatch } from "../../../gateway/src/config/settings";
import { startPlatform, type PlatformEmulator } from "../../../simulator/src/platform";
import { startGatewayProcess, type GatewayProcess } from "./gateway-process";
import { BOARD_T0, ResendingBoard } from "./resending-board";

export function boardSecret(id: string): Uint8Array {
  const s = new Uint8Array(32);
  for (let i = 0; i < 32; i++) s[i] = (id.charCodeAt(i % id.length) * 13 + i * 29 + 1) & 0xff;
  return s;
}

export interface Rig {
  gatewayId: string;
  dataDir: string;
  gateway: GatewayProcess;
  platform: PlatformEmulator;
  boards: ResendingBoard[];
  restartGateway(): Promise<void>;
  /** Starts recording `perTick` records on a random board every `everyMs`; returns a stop function. */
  load(rng: () => number, perTick: number, everyMs: number): () => void;
  /** Waits until every board's journal is acked and every record is at the platform. */
  settle(ms: number): Promise<void>;
  close(): Promise<void>;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startRig(brokerUrl: string, name: string, boards: number, extra: SettingsPatch = {}): Promise<Rig> {
  const gatewayId = "rel-" + name + "-" + process.pid;
  const dataDir = mkdtempSync(join(tmpdir(), "vt-rel-"));
  const ids = Array.from({ length: boards }, (_, i) => `${name}-b${i}`);
  const store = GatewayStore.open(dataDir);
  for (const id of ids) store.devices.add({ id, secret: boardSecret(id), institution: "H-" + id, operator: "op " + id }, BOARD_T0);
  store.close();
  const settings: SettingsPatch = {
    id: gatewayId,
    devices: { mode: "external", url: brokerUrl },
    platform: { url: brokerUrl, ackTimeoutMs: 1500, retryBaseMs: 100, retryMaxMs: 1000, ...extra.platform },
    http: { enabled: false },
    store: { minFreeBytes: 16 * 1024 * 1024 },
  };
  const platform = await startPlatform({ brokerUrl, logger: silent, clientId: "rel-platform-" + name + "-" + process.pid });
  let gateway = await startGatewayProcess(dataDir, settings);
  const fleet: ResendingBoard[] = [];
  for (const id of ids) fleet.push(await ResendingBoard.connect(brokerUrl, id, boardSecret(id), { batchMax: 20, ackTimeoutMs: 800 }));
  const keysAtPlatform = () => new Set(platform.allSaleKeys());
  return {
    gatewayId, dataDir, platform, boards: fleet,
    get gateway() {
      return gateway;
    },
    async restartGateway() {
      gateway = await startGatewayProcess(dataDir, settings);
    },
    load(rng, perTick, everyMs) {
      const t = setInterval(() => fleet[Math.floor(rng() * fleet.length)].record(1 + Math.floor(rng() * perTick)), everyMs);
      return () => clearInterval(t);
    },
    async settle(ms) {
      const deadline = Date.now() + ms;
      for (;;) {
        const acked = fleet.every((b) => b.acked === b.head);
        const have = keysAtPlatform();
        if (acked && fleet.every((b) => b.keys().every((k) => have.has(k)))) return;
        if (Date.now() > deadline) {
          const missing = fleet.map((b) => `${b.id}: acked ${b.acked}/${b.head}, at platform ${b.keys().filter((k) => have.has(k)).length}`);
          throw new Error("not settled: " + missing.join("; "));
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const b of fleet) await b.close();
      await gateway.stop();
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  } as Rig;
}

/** Keys at the platform per device, in the order the platform first stored them. */
export function platformSeqsByDevice(platform: PlatformEmulator): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const row of platform.allSales()) {
    const list = out.get(row.sale.device) ?? [];
    list.push(row.sale.seq);
    out.set(row.sale.device, list);
  }
  return out;
}
