// County in a box: the real gateway (store, checks, relay), the emulated insurance platform and
// the brokers between them, in one process, with a throwaway data directory. The fleet runner,
// the CLI, the demo and the end-to-end tests all start the same thing.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGateway, type GatewayHandle } from "../../../gateway/src/app";
import { SerialBridgeSession, bridgeGateway } from "../../../gateway/src/bridge/index";
import { silentLogger, type Logger } from "../../../gateway/src/log/logger";
import { fromHex } from "../../../protocol/src/crypto/index";
import type { PlatformSale } from "../../../protocol/src/platform";
import { startPlatform, type PlatformEmulator, type PlatformLogger } from "../platform/index";
import type { GatewayView } from "./fleet";

export interface CountyOptions {
  /**
   * One external broker for everything (device traffic in the gateway's external mode, and the
   * platform link). Absent: the gateway runs its embedded broker with device logins and ACL,
   * and the platform gets an in-process broker of its own.
   */
  brokerUrl?: string;
  /** The platform's broker (default: `brokerUrl`, else an in-process one). */
  platformUrl?: string;
  /** Embedded device broker port (0: a free one). */
  devicesPort?: number;
  /** Operations HTTP (metrics, API): off unless a port is given (0: a free one). */
  httpPort?: number;
  /** Gateway data directory (default: a temp dir removed at stop). */
  dataDir?: string;
  gatewayId?: string;
  seed?: number;
  /** Fraud models for the gateway's day close (gateway setting fraud.modelDir: clinic-day/ and doctor-day/,
   * e.g. from `npm run sim -- train-fraud-model`). Absent: none, the day close runs the rules only. */
  fraudModelDir?: string;
  /** Price catalogue for the fraud features (gateway setting fraud.catalogueFile). */
  catalogueFile?: string;
  logger?: Logger;
  platformLogger?: PlatformLogger;
}

export interface County {
  gateway: GatewayHandle;
  platform: PlatformEmulator;
  view: GatewayView;
  platformUrl: string;
  dataDir: string;
  /** The sales the platform holds from this county's gateway (a shared broker may carry others). */
  sales(): PlatformSale[];
  stop(): Promise<void>;
}

interface InProcessBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** An aedes broker in this process (aedes v1 is an ES module; Node >= 20.19 requires it natively). */
export async function startInProcessBroker(port = 0, host = "127.0.0.1"): Promise<InProcessBroker> {
  const { Aedes } = createRequire(__filename)("aedes") as { Aedes: { createBroker(): Promise<{ handle: (s: unknown) => void; close(cb: () => void): void }> } };
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle as never);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        // aedes closes its client connections; then the listener can close.
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 1883) };
}

export async function startCounty(o: CountyOptions = {}): Promise<County> {
  const ownDir = !o.dataDir;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), "vt-county-"));
  const gatewayId = o.gatewayId ?? "county-gw-" + process.pid + "-" + Math.floor(Math.random() * 1e6).toString(36);
  let platformBroker: InProcessBroker | null = null;
  let platformUrl = o.platformUrl ?? o.brokerUrl;
  if (!platformUrl) {
    platformBroker = await startInProcessBroker();
    platformUrl = platformBroker.url;
  }
  const quietPlatform: PlatformLogger = { info: () => undefined, warn: () => undefined, error: (obj, msg) => console.error("[platform]", msg ?? "", obj) };
  // Only this county's gateway: on a shared broker the emulator must not answer other gateways.
  const platform = await startPlatform({ brokerUrl: platformUrl, seed: o.seed, logger: o.platformLogger ?? quietPlatform, clientId: "vt-platform-" + gatewayId, gateways: [gatewayId] });

  const devices = o.brokerUrl
    ? { mode: "external" as const, url: o.brokerUrl }
    : { mode: "embedded" as const, host: "127.0.0.1", port: o.devicesPort || (await freePort()) };
  const logger = o.logger ?? silentLogger();
  // The gateway's clock: the system's until a fleet hands it the virtual one.
  let clockMs: () => number = Date.now;
  const gateway = await startGateway(
    {
      id: gatewayId,
      dataDir,
      devices,
      platform: { url: platformUrl },
      http: o.httpPort === undefined ? { enabled: false } : { enabled: true, host: "127.0.0.1", port: o.httpPort || (await freePort()) },
      // A throwaway store: a commit need only survive this process.
      store: { synchronous: "NORMAL", minFreeBytes: 16 * 1024 * 1024 },
      fraud: { modelDir: o.fraudModelDir, catalogueFile: o.catalogueFile },
    },
    { logger, clock: () => Math.floor(clockMs() / 1000) },
  );

  const view: GatewayView = {
    mqtt: hostPort(gateway.deviceBrokerUrl),
    register: (d) => {
      if (gateway.store.devices.get(d.device)) return;
      const secret = fromHex(d.secret);
      if (!secret || secret.length !== 32) throw new Error(`device ${d.device}: the secret must be 64 hex characters`);
      gateway.store.devices.add({ id: d.device, secret, institution: d.institution, operator: d.operator }, Math.floor(Date.now() / 1000));
    },
    ackedUpto: (device) => gateway.store.records.ackedUpto(device),
    useClock: (nowMs) => {
      clockMs = nowMs ?? Date.now;
    },
    relayDrained: () => gateway.store.outbox.size() === 0 && gateway.relay.stats.inFlight === 0,
    // The same session the gateway's USB bridge runs on a real port, fed the gateway's down frames.
    usbBridge: (port, write) => {
      const session = new SerialBridgeSession(port, write, bridgeGateway(gateway, logger), logger);
      const untap = gateway.tapDown((topic, frame) => session.down(topic, frame));
      return {
        push: (chunk) => session.push(chunk),
        probe: () => session.probe(),
        counts: session.counts,
        close: () => {
          untap();
          session.detach();
        },
      };
    },
  };

  let stopped = false;
  return {
    gateway,
    platform,
    view,
    platformUrl,
    dataDir,
    sales: () => platform.allSales().filter((r) => r.gateway === gatewayId).map((r) => r.sale),
    async stop() {
      if (stopped) return;
      stopped = true;
      await gateway.stop().catch((err) => console.error("gateway stop failed:", err));
      await platform.stop().catch((err) => console.error("platform stop failed:", err));
      await platformBroker?.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
