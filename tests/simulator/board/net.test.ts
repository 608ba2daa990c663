// The ESP32's sockets are real TCP connections to the test broker, cut and restored by the
// host's link schedule.
import { EmulatedBoard } from "../../../simulator/src/board";
import { fixture } from "./helpers";

function broker(): { host: string; port: number } {
  const u = new URL(process.env.VT_TEST_BROKER_URL ?? "mqtt://127.0.0.1:1883");
  return { host: u.hostname, port: Number(u.port) };
}

function esp32(): EmulatedBoard {
  const b = new EmulatedBoard({ board: "esp32", seed: 3 });
  b.provision({ device: "d1", secret: "ab".repeat(32), institution: "H1", operator: "dr", mqtt: broker(), wifi: { ssid: "clinic", password: "pw" } });
  b.load(fixture("mqtt-ping.js"));
  return b;
}

const CONNACK = "rx:20020000";
const count = (b: EmulatedBoard, text: string) => b.events.ofKind("console").filter((e) => e.text === text).length;

describe("net through the real broker", () => {
  it("connects over TCP and gets the broker's CONNACK", async () => {
    const b = esp32();
    b.powerOn();
    expect(await b.advanceUntil(() => count(b, CONNACK) === 1, 10_000)).toBe(true);
    expect(b.events.consoleText()).toMatch(/wifi up\nconnected\nrx:20020000/);
    b.powerCut();
  });

  it("a link cut closes the socket; when the link returns the firmware reconnects", async () => {
    const b = esp32();
    b.powerOn();
    expect(await b.advanceUntil(() => count(b, CONNACK) === 1, 10_000)).toBe(true);
    b.setLinkUp(false);
    await b.advance(3000);
    expect(count(b, "closed")).toBeGreaterThanOrEqual(1);
    expect(count(b, "wifi down")).toBe(1);
    expect(count(b, CONNACK)).toBe(1); // nothing gets through while the link is down
    b.setLinkUp(true);
    expect(await b.advanceUntil(() => count(b, CONNACK) === 2, 15_000)).toBe(true);
    b.powerCut();
  });

  it("a cut in the middle of a packet delivers only its first bytes", async () => {
    const b = esp32();
    b.net!.cutAfterBytes(5); // CONNECT is 20 bytes: the broker sees a torn packet
    b.powerOn();
    await b.advance(3000);
    expect(b.net!.bytesOut).toBe(5);
    expect(count(b, CONNACK)).toBe(0);
    expect(count(b, "closed")).toBeGreaterThanOrEqual(1);
    b.powerCut();
  });

  it("a link schedule opens and closes windows in virtual time", async () => {
    const b = esp32();
    b.setLinkSchedule([{ fromMs: 2000, toMs: 60_000 }]);
    b.powerOn();
    await b.advance(1500);
    expect(b.events.ofKind("link").at(-1)).toMatchObject({ up: false });
    expect(await b.advanceUntil(() => count(b, CONNACK) === 1, 20_000)).toBe(true);
    b.powerCut();
  });
});
