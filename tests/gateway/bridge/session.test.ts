// The USB bridge session against a real in-process gateway (external mode on the test
// broker): the board side is played with strings, split anywhere and mixed with noise.
import { startGateway, type GatewayHandle } from "../../../gateway/src/app";
import { startUsbBridges, bridgeGateway, SerialBridgeSession, type RawPort } from "../../../gateway/src/bridge/index";
import { silentLogger } from "../../../gateway/src/log/logger";
import { decodeDown } from "../../../protocol/src/frame/decode-down";
import { nodeHashing } from "../../../protocol/src/node/hashing";
import type { DownFrame } from "../../../protocol/src/frame/types";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf, tempDir, waitFor } from "../helpers";
import { EventEmitter } from "node:events";

const brokerUrl = process.env.VT_TEST_BROKER_URL!;
const log = silentLogger();

/** The host's writes as parsed down frames (and the raw lines, for the probes). */
class HostOut {
  lines: string[] = [];
  private partial = "";
  write = (s: string) => {
    const parts = (this.partial + s).split("\n");
    this.partial = parts.pop()!;
    this.lines.push(...parts);
  };
  downFrames(device: string): DownFrame[] {
    const out: DownFrame[] = [];
    for (const l of this.lines) {
      if (!l.startsWith("VT<")) continue;
      const r = decodeDown(new Uint8Array(Buffer.from(l.slice(3), "base64")), secretOf(device), nodeHashing);
      if (r.ok) out.push(r.value);
    }
    return out;
  }
  acks(device: string): number[] {
    return this.downFrames(device).flatMap((f) => (f.type === 2 ? [f.ack.upto] : []));
  }
}

/** Sends `s` in pieces of 1..7 bytes, as a USB CDC read loop might deliver it. */
function pushSplit(session: SerialBridgeSession, s: string, seed: number): void {
  let x = seed;
  for (let at = 0; at < s.length; ) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (x % 7);
    session.push(s.slice(at, at + n));
    at += n;
  }
}

const upLine = (bytes: Uint8Array) => "VT>" + Buffer.from(bytes).toString("base64") + "\r\n";

