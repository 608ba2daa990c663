// The Pico's side (journal, sync engine, SerialLink) wired through an in-memory USB line to
// the bridge and a real gateway: every record arrives once, the journal advances only on
// the gateway's acks, and the welcome command sets the board's clock.
import { Journal } from "../../../firmware/src/journal/journal";
import { SyncEngine } from "../../../firmware/src/sync/sync-engine";
import { Backoff } from "../../../firmware/src/sync/backoff";
import { DeviceStateFile } from "../../../firmware/src/sync/device-state";
import { WarnList } from "../../../firmware/src/store/warn-list";
import { SerialLink } from "../../../firmware/src/link/serial";
import { startGateway } from "../../../gateway/src/app";
import { SerialBridgeSession, bridgeGateway } from "../../../gateway/src/bridge/index";
import { silentLogger } from "../../../gateway/src/log/logger";
import { nodeHashing } from "../../../protocol/src/node/hashing";
import { EV_CLOSE, EV_DISPENSE, EV_OPEN, OPEN_BY_RX } from "../../../protocol/src/record";
import { FakeFlash, crc32Str, seeded } from "../../firmware/logic/fake-flash";
import { T0, secretOf, tempDir, waitFor } from "../helpers";

const brokerUrl = process.env.VT_TEST_BROKER_URL!;

test("a board's journal syncs over the USB line: all records stored once, acks advance the journal", async () => {
  const log = silentLogger();
  const gw = await startGateway({ id: "gw-usbe2e-" + process.pid, dataDir: tempDir("vt-usbe2e-"), devices: { mode: "external", url: brokerUrl }, http: { enabled: false } }, { logger: log });
  const device = "pico-e2e";
  gw.store.devices.add({ id: device, secret: secretOf(device), institution: "H1", operator: "dr" }, T0);
  const uptime = 0; // the board's clock stands still: every record shares one uptime
  let shift = 0;
  const clock = { uptime: () => uptime, now: () => uptime + shift, setTime: (t: number) => { shift = t - uptime; } };
  const timers = { after: (ms: number, fn: () => void) => setTimeout(fn, ms) as unknown as number, cancel: (id: number) => clearTimeout(id as unknown as NodeJS.Timeout) };
  const flash = new FakeFlash(64 * 1024);
  const journal = new Journal(flash, { prefix: "vtj", pages: 4, pageSize: 1024, crc32: crc32Str, ackPersistEvery: 8 });
  journal.open();
  journal.markBoot(clock.now(), clock.uptime());
  for (let s = 0; s < 12; s++) {
    journal.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX" + (200000 + s) }, uptime);
    for (let b = 0; b < 4; b++) journal.append({ event: EV_DISPENSE, code: "8385793" + String(s * 10 + b + 1).padStart(13, "0") }, uptime);
    journal.append({ event: EV_CLOSE }, uptime);
  }
  const total = journal.lastSeq;

  // The USB line: board writes go to the bridge and back, in odd-sized chunks, asynchronously.
  let toBoard: (s: string) => void = () => {};
  const chop = (s: string, deliver: (p: string) => void) => {
    for (let i = 0; i < s.length; i += 13) {
      const p = s.slice(i, i + 13);
      setImmediate(() => deliver(p));
    }
  };
  const link = new SerialLink({ device, silence: 50, maxLine: 6000 }, {
    onData: (fn) => { toBoard = fn; },
    write: (s) => chop(s, (p) => session.push(p)),
    claim: () => {},
  }, clock.uptime);
  const session: SerialBridgeSession = new SerialBridgeSession("/dev/mem", (s) => chop(s, (p) => toBoard(p)), bridgeGateway(gw, log), log);
  const untap = gw.tapDown((t, f) => session.down(t, f));
  const warn = new WarnList(flash, crc32Str);
  warn.load();
  const sync = new SyncEngine(
    { device, key: secretOf(device), hashing: nodeHashing, batchMax: 20, ackTimeout: 30, maxDrift: 5 },
    { journal, link, clock, timers, backoff: new Backoff(1000, 60000, seeded(3)), state: new DeviceStateFile(flash, crc32Str), applyConfig: () => {}, applyWarnList: (k, r) => warn.apply(k, r), log: () => {} },
  );
  try {
    sync.start();
    session.probe();
    await waitFor(() => journal.acked === total, 10_000, "journal acked to " + total);
    expect(session.device).toBe(device);
    expect(gw.store.records.ackedUpto(device)).toBe(total);
    expect(sync.counts.framesSent).toBeGreaterThanOrEqual(Math.ceil(total / 20));
    expect(sync.counts.badFrames).toBe(0);
    expect(sync.clockSet).toBe(true); // the welcome command's time
    expect(Math.abs(clock.now() - Date.now() / 1000)).toBeLessThan(5);
  } finally {
    sync.stop();
    untap();
    await gw.stop();
  }
});
