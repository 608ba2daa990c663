// Wires the gateway together: store, bus, ingest, checks, relay, downlink, transports and
// the operations HTTP. `startGateway` is what the CLI, the tests and the simulator embed.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { GatewayBus } from "./bus/events";
import { createAlertSink } from "./checks/alert-sink";
import { Dashboard } from "./dashboard/dashboard";
import { defaultSettings, mergeSettings, type GatewaySettings, type SettingsPatch } from "./config/settings";
import { Downlink } from "./down/downlink";
import { startHttp } from "./http/server";
import { startFraudService, type FraudService } from "./fraud/service";
import { IngestPipeline } from "./ingest/pipeline";
import { InlineWriter, WorkerWriter, type StoreWriter } from "./ingest/store-writer";
import { createLogger, type Logger } from "./log/logger";
import { createMetrics } from "./metrics/metrics";
import { RelayEngine } from "./relay/engine";
import { DiskGuard, type FreeBytesProbe } from "./store/disk-guard";
import { startCheckpointer } from "./store/checkpointer";
import { GatewayStore } from "./store/store";
import type { AlertSink } from "./store/types";
import { openDeviceLink, type DeviceLink } from "./transport/device-link";
import { startEmbeddedBroker, type EmbeddedBroker } from "./transport/embedded-broker";
import { openPlatformLink, type PlatformLink } from "./transport/platform-link";
import type { Registry } from "prom-client";

export interface GatewayOptions {
  logger?: Logger;
  /** Free-space probe (tests simulate a full disk). */
  diskProbe?: FreeBytesProbe;
  /** Node process metrics in /metrics (off when several gateways share a process). */
  processMetrics?: boolean;
  /**
   * The time the gateway gives boards and stamps on what it receives, in Unix seconds (default:
   * the system clock). A simulated fleet that runs days in minutes passes its virtual clock.
   */
  clock?: () => number;
}

export interface GatewayHandle {
  settings: GatewaySettings;
  store: GatewayStore;
  bus: GatewayBus;
  /** Where the fraud engine and other extensions raise alerts. */
  alerts: AlertSink;
  ingest: IngestPipeline;
  relay: RelayEngine;
  downlink: Downlink;
  metrics: Registry;
  disk: DiskGuard;
  /** Fraud day close: runs on its timer (settings.fraud) and on demand. */
  fraud: FraudService;
  /** The web dashboard: `progress` for long jobs, `setBoardViews` for simulated boards. */
  dashboard: Dashboard;
  /** Bound ports (null when that part is off or external). */
  ports: { devices: number | null; http: number | null };
  /** URL boards (and the simulator) connect to. */
  deviceBrokerUrl: string;
  /** Revokes a device and drops its live connection. */
  revokeDevice(id: string): boolean;
  /** Sees every down frame as it is published (the USB bridge forwards its device's); returns the untap. */
  tapDown(fn: (topic: string, payload: Uint8Array) => void): () => void;
  /** Stops taking frames, drains ingest and (briefly) the relay, closes everything. */
  stop(): Promise<void>;
}

