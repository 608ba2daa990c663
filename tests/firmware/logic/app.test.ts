// The whole firmware on a fake board: UART chunks in, LEDs/buzzer/display out, flash kept
// across "reboots", and (for the networked board) sync through the real MQTT broker.
import mqtt from "mqtt";
import { startFirmware, firmwareStatus, type Firmware } from "../../../firmware/src/app";
import type { Hal } from "../../../firmware/src/hal/hal";
import { startMqttSync } from "../../../firmware/src/sync/start-mqtt-sync";
import { nodeHashing, decodeBatch, encodeAck } from "../../../protocol/src/node/index";
import { deviceUp, deviceDown } from "../../../protocol/src/topics";
import { EV_OPEN, EV_DISPENSE, EV_CLOSE } from "../../../protocol/src/record";
import { FakeFlash, crc32Str } from "./fake-flash";
import { nodeSockets } from "./node-socket";

const SECRET = "0f".repeat(32);
const VOUCHER = "Qm9vdGVkVm91Y2hlclRva2VuRm9yVGVzdGluZzEyMzQ1Njc4"; // 48 base64-ish chars
const BOX = "83857930000879766660";

function board(flash: FakeFlash, withNet: boolean) {
  const uart: ((s: string) => void)[] = [];
  const button: ((ms: number) => void)[] = [];
  const leds: string[] = [];
  const shown: string[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const t0 = Date.now();
  let shift = 0;
  const hal: Hal = {
    board: withNet ? "esp32" : "pico",
    flash,
    uart: { onData: (h) => uart.push(h) },
    leds: { set: (r, g) => leds.push((r ? "R" : "-") + (g ? "G" : "-")) },
    buzzer: { tone: () => {} },
    button: { onPress: (h) => button.push(h) },
    display: { show: (a, b) => shown.push(a + "|" + b) },
    clock: {
      now: () => (Date.now() - t0) / 1000 + shift,
      uptime: () => (Date.now() - t0) / 1000,
      setTime: (t) => { shift = t - (Date.now() - t0) / 1000; },
    },
    timers: {
      after: (ms, fn) => { const id = setTimeout(() => { timers.delete(id); fn(); }, ms); timers.add(id); return id as unknown as number; },
      cancel: (id) => { clearTimeout(id as unknown as ReturnType<typeof setTimeout>); timers.delete(id as unknown as ReturnType<typeof setTimeout>); },
    },
    random: { u32: () => Math.floor(Math.random() * 2 ** 32) },
    hashing: nodeHashing,
    crc32Str,
    net: withNet ? nodeSockets(3) : null,
    geometry: { pages: 4, pageSize: 2048, historySize: 256 },
    log: () => {},
    memoryUsage: () => 0,
  };
  return {
    hal, leds, shown,
    type: (s: string) => { for (let i = 0; i < s.length; i += 5) uart[0](s.substr(i, 5)); },
    press: (ms: number) => button[0](ms),
    stop: () => { for (const t of timers) clearTimeout(t); timers.clear(); },
  };
}

function provision(flash: FakeFlash, device: string, broker?: string) {
  const cfg: Record<string, unknown> = { device, secret: SECRET, institution: "H51010500001", operator: "dr-li" };
  if (broker) {
    const u = new URL(broker);
    cfg.mqtt = { host: u.hostname, port: Number(u.port) };
  }
  flash.writeJSON("vtcfg", cfg);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("firmware on a fake board", () => {
  test("refuses to run unprovisioned, with a red signal", () => {
    const b = board(new FakeFlash(64 * 1024), false);
    expect(startFirmware(b.hal)).toBeNull();
    expect(b.leds[0]).toBe("R-");
    expect(b.shown[0]).toContain("Not provisioned");
    b.stop();
  });

  test("scans over the UART make a session; a reboot resumes it from flash", () => {
    const flash = new FakeFlash(64 * 1024);
    provision(flash, "vc-app-1");
    const b = board(flash, false);
    const fw = startFirmware(b.hal) as Firmware;
    b.type(VOUCHER + "\r\n");
    expect(b.shown.at(-1)).toMatch(/^Patient open/);
    b.type(BOX + "\r");
    expect(b.shown.at(-1)).toMatch(/^OK\|/);
    b.type("6901234567892\n");
    expect(b.shown.at(-1)).toMatch(/^Not a trace code\|.+/);
    expect(fw.journal.lastSeq).toBe(2);
    b.stop();

    const b2 = board(flash, false);
    const fw2 = startFirmware(b2.hal) as Firmware;
    expect(fw2.counter.session).toBe(1);
    b2.type(BOX + "\r\n");
    expect(b2.shown.at(-1)).toMatch(/^Already scanned/);
    b2.press(100);
    expect(b2.shown.at(-1)).toMatch(/^Patient closed/);
    const events: number[] = [];
    fw2.journal.read(1, 100, (r) => { events.push(r.event); });
    expect(events).toEqual([EV_OPEN, EV_DISPENSE, EV_CLOSE]);
    expect(firmwareStatus(fw2, b2.hal)).toMatch(/^seq 3 acked 0 free \d+% boot 2/);
    b2.stop();
  });

  test("the networked board syncs through the broker until the gateway acks everything", async () => {
    const url = process.env.VT_TEST_BROKER_URL!;
    const device = "vc-app-" + process.pid;
    const key = Buffer.from(SECRET, "hex");
    const gw = mqtt.connect(url, { clientId: "gw-app-" + process.pid });
    const stored = new Set<number>();
    gw.on("message", (_t, m) => {
      const r = decodeBatch(new Uint8Array(m), (d) => (d === device ? key : null), nodeHashing);
      if (!r.ok) throw new Error(r.reason);
      for (const rec of r.value.records) stored.add(rec.seq);
      let upto = 0;
      while (stored.has(upto + 1)) upto++;
      gw.publish(deviceDown(device), Buffer.from(encodeAck({ device, upto, time: 1_760_000_000 }, key, nodeHashing)), { qos: 1 });
    });
    await new Promise<void>((res) => gw.on("connect", () => gw.subscribe(deviceUp(device), { qos: 1 }, () => res())));
    const flash = new FakeFlash(64 * 1024);
    provision(flash, device, url);
    const b = board(flash, true);
    try {
      const fw = startFirmware(b.hal, startMqttSync) as Firmware;
      b.type(VOUCHER + "\n");
      for (let i = 0; i < 5; i++) b.type("8385793000087976666" + i + "\n");
      b.press(100);
      const end = Date.now() + 8000;
      while (fw.journal.acked < 7 && Date.now() < end) await sleep(20);
      expect(fw.journal.acked).toBe(7);
      expect([...stored].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(fw.sync!.clockSet).toBe(true);
      fw.stop();
    } finally {
      b.stop();
      gw.end(true);
    }
  });
});
