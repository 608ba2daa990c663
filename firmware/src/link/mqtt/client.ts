// The board's MQTT 3.1.1 link to the county broker: CONNECT (user = device id, password =
// mqttPassword), clean session, SUBSCRIBE to the device's down topic, batch frames PUBLISHed
// with QoS 1 and sent again (DUP) until their PUBACK, PINGREQ on idle, and a drop when the
// broker falls silent. One attempt per connect(); the sync engine owns retries.
//
// Packets are byte strings (what Espruino sockets carry), just the ones a scanner board needs:
// CONNECT, PUBLISH (QoS 1), PUBACK, SUBSCRIBE, PINGREQ, DISCONNECT out; CONNACK, PUBLISH,
// PUBACK, SUBACK, PINGRESP in, reassembled from chunks split anywhere (a packet larger than
// `maxPacketBytes` drops the connection, so memory stays bounded). Written as locals of the
// constructor (firmware/README.md, "Rule for size"): every function here is RAM on the board.
import type { Link, LinkHandlers } from "../link";
import type { Socket, SocketFactory } from "../../hal/net";
import { be, rd } from "../../journal/bytes";
import { bytesFromString, stringFromBytes } from "../../../../protocol/src/crypto/bytes";

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

export class MqttLink implements Link {
  setHandlers: (h: LinkHandlers) => void;
  connect: () => void;
  close: () => void;
  send: (frame: Uint8Array) => boolean;
  tick: () => boolean;

  constructor(o: MqttOptions, net: SocketFactory, uptime: () => number) {
    let h: LinkHandlers | null = null;
    let sock: Socket | null = null;
    let phase = IDLE;
    /** Connection number: events of an old socket are ignored. */
    let conn = 0;
    /** Received bytes not yet a whole packet. */
    let buf = "";
    let lastSent = 0;
    let lastHeard = 0;
    let startedAt = 0;
    let nextId = 1;
    let subId = 0;
    /** The publish awaiting PUBACK (the sync engine keeps one frame in flight): id (0: none), payload, when sent. */
    let pendId = 0;
    let pending = "";
    let pendAt = 0;

    /** A string field: 2-byte length, then the bytes (our ids, topics and hex passwords are ASCII). */
    const field = (s: string) => be(s.length, 2) + s;
    /** Sends a packet: its first byte, the body's length (varint), the body. */
    const put = (first: number, body: string) => {
      if (!sock) return;
      let len = "";
      let n = body.length;
      do {
        len += String.fromCharCode(n > 127 ? (n & 127) | 128 : n);
        n >>= 7;
      } while (n);
      lastSent = uptime();
      sock.write(String.fromCharCode(first) + len + body);
    };
    /** Ends this connection and reports it once. */
    const down = (reason: string) => {
      if (phase === IDLE) return;
      phase = IDLE;
      conn++;
      const s = sock;
      sock = null;
      pendId = 0;
      if (s) {
        try {
          s["end"]();
        } catch {
          // already closed
        }
      }
      if (h) h.onDown(reason);
    };

    this.setHandlers = (x) => {
      h = x;
    };

    this.connect = () => {
      if (phase !== IDLE) return;
      phase = CONNECTING;
      const n = ++conn;
      buf = "";
      pendId = 0;
      startedAt = uptime();
      try {
        sock = net.connect(o.host, o.port, {
          // CONNECT with user name, password, clean session
          onConnect: () => {
            if (n === conn) put(0x10, field("MQTT") + "\x04\xc2" + be(o.keepAlive, 2) + field(o.clientId) + field(o.username) + field(o.password));
          },
          onData: (chunk) => {
            if (n !== conn) return;
            lastHeard = uptime();
            buf += chunk;
            while (phase !== IDLE && buf.length >= 2) {
              // remaining length: 1 to 4 bytes after the first
              let len = 0;
              let mul = 1;
              let i = 0;
              let b = 128;
              while (b > 127) {
                if (++i > 4) return down("protocol error: bad remaining length");
                if (i >= buf.length) return; // the rest is still on its way
                b = buf.charCodeAt(i);
                len += (b & 127) * mul;
                mul *= 128;
              }
              if (len > o.maxPacketBytes) return down("protocol error: packet of " + len + " bytes is too large");
              if (buf.length <= i + len) return;
              const first = buf.charCodeAt(0);
              const type = first >> 4;
              const body = buf.substr(i + 1, len);
              buf = buf.substr(i + 1 + len);
              if (type === 2) {
                // CONNACK: accepted, then SUBSCRIBE (QoS 1) to the down topic
                const rc = body.length < 2 ? -1 : body.charCodeAt(1);
                if (rc) return down("connection refused, code " + rc);
                subId = nextId;
                nextId = (nextId % 65535) + 1;
                put(0x82, be(subId, 2) + field(o.downTopic) + "\x01");
              } else if (type === 9) {
                // SUBACK
                if (body.length < 3 || rd(body, 0, 2) !== subId || body.charCodeAt(2) === 0x80) return down("subscription refused");
                phase = UP;
                if (h) h.onUp();
              } else if (type === 4) {
                // PUBACK
                if (pendId && rd(body, 0, 2) === pendId) pendId = 0;
              } else if (type === 3) {
                // PUBLISH: topic, packet id when QoS > 0, payload; a malformed one is ignored
                const tl = rd(body, 0, 2);
                let at = 2 + tl;
                let id = 0;
                if ((first >> 1) & 3) {
                  id = rd(body, at, 2);
                  at += 2;
                }
                if (at <= body.length) {
                  if (id) put(0x40, be(id, 2)); // PUBACK
                  if (h && body.substr(2, tl) === o.downTopic) h.onFrame(bytesFromString(body.substr(at)));
                }
              }
              // PINGRESP: hearing it was enough
            }
          },
          onEnd: (reason) => {
            if (n === conn) down(reason);
          },
        });
      } catch (e) {
        down("connect failed: " + e);
      }
    };

    this.close = () => {
      if (phase === UP) put(0xe0, ""); // DISCONNECT
      const k = h;
      h = null; // a polite close is not a failure
      down("closed");
      h = k;
    };

    this.send = (frame) => {
      if (phase !== UP) return false;
      pendId = nextId;
      nextId = (nextId % 65535) + 1;
      pending = stringFromBytes(frame);
      pendAt = uptime();
      put(0x32, field(o.upTopic) + be(pendId, 2) + pending); // PUBLISH, QoS 1
      return true;
    };

    this.tick = () => {
      if (phase === IDLE) return false;
      const now = uptime();
      if (phase === CONNECTING) {
        if (now - startedAt >= o.connectTimeout) down("connect timeout");
        return true;
      }
      if (now - lastHeard >= o.keepAlive * 1.5) {
        down("broker silent");
        return false;
      }
      if (pendId && now - pendAt >= o.resendAfter) {
        pendAt = now;
        put(0x3a, field(o.upTopic) + be(pendId, 2) + pending); // the same PUBLISH with DUP
      }
      if (now - lastSent >= o.keepAlive / 2) put(0xc0, ""); // PINGREQ
      return true;
    };
  }
}
