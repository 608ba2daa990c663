// require("net") for the emulated ESP32: every socket is a real TCP connection (node:net) to
// a real broker, so the firmware's MQTT bytes meet a real MQTT implementation. The link can
// be cut and restored by the host, with a one-way latency applied to everything the board
// receives, and a cut can fall in the middle of an outgoing packet.
import { Socket, connect as tcpConnect } from "node:net";

export type SocketEvent = "connect" | "data" | "close" | "error";

export interface NetLinkHooks {
  /** Runs `fn` after `delayMs` of virtual time (a host-owned timer). */
  later(delayMs: number, fn: () => void): void;
  /** Delivers an event to the firmware's socket object. */
  deliver(target: unknown, ev: SocketEvent, arg?: string): void;
  /** The link went up or down. */
  linkChanged(up: boolean): void;
}

interface SimSocket {
  id: number;
  target: unknown;
  tcp: Socket | null;
  closed: boolean;
}

export class NetLink {
  up = true;
  latencyMs = 20;
  private sockets = new Map<number, SimSocket>();
  private nextId = 1;
  private cutAfter = -1;
  /** Bytes sent and received over all sockets (for tests and stats). */
  bytesOut = 0;
  bytesIn = 0;
  /** Told whenever bytes reach the board (a host waiting for replies wakes on it). */
  onHeard: (() => void) | null = null;

  constructor(private readonly hooks: NetLinkHooks) {}

  get openSockets(): number {
    return [...this.sockets.values()].filter((s) => !s.closed).length;
  }

  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    if (!up) for (const s of this.sockets.values()) this.drop(s, "link down");
    this.hooks.linkChanged(up);
  }

  /** The link goes down after `n` more outgoing bytes, possibly inside one write. */
  cutAfterBytes(n: number): void {
    this.cutAfter = Math.max(0, n);
  }

  /** `reachable` false: the board itself has no route (e.g. WiFi not joined). */
  connect(host: string, port: number, target: unknown, reachable = true): number {
    const s: SimSocket = { id: this.nextId++, target, tcp: null, closed: false };
    this.sockets.set(s.id, s);
    if (!this.up || !reachable) {
      this.hooks.later(this.latencyMs, () => this.drop(s, "ECONNREFUSED (no link)"));
      return s.id;
    }
    const tcp = tcpConnect({ host, port });
    s.tcp = tcp;
    tcp.setNoDelay(true);
    tcp.on("connect", () => this.toBoard(s, "connect"));
    tcp.on("data", (b: Buffer) => {
      this.bytesIn += b.length;
      this.toBoard(s, "data", b.toString("latin1"));
      this.onHeard?.();
    });
    tcp.on("error", (e) => this.drop(s, e.message));
    tcp.on("close", () => this.drop(s));
    return s.id;
  }

  write(id: number, data: string): void {
    const s = this.sockets.get(id);
    if (!s || s.closed || !s.tcp) return;
    let out = data;
    let cutNow = false;
    if (this.cutAfter >= 0) {
      if (out.length >= this.cutAfter) {
        out = out.slice(0, this.cutAfter);
        cutNow = true;
      }
      this.cutAfter -= out.length;
    }
    if (out.length) {
      this.bytesOut += out.length;
      s.tcp.write(Buffer.from(out, "latin1"));
    }
    if (cutNow) {
      this.cutAfter = -1;
      const tcp = s.tcp;
      tcp.end(() => this.setUp(false)); // flush the partial packet, then the link dies
    }
  }

  end(id: number): void {
    const s = this.sockets.get(id);
    if (!s || s.closed) return;
    s.tcp?.end();
  }

  /** Closes every socket without events (power loss: the board's side simply vanishes). */
  resetAll(): void {
    for (const s of this.sockets.values()) {
      s.closed = true;
      s.tcp?.destroy();
    }
    this.sockets.clear();
  }

  private toBoard(s: SimSocket, ev: SocketEvent, arg?: string): void {
    if (s.closed) return;
    this.hooks.later(this.latencyMs, () => {
      if (!s.closed || ev === "close" || ev === "error") this.hooks.deliver(s.target, ev, arg);
    });
  }

  private drop(s: SimSocket, error?: string): void {
    if (s.closed) return;
    if (error) this.toBoard(s, "error", error);
    this.toBoard(s, "close");
    s.closed = true;
    s.tcp?.destroy();
    this.sockets.delete(s.id);
  }
}
