// One serial port's conversation with the board on it: line framing, who is attached (hello),
// up frames into the gateway's ingest exactly as if they came on MQTT deviceUp(device), and
// that device's down frames (acks, commands) back down the line. Pure: the port and the
// gateway are handed in, so tests drive it with strings.
import { deviceDown, deviceUp } from "../../../protocol/src/topics";
import { MAX_LINE, PROBE_LINE, downLine, parseBoardLine } from "./line-protocol";

/** What the bridge needs from the gateway. */
export interface BridgeGateway {
  /** A frame as if published on `topic` (deviceUp): every ingest check applies. */
  up(topic: string, frame: Uint8Array): void;
  /** Whether the gateway has this device, active (unknown ones are not attached). */
  isActive(device: string): boolean;
  /** A device came online: the gateway sends its welcome (time, config, warn list, last ack). */
  connected(device: string): void;
}

export interface BridgeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface BridgeCounts {
  lines: number;
  upFrames: number;
  downFrames: number;
  /** Lines that were not ours (console output, noise). */
  ignored: number;
  /** Our lines that were malformed or too long. */
  bad: number;
  /** Up frames before any accepted hello (the board resends them). */
  unattached: number;
  unknownDevice: number;
}

export class SerialBridgeSession {
  private buf = "";
  private skipping = false;
  private attached: string | null = null;
  readonly counts: BridgeCounts = { lines: 0, upFrames: 0, downFrames: 0, ignored: 0, bad: 0, unattached: 0, unknownDevice: 0 };

  constructor(
    private readonly port: string,
    private readonly write: (s: string) => void,
    private readonly gateway: BridgeGateway,
    private readonly log: BridgeLog,
  ) {}

  /** The device attached to this port, once it said hello and the gateway knows it. */
  get device(): string | null {
    return this.attached;
  }

  /** Asks the board who it is; the port adapter calls this on open and then periodically. */
  probe(): void {
    this.write(PROBE_LINE);
  }

  /** Bytes from the port, split anywhere. */
  push(chunk: string): void {
    let at = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", at);
      const part = chunk.slice(at, nl < 0 ? chunk.length : nl);
      if (!this.skipping) {
        if (this.buf.length + part.length > MAX_LINE) {
          this.skipping = true;
          this.buf = "";
          this.counts.bad++;
        } else this.buf += part;
      }
      if (nl < 0) return;
      if (!this.skipping) this.line(this.buf);
      this.buf = "";
      this.skipping = false;
      at = nl + 1;
    }
  }

  /** A down frame published by the gateway: sent on if it is for the attached device. */
  down(topic: string, frame: Uint8Array): void {
    if (this.attached === null || topic !== deviceDown(this.attached)) return;
    this.counts.downFrames++;
    this.write(downLine(frame));
  }

  /** The port closed: the device is no longer reachable here. */
  detach(): void {
    if (this.attached !== null) this.log.info({ port: this.port, device: this.attached }, "usb board detached");
    this.attached = null;
    this.buf = "";
    this.skipping = false;
  }

  private line(raw: string): void {
    const l = parseBoardLine(raw);
    if (l.kind === "other") {
      this.counts.ignored++;
      return;
    }
    if (l.kind === "bad") {
      this.counts.bad++;
      this.log.warn({ port: this.port, why: l.why }, "usb line refused");
      return;
    }
    this.counts.lines++;
    if (l.kind === "hello") return this.hello(l.device);
    if (this.attached === null) {
      // Which key checks this frame is the topic's device: without a hello there is none.
      this.counts.unattached++;
      this.probe();
      return;
    }
    this.counts.upFrames++;
    this.gateway.up(deviceUp(this.attached), l.frame);
  }

  private hello(device: string): void {
    if (device === this.attached) return; // the answer to a keep-alive probe
    if (!this.gateway.isActive(device)) {
      this.counts.unknownDevice++;
      this.log.warn({ port: this.port, device }, "usb board not registered or not active: ignored");
      this.attached = null;
      return;
    }
    this.attached = device;
    this.log.info({ port: this.port, device }, "usb board attached");
    this.gateway.connected(device);
  }
}
