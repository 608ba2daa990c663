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
  private net_: SocketFactory;
  private uptime_: () => number;
  private h: LinkHandlers | null = null;
  private sock_: Socket | null = null;
  private phase_ = IDLE;
  private conn_ = 0; // connection number: events of an old socket are ignored
  private reader_: PacketReader;
  private lastSent_ = 0;
  private lastHeard_ = 0;
  private startedAt_ = 0;
  private nextId_ = 1;
  private subId_ = 0;
  /** The publish awaiting PUBACK (the sync engine keeps one frame in flight). */
  private pending_: { id: number; payload: string; at: number } | null = null;
  counts = { connects: 0, published: 0, resent: 0, received: 0, pings: 0, protocolErrors: 0 };

  constructor(o: MqttOptions, net: SocketFactory, uptime: () => number) {
    this.o = o;
    this.net_ = net;
    this.uptime_ = uptime;
    this.reader_ = new PacketReader(o.maxPacketBytes);
  }

  setHandlers(h: LinkHandlers): void {
    this.h = h;
  }

  connect(): void {
    if (this.phase_ !== IDLE) return;
    this.phase_ = CONNECTING;
    this.counts.connects++;
    const n = ++this.conn_;
    this.reader_.reset();
    this.pending_ = null;
    this.startedAt_ = this.uptime_();
    try {
      this.sock_ = this.net_.connect(this.o.host, this.o.port, {
        onConnect: () => {
          if (n === this.conn_) this.write_(connectPacket(this.o.clientId, this.o.username, this.o.password, this.o.keepAlive));
        },
        onData: (chunk) => {
          if (n !== this.conn_) return;
          this.lastHeard_ = this.uptime_();
          this.reader_.push(chunk, (p: Packet) => {
            if (this.phase_ === IDLE) return;
            if (p.type === CONNACK) {
              if (p.body.length < 2 || p.body.charCodeAt(1) !== 0) {
                this.down_("connection refused, code " + (p.body.length >= 2 ? p.body.charCodeAt(1) : -1));
                return;
              }
              this.subId_ = this.allocId_();
              this.write_(subscribePacket(this.subId_, this.o.downTopic, 1));
            } else if (p.type === SUBACK) {
              if (p.body.length < 3 || readU16(p.body, 0) !== this.subId_ || p.body.charCodeAt(2) === 0x80) {
                this.down_("subscription refused");
                return;
              }
              this.phase_ = UP;
              if (this.h) this.h.onUp();
            } else if (p.type === PUBACK) {
              if (this.pending_ && p.body.length >= 2 && readU16(p.body, 0) === this.pending_.id) this.pending_ = null;
            } else if (p.type === PUBLISH) {
              const m = parsePublish(p);
              if (!m) {
                this.counts.protocolErrors++;
                return;
              }
              if (m.id) this.write_(pubackPacket(m.id));
              if (m.topic !== this.o.downTopic) return;
              this.counts.received++;
              if (this.h) this.h.onFrame(toBytes(m.payload));
            } else if (p.type === PINGRESP) {
              // lastHeard already moved
            }
          });
          if (this.reader_.error) {
            this.counts.protocolErrors++;
            this.down_("protocol error: " + this.reader_.error);
          }
        },
        onClose: () => {
          if (n === this.conn_) this.down_("socket closed");
        },
        onError: (msg) => {
          if (n === this.conn_) this.down_("socket error: " + msg);
        },
      });
    } catch (e) {
      this.down_("connect failed: " + e);
    }
  }

  private write_(s: string): void {
    if (!this.sock_) return;
    this.lastSent_ = this.uptime_();
    this.sock_.write(s);
  }

  /** Ends this connection and reports it once. */
  private down_(reason: string): void {
    if (this.phase_ === IDLE) return;
    this.phase_ = IDLE;
    this.conn_++;
    const s = this.sock_;
    this.sock_ = null;
    this.pending_ = null;
    if (s) {
      try {
        s.end();
      } catch {
        // already closed
      }
    }
    if (this.h) this.h.onDown(reason);
  }

  close(): void {
    if (this.phase_ === IDLE) return;
    if (this.phase_ === UP) this.write_(disconnectPacket());
    const h = this.h;
    this.h = null; // a polite close is not a failure
    this.down_("closed");
    this.h = h;
  }

  private allocId_(): number {
    const id = this.nextId_;
    this.nextId_ = this.nextId_ >= 65535 ? 1 : this.nextId_ + 1;
    return id;
  }

  send(frame: Uint8Array): boolean {
    if (this.phase_ !== UP) return false;
    const id = this.allocId_();
    const payload = toByteString(frame);
    this.pending_ = { id: id, payload: payload, at: this.uptime_() };
    this.counts.published++;
    this.write_(publishPacket(this.o.upTopic, payload, 1, id, false));
    return true;
  }

  /** Whether the last publish is still waiting for its PUBACK. */
  get awaitingPuback(): boolean {
    return this.pending_ !== null;
  }

  tick(): boolean {
    if (this.phase_ === IDLE) return false;
    const now = this.uptime_();
    if (this.phase_ === CONNECTING) {
      if (now - this.startedAt_ >= this.o.connectTimeout) this.down_("connect timeout");
      return true;
    }
    if (now - this.lastHeard_ >= this.o.keepAlive * 1.5) {
      this.down_("broker silent");
      return false;
    }
    if (this.pending_ && now - this.pending_.at >= this.o.resendAfter) {
      this.pending_.at = now;
      this.counts.resent++;
      this.write_(publishPacket(this.o.upTopic, this.pending_.payload, 1, this.pending_.id, true));
    }
    if (now - this.lastSent_ >= this.o.keepAlive / 2) {
      this.counts.pings++;
      this.write_(pingPacket());
    }
    return true;
  }
}