export async function startGateway(config: SettingsPatch | GatewaySettings, opts: GatewayOptions = {}): Promise<GatewayHandle> {
  const settings = mergeSettings(defaultSettings(), config as SettingsPatch);
  const log = opts.logger ?? createLogger(settings.log.level);
  if (settings.dataDir !== ":memory:") mkdirSync(settings.dataDir, { recursive: true });
  const store = GatewayStore.open(settings.dataDir, settings.store.synchronous);
  store.db.pragma("cache_size = -" + Math.round(settings.store.cacheMiB * 1024));
  const checkpointer = settings.dataDir === ":memory:" ? null : startCheckpointer(store.db, join(settings.dataDir, "gateway.sqlite"), settings.store.synchronous, log);
  const bus = new GatewayBus();
  bus.onListenerError((event, err) => log.error({ event, err: String(err) }, "event listener failed"));
  const alerts = createAlertSink(store, bus);
  const disk = new DiskGuard(settings.dataDir === ":memory:" ? "." : settings.dataDir, settings.store.minFreeBytes, settings.store.diskCheckMs, opts.diskProbe, (active, free) => {
    if (active) log.error({ freeBytes: free, minFreeBytes: settings.store.minFreeBytes }, "DISK ALARM: free space low, new frames are not acked");
    else log.warn({ freeBytes: free }, "disk alarm cleared");
    bus.emit("disk-alarm", active, free);
  });
  disk.check();

  let deviceLink: DeviceLink | null = null;
  const downTaps = new Set<(topic: string, payload: Uint8Array) => void>();
  const publishDown = (t: string, p: Uint8Array) => {
    deviceLink?.publish(t, p);
    for (const tap of downTaps) {
      try {
        tap(t, p);
      } catch (err) {
        log.error({ err: String(err), topic: t }, "down-frame tap failed");
      }
    }
  };
  const downlink = new Downlink(store, nodeHashing, publishDown, log, settings.deviceConfig, opts.clock);
  // Ingest commits, status reports and relay settles run on a writer thread with its own
  // connection (an in-memory store has no second connection: inline there).
  const writer: StoreWriter = settings.dataDir === ":memory:"
    ? new InlineWriter(store)
    : new WorkerWriter(store, { file: join(settings.dataDir, "gateway.sqlite"), synchronous: settings.store.synchronous, cacheMiB: settings.store.cacheMiB, log });
  const ingest = new IngestPipeline({
    store, bus, hashing: nodeHashing, disk, log, nowSec: opts.clock, writer,
    sendAck: (d, upto) => downlink.sendAck(d, upto),
    batchWindowMs: settings.ingest.batchWindowMs,
    batchMaxFrames: settings.ingest.batchMaxFrames,
  });

  let platform: PlatformLink | null = null;
  const relay = new RelayEngine(settings.id, settings.platform, store, {
    publishUpload: (u) => (platform ? platform.publishUpload(u) : Promise.reject(new Error("no platform configured"))),
    publishAlert: (a) => (platform ? platform.publishAlert(a) : Promise.reject(new Error("no platform configured"))),
  }, bus, log);
  relay.useWriter(writer);

  bus.on("relay-queued", (records, runs, acks) => {
    relay.remember(records, runs, acks);
    relay.pump();
  });
  bus.on("alert-raised", () => relay.pump());
  bus.on("warn-list-changed", (codes) => downlink.broadcastWarn(codes));
  bus.on("device-connected", (d) => downlink.welcome(d));

  // Frames are taken once the writer can commit them at once (a thread that is slow to load
  // only delays the first commits: they wait in order).
  let readyTimer: NodeJS.Timeout | undefined;
  await Promise.race([writer.ready(), new Promise<void>((r) => (readyTimer = setTimeout(r, 30_000)))]);
  clearTimeout(readyTimer);

  let broker: EmbeddedBroker | null = null;
  let deviceBrokerUrl: string;
  const onFrame = (topic: string, payload: Uint8Array) => {
    ingest.handle(topic, payload).catch((err) => log.error({ err: String(err) }, "ingest failed"));
  };
  if (settings.devices.mode === "embedded") {
    broker = await startEmbeddedBroker({
      host: settings.devices.host, port: settings.devices.port, lookup: (id) => store.devices.get(id), hashing: nodeHashing, log,
      onDeviceConnected: (d) => bus.emit("device-connected", d),
      onAclDenied: (d, what) => {
        log.warn({ device: d, what }, "ACL denied");
        store.counters.add("frames.rejected.acl-denied");
        bus.emit("frame-rejected", "acl-denied", d);
      },
    });
    deviceBrokerUrl = broker.url;
    deviceLink = openDeviceLink({ url: broker.url, clientId: "vt-gw-" + settings.id, ...broker.internal, protocolVersion: 4 }, onFrame, log);
  } else {
    if (!settings.devices.url) throw new Error("devices.mode is external but devices.url is not set");
    deviceBrokerUrl = settings.devices.url;
    deviceLink = openDeviceLink({
      url: settings.devices.url, clientId: "vt-gw-" + settings.id + "-" + process.pid + "-" + Math.random().toString(16).slice(2, 8),
      username: settings.devices.username, password: settings.devices.password, tls: settings.devices.tls, sharedGroup: settings.devices.sharedGroup,
    }, onFrame, log);
  }
  await deviceLink.ready;

  if (settings.platform.url) {
    platform = openPlatformLink(settings.id, { ...settings.platform, url: settings.platform.url }, {
      onAck: (a) => relay.onAck(a),
      onOnline: (up) => relay.setOnline(up),
      onPresence: (online) => relay.setPresence(online === null ? "unknown" : online ? "online" : "offline"),
      onBadAck: () => store.counters.add("platform.bad-ack"),
    }, log);
  } else {
    log.warn("no platform URL configured: records wait in the outbox");
  }
  relay.start();
  const fraud = await startFraudService(settings, store, bus, log);

  const metrics = createMetrics(bus, store, disk, () => relay, opts.processMetrics ?? false);
  const live = () => ({ platformOnline: relay.isOnline, diskAlarm: disk.alarmActive, relayInFlight: relay.stats.inFlight });
  const dashboard = new Dashboard({ store, bus, log, live });
  dashboard.start();
  let http: { server: Server; port: number } | null = null;
  if (settings.http.enabled) {
    http = await startHttp(settings.http.host, settings.http.port, {
      store, registry: metrics, log, live,
      dashboard: (req, res, url) => dashboard.handle(req, res, url),
    });
  }

  const housekeeping = setInterval(() => {
    try {
      const n = store.applyRetention(settings.store.retentionDays, Math.floor(Date.now() / 1000));
      if (n) log.info({ deleted: n }, "retention: relayed records removed");
    } catch (err) {
      log.error({ err: String(err) }, "retention failed");
    }
  }, 3_600_000);
  housekeeping.unref();

  log.info({ id: settings.id, devices: deviceBrokerUrl, http: http?.port ?? null, platform: !!settings.platform.url }, "gateway started");
  let stopped = false;
  return {
    settings, store, bus, alerts, ingest, relay, downlink, metrics, disk, dashboard, fraud,
    ports: { devices: broker?.port ?? null, http: http?.port ?? null },
    deviceBrokerUrl,
    revokeDevice(id: string) {
      const ok = store.devices.revoke(id, Math.floor(Date.now() / 1000));
      broker?.disconnect(id);
      return ok;
    },
    tapDown(fn) {
      downTaps.add(fn);
      return () => downTaps.delete(fn);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(housekeeping);
      fraud.stop();
      dashboard.close();
      await deviceLink?.close().catch(() => undefined);
      ingest.drain();
      await relay.drain(2000);
      relay.stop();
      await writer.close();
      await platform?.close().catch(() => undefined);
      await broker?.close();
      if (http) {
        http.server.closeAllConnections();
        await new Promise<void>((r) => http!.server.close(() => r()));
      }
      await checkpointer?.stop();
      store.close();
      log.info("gateway stopped");
    },
  };
}
