// `npm run gateway -- <command>`: run the gateway and operate its store.
import { randomBytes } from "node:crypto";
import { Command, InvalidArgumentError } from "commander";
import { fromHex } from "../../../protocol/src/crypto/bytes";
import { nodeHashing } from "../../../protocol/src/node/hashing";
import { startGateway } from "../app";
import { serialportOpener, startUsbBridges } from "../bridge/index";
import { loadSettings } from "../config/load";
import type { GatewaySettings, SettingsPatch } from "../config/settings";
import { writeMosquittoFiles } from "../devices/mosquitto-files";
import { fraudModelDir } from "../fraud/service";
import { trainFromStore } from "../fraud/train-store";
import { createLogger } from "../log/logger";
import { publicDevice } from "../store/devices";
import type { SeqSpan } from "../store/outbox";
import { GatewayStore } from "../store/store";
import { statusSummary } from "../status/summary";
import { onStopSignal } from "./stop-signals";

const program = new Command("gateway").description("village-trace county gateway").option("-c, --config <file>", "JSON settings file").option("-d, --data-dir <dir>", "data directory (default ./.data/gateway)");

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("not a non-negative integer");
  return n;
}

function settings(flags: SettingsPatch = {}): GatewaySettings {
  const g = program.opts<{ config?: string; dataDir?: string }>();
  return loadSettings({ file: g.config, flags: { ...flags, ...(g.dataDir ? { dataDir: g.dataDir } : {}) } });
}

function withStore<T>(fn: (store: GatewayStore, s: GatewaySettings) => T): T {
  const s = settings();
  const store = GatewayStore.open(s.dataDir, s.store.synchronous);
  try {
    return fn(store, s);
  } finally {
    store.close();
  }
}

const now = () => Math.floor(Date.now() / 1000);

program
  .command("start")
  .description("run the gateway until SIGINT/SIGTERM")
  .option("--devices-port <port>", "embedded broker port", intArg)
  .option("--devices-url <url>", "attach to an external device broker instead of the embedded one")
  .option("--shared-group <name>", "MQTT 5 shared-subscription group (external broker)")
  .option("--platform-url <url>", "platform broker URL")
  .option("--http-port <port>", "operations HTTP port", intArg)
  .option("--usb <ports>", "serial ports of USB-attached boards, comma-separated (e.g. /dev/ttyACM0,/dev/ttyACM1)")
  .action(async (o: { devicesPort?: number; devicesUrl?: string; sharedGroup?: string; platformUrl?: string; httpPort?: number; usb?: string }) => {
    const flags: SettingsPatch = {};
    if (o.devicesUrl) flags.devices = { mode: "external", url: o.devicesUrl, sharedGroup: o.sharedGroup };
    else if (o.devicesPort !== undefined) flags.devices = { port: o.devicesPort };
    if (o.platformUrl) flags.platform = { url: o.platformUrl };
    if (o.httpPort !== undefined) flags.http = { port: o.httpPort };
    const s = settings(flags);
    const log = createLogger(s.log.level);
    // Before the gateway starts, so a missing serialport package fails fast with its own message.
    const usbPaths = (o.usb ?? "").split(",").map((p) => p.trim()).filter((p) => p.length > 0);
    const opener = usbPaths.length ? serialportOpener() : undefined;
    const gw = await startGateway(s, { logger: log, processMetrics: true });
    const usb = opener ? startUsbBridges(gw, usbPaths, log, opener) : null;
    if (usb) log.info({ ports: usbPaths }, "usb bridges started");
    log.info({ ready: true, devicesUrl: gw.deviceBrokerUrl, devicesPort: gw.ports.devices, httpPort: gw.ports.http }, "gateway ready");
    onStopSignal((signal) => {
      log.info({ signal }, "shutting down: draining in-flight work");
      (usb ? usb.stop() : Promise.resolve()).then(() => gw.stop()).then(() => process.exit(0), (err) => {
        log.error({ err: String(err) }, "shutdown failed");
        process.exit(1);
      });
    });
  });

const devices = program.command("devices").description("provision and revoke scanner boards");

