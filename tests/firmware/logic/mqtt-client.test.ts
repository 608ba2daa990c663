import mqtt from "mqtt";
import { MqttLink, type MqttOptions } from "../../../firmware/src/link/mqtt/client";
import type { Socket, SocketFactory, SocketHandlers } from "../../../firmware/src/hal/net";
import { deviceUp, deviceDown } from "../../../protocol/src/topics";
import { nodeSockets } from "./node-socket";
import { seeded } from "./fake-flash";

const URL_ = process.env.VT_TEST_BROKER_URL!;

function options(device: string, over: Partial<MqttOptions> = {}): MqttOptions {
  const u = new URL(URL_);
  return {
    host: u.hostname, port: Number(u.port), clientId: device, username: device, password: "ab".repeat(32),
    upTopic: deviceUp(device), downTopic: deviceDown(device),
    keepAlive: 2, resendAfter: 5, connectTimeout: 5, maxPacketBytes: 8192, ...over,
  };
}

/** An MQTT PUBLISH as the broker sends it (QoS 0 has no packet id). */
function publish(topic: string, payload: string, qos: number, id: number): string {
  const body = String.fromCharCode(topic.length >> 8, topic.length & 255) + topic + (qos ? String.fromCharCode(id >> 8, id & 255) : "") + payload;
  let len = "";
  let n = body.length;
  do {
    len += String.fromCharCode(n > 127 ? (n & 127) | 128 : n);
    n >>= 7;
  } while (n);
  return String.fromCharCode(0x30 | (qos << 1)) + len + body;
}

/** A link over a socket the test drives, taken through CONNACK and SUBACK. */
function fakeBroker(device: string, over: Partial<MqttOptions> = {}, now = () => 0) {
  const written: string[] = [];
  const events: string[] = [];
  const frames: Uint8Array[] = [];
  let h!: SocketHandlers;
  const fake: SocketFactory = {
    connect(_host: string, _port: number, handlers: SocketHandlers): Socket {
      h = handlers;
      return { write: (d) => written.push(d), end: () => {} };
    },
  };
  const link = new MqttLink({ host: "broker", port: 1883, clientId: device, username: device, password: "ab".repeat(32), upTopic: deviceUp(device), downTopic: deviceDown(device), keepAlive: 60, resendAfter: 5, connectTimeout: 5, maxPacketBytes: 8192, ...over }, fake, now);
  link.setHandlers({ onUp: () => events.push("up"), onDown: (r) => events.push("down:" + r), onFrame: (f) => frames.push(f) });
  link.connect();
  h.onConnect();
  h.onData("\u0020\u0002\u0000\u0000"); // CONNACK accepted
  const subId = (written[1].charCodeAt(2) << 8) | written[1].charCodeAt(3);
  h.onData(String.fromCharCode(0x90, 3, subId >> 8, subId & 255, 1));
  return { link, h, written, events, frames };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(10);
  }
}

