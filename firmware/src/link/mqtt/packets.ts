// MQTT 3.1.1 packets as byte strings (what Espruino sockets carry), just the ones a scanner
// board needs: CONNECT, PUBLISH (QoS 0/1), PUBACK, SUBSCRIBE, PINGREQ, DISCONNECT out;
// CONNACK, PUBLISH, PUBACK, SUBACK, PINGRESP in.
export const CONNECT = 1;
export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const SUBSCRIBE = 8;
export const SUBACK = 9;
export const PINGREQ = 12;
export const PINGRESP = 13;
export const DISCONNECT = 14;

function remainingLength(n: number): string {
  let out = "";
  let x = n;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 128;
    out += String.fromCharCode(b);
  } while (x > 0);
  return out;
}

function u16(n: number): string {
  return String.fromCharCode((n >> 8) & 255, n & 255);
}

/** A UTF-8 string field; our ids, topics and hex passwords are ASCII. */
function field(s: string): string {
  return u16(s.length) + s;
}

function packet(first: number, body: string): string {
  return String.fromCharCode(first) + remainingLength(body.length) + body;
}

export function connectPacket(clientId: string, username: string, password: string, keepAlive: number): string {
  // Flags: user name, password, clean session.
  const vh = field("MQTT") + String.fromCharCode(4, 0xc2) + u16(keepAlive);
  return packet(CONNECT << 4, vh + field(clientId) + field(username) + field(password));
}

export function publishPacket(topic: string, payload: string, qos: number, id: number, dup: boolean): string {
  const first = (PUBLISH << 4) | (dup ? 8 : 0) | (qos << 1);
  return packet(first, field(topic) + (qos > 0 ? u16(id) : "") + payload);
}

export function pubackPacket(id: number): string {
  return packet(PUBACK << 4, u16(id));
}

export function subscribePacket(id: number, topic: string, qos: number): string {
  return packet((SUBSCRIBE << 4) | 2, u16(id) + field(topic) + String.fromCharCode(qos));
}

export function pingPacket(): string {
  return String.fromCharCode(PINGREQ << 4, 0);
}

export function disconnectPacket(): string {
  return String.fromCharCode(DISCONNECT << 4, 0);
}

export interface Packet {
  type: number;
  flags: number;
  /** The bytes after the fixed header. */
  body: string;
}

/**
 * Reassembles packets from socket chunks split anywhere. A packet larger than `maxBytes`
 * is a protocol error (the caller drops the connection), so memory stays bounded.
 */
export class PacketReader {
  private buf_ = "";
  private maxBytes_: number;
  error = "";

  constructor(maxBytes: number) {
    this.maxBytes_ = maxBytes;
  }

  /** Adds a chunk and returns the complete packets now available (none once in error). */
  push(chunk: string, out: (p: Packet) => void): void {
    if (this.error) return;
    this.buf_ += chunk;
    while (this.buf_.length >= 2) {
      let len = 0;
      let mul = 1;
      let i = 1;
      let done = false;
      for (; i < 5 && i < this.buf_.length; i++) {
        const b = this.buf_.charCodeAt(i);
        len += (b & 127) * mul;
        mul *= 128;
        if (b < 128) {
          done = true;
          break;
        }
      }
      if (!done) {
        if (i >= 5) this.error = "bad remaining length";
        return; // or wait for more length bytes
      }
      if (len > this.maxBytes_) {
        this.error = "packet of " + len + " bytes is too large";
        this.buf_ = "";
        return;
      }
      const start = i + 1;
      if (this.buf_.length < start + len) return;
      const first = this.buf_.charCodeAt(0);
      const body = this.buf_.substr(start, len);
      this.buf_ = this.buf_.substr(start + len);
      out({ type: first >> 4, flags: first & 15, body: body });
    }
  }

  reset(): void {
    this.buf_ = "";
    this.error = "";
  }
}

export function readU16(s: string, at: number): number {
  return (s.charCodeAt(at) << 8) | s.charCodeAt(at + 1);
}

/** Topic, packet id (0 for QoS 0) and payload of an incoming PUBLISH; null if malformed. */
export function parsePublish(p: Packet): { topic: string; id: number; payload: string } | null {
  if (p.body.length < 2) return null;
  const tl = readU16(p.body, 0);
  let at = 2 + tl;
  if (at > p.body.length) return null;
  const topic = p.body.substr(2, tl);
  const qos = (p.flags >> 1) & 3;
  let id = 0;
  if (qos > 0) {
    if (at + 2 > p.body.length) return null;
    id = readU16(p.body, at);
    at += 2;
  }
  return { topic: topic, id: id, payload: p.body.substr(at) };
}