devices
  .command("add <id>")
  .description("provision a board")
  .option("--secret <hex>", "the board's 32-byte secret, hex")
  .option("--generate", "generate a secret and print it once")
  .requiredOption("--institution <code>", "designated institution code")
  .requiredOption("--operator <name>", "operator name on the sales")
  .action((id: string, o: { secret?: string; generate?: boolean; institution: string; operator: string }) => {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new InvalidArgumentError("device id must be 1..64 of [A-Za-z0-9._-]");
    if (!!o.secret === !!o.generate) throw new InvalidArgumentError("give exactly one of --secret or --generate");
    const secret = o.secret ? fromHex(o.secret.toLowerCase()) : new Uint8Array(randomBytes(32));
    if (!secret || secret.length < 16) throw new InvalidArgumentError("--secret must be at least 16 bytes of hex");
    withStore((store) => {
      if (store.devices.get(id)) throw new Error(`device ${id} already exists`);
      store.devices.add({ id, secret, institution: o.institution, operator: o.operator }, now());
    });
    // The secret is shown once, for flashing the board; it is never logged.
    if (o.generate) console.log(JSON.stringify({ id, secret: Buffer.from(secret).toString("hex") }));
    else console.log(JSON.stringify({ id, added: true }));
  });

devices
  .command("list")
  .description("list boards (never their secrets)")
  .action(() => withStore((store) => console.log(JSON.stringify(store.devices.list().map(publicDevice), null, 2))));

devices
  .command("revoke <id>")
  .description("revoke a board: its logins and frames are refused from now on")
  .action((id: string) =>
    withStore((store) => {
      if (!store.devices.revoke(id, now())) throw new Error(`device ${id} not found or already revoked`);
      console.log(JSON.stringify({ id, revoked: true }));
    }),
  );

devices
  .command("export-mosquitto")
  .description("write a Mosquitto password file and ACL file for the active boards")
  .requiredOption("--password-file <path>")
  .requiredOption("--acl-file <path>")
  .option("--gateway-user <name>", "the gateway's broker user", "vt-gateway")
  .requiredOption("--gateway-password <password>", "the gateway's broker password")
  .action((o: { passwordFile: string; aclFile: string; gatewayUser: string; gatewayPassword: string }) =>
    withStore((store) => {
      const list = store.devices.list();
      writeMosquittoFiles(list, nodeHashing, { user: o.gatewayUser, password: o.gatewayPassword }, { passwordFile: o.passwordFile, aclFile: o.aclFile });
      console.log(JSON.stringify({ devices: list.filter((d) => d.status === "active").length, passwordFile: o.passwordFile, aclFile: o.aclFile }));
    }),
  );

program
  .command("status")
  .description("counts, backlog, alerts and devices")
  .action(() => withStore((store) => console.log(JSON.stringify(statusSummary(store), null, 2))));

program
  .command("replay")
  .description("queue stored records for the platform again (the platform stores each key once)")
  .option("--device <id>")
  .option("--from-seq <n>", "first seq", intArg)
  .option("--to-seq <n>", "last seq", intArg)
  .option("--from-time <iso>", "earliest event time (ISO 8601)")
  .option("--to-time <iso>", "latest event time (ISO 8601)")
  .action((o: { device?: string; fromSeq?: number; toSeq?: number; fromTime?: string; toTime?: string }) => {
    const toSec = (iso: string | undefined) => {
      if (iso === undefined) return undefined;
      const ms = Date.parse(iso);
      if (Number.isNaN(ms)) throw new InvalidArgumentError(`not a time: ${iso}`);
      return Math.floor(ms / 1000);
    };
    if ((o.fromSeq !== undefined || o.toSeq !== undefined) && !o.device) throw new InvalidArgumentError("a seq range needs --device");
    withStore((store) => {
      const records = store.records.query({ device: o.device, fromSeq: o.fromSeq, toSeq: o.toSeq, fromTime: toSec(o.fromTime), toTime: toSec(o.toTime), limit: Number.MAX_SAFE_INTEGER });
      // Consecutive seqs of a device become one outbox run.
      const spans: SeqSpan[] = [];
      for (const r of [...records].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : a.seq - b.seq))) {
        const last = spans.at(-1);
        if (last && last.device === r.device && r.seq === last.to + 1) last.to = r.seq;
        else spans.push({ device: r.device, from: r.seq, to: r.seq });
      }
      store.transaction(() => store.outbox.enqueueSpans(spans));
      console.log(JSON.stringify({ requeued: records.length }));
    });
  });

const model = program.command("model").description("the fraud model");
model
  .command("train")
  .description("train the clinic-day and doctor-day models on stored records; the running gateway loads them at start")
  .option("--days <n>", "days of records to learn from", intArg, 28)
  .action(async (o: { days: number }) => {
    const s = settings();
    const store = GatewayStore.open(s.dataDir, s.store.synchronous);
    try {
      const out = await trainFromStore(store, { days: o.days, dir: fraudModelDir(s), catalogueFile: s.fraud.catalogueFile, progress: (done, total, note) => process.stderr.write(`[${done}/${total}] ${note}\n`) });
      console.log(JSON.stringify(out, null, 2));
    } finally {
      store.close();
    }
  });

program.parseAsync(process.argv).catch((err) => {
  console.error("error: " + (err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