describe("board MQTT client", () => {
  test("packets split anywhere are reassembled; an oversized one drops the connection", () => {
    const rnd = seeded(3);
    const device = "vc-split";
    const payloads = [0, 1, 127, 128, 300, 5000].map((n) => String.fromCharCode(...Array.from({ length: n }, (_, i) => (i * 7) & 255)));
    for (let run = 0; run < 200; run++) {
      const f = fakeBroker(device, { maxPacketBytes: 8192 });
      // a QoS 0 publish on another topic in between is ignored
      const stream = payloads.map((p, i) => publish(deviceDown(device), p, 1, i + 1) + (i === 2 ? publish("vt/v1/other", "x", 0, 0) : "")).join("");
      let at = 0;
      while (at < stream.length) {
        const n = 1 + Math.floor(rnd() * 20);
        f.h.onData(stream.substr(at, n));
        at += n;
      }
      expect(f.frames.map((b) => String.fromCharCode(...b))).toEqual(payloads);
      // every QoS 1 publish was acknowledged with its id
      expect(f.written.slice(2).map((w) => w.charCodeAt(0) + ":" + ((w.charCodeAt(2) << 8) | w.charCodeAt(3)))).toEqual(payloads.map((_, i) => "64:" + (i + 1)));
      expect(f.events).toEqual(["up"]);
    }
    const big = fakeBroker(device, { maxPacketBytes: 100 });
    big.h.onData(publish(deviceDown(device), "x".repeat(200), 0, 0).substr(0, 5));
    expect(big.events).toEqual(["up", "down:protocol error: packet of 225 bytes is too large"]);
    expect(big.frames).toEqual([]);
  });

  test("connects, subscribes, publishes binary QoS 1 frames and receives down frames split byte by byte", async () => {
    const device = "vc-mqtt-" + process.pid;
    const gw = mqtt.connect(URL_, { clientId: "gw-" + process.pid });
    const received: Buffer[] = [];
    gw.on("message", (_t, m) => received.push(m));
    await new Promise<void>((res) => gw.on("connect", () => gw.subscribe(deviceUp(device), { qos: 1 }, () => res())));
    const t0 = Date.now();
    const link = new MqttLink(options(device), nodeSockets(1), () => (Date.now() - t0) / 1000);
    const frames: Uint8Array[] = [];
    const events: string[] = [];
    link.setHandlers({ onUp: () => events.push("up"), onDown: (r) => events.push("down:" + r), onFrame: (f) => frames.push(f) });
    const ticker = setInterval(() => link.tick(), 200);
    try {
      link.connect();
      await until(() => events.includes("up"));
      const payload = new Uint8Array(3000).map((_, i) => (i * 31 + 7) & 255);
      expect(link.send(payload)).toBe(true);
      await until(() => received.length === 1);
      expect(Buffer.compare(received[0], Buffer.from(payload))).toBe(0);
      const down = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      gw.publish(deviceDown(device), down, { qos: 1 });
      await until(() => frames.length === 1);
      expect(Buffer.compare(Buffer.from(frames[0]), down)).toBe(0);
      // Idle for longer than the keep-alive: pings keep the connection up (the link drops a
      // broker silent for 1.5 x keep-alive, and the broker a client silent as long).
      await sleep(3500);
      expect(events).toEqual(["up"]);
      link.close();
      expect(events).toEqual(["up"]);
      expect(link.send(payload)).toBe(false);
    } finally {
      clearInterval(ticker);
      gw.end(true);
    }
  });

  test("an unreachable broker reports down once", async () => {
    const link = new MqttLink(options("vc-x", { port: 1 }), nodeSockets(), () => 0);
    const events: string[] = [];
    link.setHandlers({ onUp: () => events.push("up"), onDown: () => events.push("down"), onFrame: () => {} });
    link.connect();
    await until(() => events.length > 0);
    await sleep(50);
    expect(events).toEqual(["down"]);
  });

  test("a publish without PUBACK goes again with DUP; a silent broker is dropped", () => {
    let now = 0;
    const written: string[] = [];
    let h!: SocketHandlers;
    const fake: SocketFactory = {
      connect(_host: string, _port: number, handlers: SocketHandlers): Socket {
        h = handlers;
        return { write: (d) => written.push(d), end: () => {} };
      },
    };
    const link = new MqttLink(options("vc-f", { keepAlive: 60, resendAfter: 5 }), fake, () => now);
    const events: string[] = [];
    link.setHandlers({ onUp: () => events.push("up"), onDown: (r) => events.push("down:" + r), onFrame: () => {} });
    link.connect();
    h.onConnect();
    expect(written[0].charCodeAt(0)).toBe(0x10);
    h.onData("\u0020\u0002\u0000\u0000"); // CONNACK accepted
    expect(written[1].charCodeAt(0)).toBe(0x82);
    const subId = (written[1].charCodeAt(2) << 8) | written[1].charCodeAt(3);
    h.onData(String.fromCharCode(0x90, 3, subId >> 8, subId & 255, 1));
    expect(events).toEqual(["up"]);
    link.send(new Uint8Array([1, 2, 3]));
    const pub = written[2];
    expect(pub.charCodeAt(0)).toBe(0x32);
    now = 5;
    link.tick();
    expect(written[3].charCodeAt(0)).toBe(0x3a); // DUP set
    expect(written[3].substr(2)).toBe(pub.substr(2));
    const id = pub.substr(2 + 2 + deviceUp("vc-f").length, 2);
    h.onData(String.fromCharCode(0x40, 2) + id);
    now = 10;
    link.tick();
    expect(written.length).toBe(4); // acknowledged: not sent again
    now = 95;
    link.tick();
    expect(events).toEqual(["up", "down:broker silent"]);
  });
});