describe("SerialBridgeSession", () => {
  let gw: GatewayHandle;
  const id = "gw-usb-" + process.pid;
  beforeAll(async () => {
    const dataDir = tempDir("vt-usb-");
    gw = await startGateway({ id, dataDir, devices: { mode: "external", url: brokerUrl }, http: { enabled: false } }, { logger: log });
    for (const d of ["usb-a", "usb-b", "usb-c"]) gw.store.devices.add({ id: d, secret: secretOf(d), institution: "H-" + d, operator: "op" }, T0);
  });
  afterAll(async () => {
    await gw.stop();
  });

  function attach(): { s: SerialBridgeSession; out: HostOut; untap: () => void } {
    const out = new HostOut();
    const s = new SerialBridgeSession("/dev/test", out.write, bridgeGateway(gw, log), log);
    const untap = gw.tapDown((t, f) => s.down(t, f));
    return { s, out, untap };
  }

  it("attaches on hello, gets the welcome, ingests split frames through noise and sends the acks back", async () => {
    const { s, out, untap } = attach();
    s.probe();
    expect(out.lines).toEqual(["VT?"]);
    pushSplit(s, "garbage from the console >\r\n\x00\xff\nVT!usb-a\r\n", 1);
    expect(s.device).toBe("usb-a");
    await waitFor(() => out.downFrames("usb-a").some((f) => f.type === 3), 5000, "welcome command");
    const f1 = bytesOf(frameOf("usb-a", [dispense(1, cn20(501)), dispense(2, cn20(502))]));
    const f2 = bytesOf(frameOf("usb-a", [dispense(3, cn20(503))]));
    pushSplit(s, "noise\n" + upLine(f1) + "half a line VT>AAA\nVT>AAA\nVT>###\n" + upLine(f2), 2);
    await waitFor(() => out.acks("usb-a").includes(3), 5000, "ack up to 3 " + JSON.stringify({ c: s.counts, acks: out.acks("usb-a"), stored: gw.store.records.ackedUpto("usb-a"), counters: gw.store.counters.all() }));
    expect(gw.store.records.ackedUpto("usb-a")).toBe(3);
    expect(s.counts.upFrames).toBe(2);
    expect(s.counts.bad).toBe(2); // "VT>AAA" (not whole base64 quads) and "VT>###"; "half a line ..." is not ours
    expect(s.counts.ignored).toBeGreaterThanOrEqual(2);
    // A retransmission is deduped by the gateway and acked again.
    s.push(upLine(f2));
    await waitFor(() => out.acks("usb-a").filter((u) => u === 3).length >= 2, 5000, "second ack");
    expect(gw.store.records.ackedUpto("usb-a")).toBe(3);
    // Another device's down frames never go down this line.
    gw.downlink.sendAck("usb-b", 7);
    expect(out.downFrames("usb-b")).toEqual([]);
    untap();
  });

  it("ignores an unknown device and frames before any hello", async () => {
    const { s, out, untap } = attach();
    s.push("VT!stranger\n");
    expect(s.device).toBeNull();
    expect(s.counts.unknownDevice).toBe(1);
    s.push(upLine(bytesOf(frameOf("stranger", [dispense(1, cn20(9))]))));
    expect(s.counts.unattached).toBe(1);
    expect(out.lines.filter((l) => l === "VT?")).toHaveLength(1); // asks who it is again
    s.push("VT!bad id with spaces\n");
    expect(s.counts.bad).toBe(1);
    untap();
  });

  it("a forged frame goes through the ingest checks and is refused: no record, no ack", async () => {
    const { s, out, untap } = attach();
    s.push("VT!usb-c\n");
    const before = gw.store.counters.all();
    // usb-b's frame sealed with usb-b's key, arriving on usb-c's line: the topic decides the key.
    s.push(upLine(bytesOf(frameOf("usb-b", [dispense(1, cn20(777))]))));
    // usb-c's frame sealed with a wrong key.
    s.push(upLine(bytesOf(frameOf("usb-c", [dispense(1, cn20(778))]), secretOf("someone-else"))));
    await waitFor(() => {
      const after = gw.store.counters.all();
      const sum = (c: Record<string, number>) => Object.entries(c).filter(([k]) => k.startsWith("frames.rejected.")).reduce((a, [, v]) => a + v, 0);
      return sum(after) - sum(before) === 2;
    }, 5000, "two rejections");
    expect(gw.store.records.ackedUpto("usb-c")).toBe(0);
    expect(gw.store.records.ackedUpto("usb-b")).toBe(0);
    expect(out.acks("usb-c")).toEqual([]);
    untap();
  });

  it("drops an endless line without growing and recovers at the next newline", () => {
    const { s, untap } = attach();
    for (let i = 0; i < 200; i++) s.push("VT>" + "A".repeat(1000));
    s.push("\nVT!usb-a\n");
    expect(s.counts.bad).toBe(1);
    expect(s.device).toBe("usb-a");
    untap();
  });
});

/** A serialport-shaped fake: opens on the next tick, records writes. */
class FakePort extends EventEmitter implements RawPort {
  isOpen = false;
  written = "";
  constructor() {
    super();
    setImmediate(() => {
      this.isOpen = true;
      this.emit("open");
    });
  }
  write(b: Buffer): boolean {
    this.written += b.toString("latin1");
    return true;
  }
  close(cb?: (err: Error | null) => void): void {
    this.isOpen = false;
    this.emit("close");
    cb?.(null);
  }
}

describe("startUsbBridges", () => {
  it("probes on open, bridges a board and reopens after an unplug", async () => {
    const gw = await startGateway({ id: "gw-usb2-" + process.pid, dataDir: tempDir("vt-usb2-"), devices: { mode: "external", url: brokerUrl }, http: { enabled: false } }, { logger: log });
    gw.store.devices.add({ id: "usb-d", secret: secretOf("usb-d"), institution: "H", operator: "op" }, T0);
    const ports: FakePort[] = [];
    const usb = startUsbBridges(gw, ["/dev/fake0"], log, () => {
      const p = new FakePort();
      ports.push(p);
      return p;
    }, { probeMs: 50, reopenMs: 30 });
    try {
      await waitFor(() => ports.length === 1 && ports[0].written.includes("VT?\n"), 5000, "probe");
      ports[0].emit("data", Buffer.from("VT!usb-d\n" + upLine(bytesOf(frameOf("usb-d", [dispense(1, cn20(4242))]))), "latin1"));
      await waitFor(() => gw.store.records.ackedUpto("usb-d") === 1 && ports[0].written.split("VT<").length >= 3, 5000, "stored and acked");
      ports[0].close(); // unplugged
      expect(usb.bridges[0].session.device).toBeNull();
      await waitFor(() => ports.length === 2 && usb.bridges[0].opens === 2, 5000, "reopened");
    } finally {
      await usb.stop();
      await gw.stop();
    }
  });
});
