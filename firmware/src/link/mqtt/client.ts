// The board's MQTT 3.1.1 link to the county broker: CONNECT (user = device id, password =
// mqttPassword), clean session, SUBSCRIBE to the device's down topic, batch frames PUBLISHed
// with QoS 1 and sent again (DUP) until their PUBACK, PINGREQ on idle, and a drop when the
// broker falls silent. One attempt per connect(); the sync engine owns retries.
import type { Link, LinkHandlers } from "../link";
import type { Socket, SocketFactory } from "../../hal/net";
import {
  CONNACK, PUBLISH, PUBACK, SUBACK, PINGRESP,
  connectPacket, publishPacket, pubackPacket, subscribePacket, pingPacket, disconnectPacket,
  PacketReader, parsePublish, readU16, type Packet,
} from "./packets";

export interface MqttOptions {
  host: string;
  port: number;
  clientId: string;
  username: string;
  password: string;
  upTopic: string;
  downTopic: string;
  /** Seconds; PINGREQ after this long without sending, drop after 1.5x without hearing. */
  keepAlive: number;
  /** Seconds without PUBACK before a publish goes again. */
  resendAfter: number;
  /** Seconds allowed from socket open to SUBACK. */
  connectTimeout: number;
  maxPacketBytes: number;
}

const IDLE = 0;
const CONNECTING = 1;
const UP = 2;

function toByteString(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function toBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 255;
  return b;
}

export class MqttLink implements Link {
  private o: MqttOptions;
  private net: SocketFactory;
  private uptime: () => number;
  private h: LinkHandlers | null = null;
  private sock: Socket | null = null;
  private phase = IDLE;
  private conn = 0; // connection number: events of an old socket are ignored
  private reader: PacketReader;
  private lastSent = 0;
  private lastHeard = 0;
  private startedAt = 0;
  private nextId = 1;
  private subId = 0;
  /** The publish awaiting PUBACK (the sync engine keeps one frame in flight). */
  private pending: { id: number; payload: string; at: number } | null = null;
  counts = { connects: 0, published: 0, resent: 0, received: 0, pings: 0, protocolErrors: 0 };

  constructor(o: MqttOptions, net: SocketFactory, uptime: () => number) {
    this.o = o;
    this.net = net;
    this.uptime = uptime;
    this.reader = new PacketReader(o.maxPacketBytes);
  }

  setHandlers(h: LinkHandlers): void {
    this.h = h;
  }

  connect(): void {
    if (this.phase !== IDLE) return;
    this.phase = CONNECTING;
    this.counts.connects++;
    const n = ++this.conn;
    this.reader.reset();
    this.pending = null;
    this.startedAt = this.uptime();
    const self = this;
    try {
      this.sock = this.net.connect(this.o.host, this.o.port, {
        onConnect: () => {
          if (n === self.conn) self.write(connectPacket(self.o.clientId, self.o.username, self.o.password, self.o.keepAlive));
        },
        onData: (chunk) => {
          if (n === self.conn) self.onData(chunk);
        },
        onClose: () => {
          if (n === self.conn) self.down("socket closed");
        },
        onError: (msg) => {
          if (n === self.conn) self.down("socket error: " + msg);
        },
      });
    } catch (e) {
      this.down("connect failed: " + e);
    }
  }

  private write(s: string): void {
    if (!this.sock) return;
    this.lastSent = this.uptime();
    this.sock.write(s);
  }

  /** Ends this connection and reports it once. */
  private down(reason: string): void {
    if (this.phase === IDLE) return;
    this.phase = IDLE;
    this.conn++;
    const s = this.sock;
    this.sock = null;
    this.pending = null;
    if (s) {
      try {
        s.end();
      } catch (e) {
        // already closed
      }
    }
    if (this.h) this.h.onDown(reason);
  }

  close(): void {
    if (this.phase === IDLE) return;
    if (this.phase === UP) this.write(disconnectPacket());
    const h = this.h;
    this.h = null; // a polite close is not a failure
    this.down("closed");
    this.h = h;
  }

  private onData(chunk: string): void {
    this.lastHeard = this.uptime();
    const self = this;
    this.reader.push(chunk, (p) => self.onPacket(p));
    if (this.reader.error) {
      this.counts.protocolErrors++;
      this.down("protocol error: " + this.reader.error);
    }
  }

  private onPacket(p: Packet): void {
    if (this.phase === IDLE) return;
    if (p.type === CONNACK) {
      if (p.body.length < 2 || p.body.charCodeAt(1) !== 0) {
        this.down("connection refused, code " + (p.body.length >= 2 ? p.body.charCodeAt(1) : -1));
        return;
      }
      this.subId = this.allocId();
      this.write(subscribePacket(this.subId, this.o.downTopic, 1));
    } else if (p.type === SUBACK) {
      if (p.body.length < 3 || readU16(p.body, 0) !== this.subId || p.body.charCodeAt(2) === 0x80) {
        this.down("subscription refused");
        return;
      }
      this.phase = UP;
      if (this.h) this.h.onUp();
    } else if (p.type === PUBACK) {
      if (this.pending && p.body.length >= 2 && readU16(p.body, 0) === this.pending.id) this.pending = null;
    } else if (p.type === PUBLISH) {
      const m = parsePublish(p);
      if (!m) {
        this.counts.protocolErrors++;
        return;
      }
      if (m.id) this.write(pubackPacket(m.id));
      if (m.topic !== this.o.downTopic) return;
      this.counts.received++;
      if (this.h) this.h.onFrame(toBytes(m.payload));
    } else if (p.type === PINGRESP) {
      // lastHeard already moved
    }
  }

  private allocId(): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 65535 ? 1 : this.nextId + 1;
    return id;
  }

  send(frame: Uint8Array): boolean {
    if (this.phase !== UP) return false;
    const id = this.allocId();
    const payload = toByteString(frame);
    this.pending = { id: id, payload: payload, at: this.uptime() };
    this.counts.published++;
    this.write(publishPacket(this.o.upTopic, payload, 1, id, false));
    return true;
  }

  /** Whether the last publish is still waiting for its PUBACK. */
  get awaitingPuback(): boolean {
    return this.pending !== null;
  }

  tick(): void {
    if (this.phase === IDLE) return;
    const now = this.uptime();
    if (this.phase === CONNECTING) {
      if (now - this.startedAt >= this.o.connectTimeout) this.down("connect timeout");
      return;
    }
    if (now - this.lastHeard >= this.o.keepAlive * 1.5) {
      this.down("broker silent");
      return;
    }
    if (this.pending && now - this.pending.at >= this.o.resendAfter) {
      this.pending.at = now;
      this.counts.resent++;
      this.write(publishPacket(this.o.upTopic, this.pending.payload, 1, this.pending.id, true));
    }
    if (now - this.lastSent >= this.o.keepAlive / 2) {
      this.counts.pings++;
      this.write(pingPacket());
    }
  }
}
