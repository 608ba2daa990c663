// A real serial port (the board's USB CDC, /dev/ttyACM0) for a SerialBridgeSession: opens it,
// probes the board, reopens after an unplug. The `serialport` package is optional (it comes
// with espruino-tools): it is loaded only when a USB bridge is asked for.
import { createRequire } from "node:module";
import { SerialBridgeSession, type BridgeGateway, type BridgeLog } from "./session";

/** The few members of serialport's SerialPort the bridge uses. */
export interface RawPort {
  on(event: "data", fn: (b: Buffer) => void): unknown;
  on(event: "open" | "close", fn: () => void): unknown;
  on(event: "error", fn: (err: Error) => void): unknown;
  write(b: Buffer): unknown;
  close(cb?: (err: Error | null) => void): unknown;
  isOpen: boolean;
}

export type PortOpener = (path: string) => RawPort;

export class SerialPortMissingError extends Error {
  constructor(cause: unknown) {
    super("USB bridge needs the 'serialport' package (an optional dependency of espruino-tools), which could not be loaded: " + String(cause) + ". Install it with: npm install serialport");
    this.name = "SerialPortMissingError";
  }
}

/** serialport's opener, loaded on first use; throws SerialPortMissingError when absent. */
export function serialportOpener(baudRate = 115200): PortOpener {
  let mod: { SerialPort: new (o: { path: string; baudRate: number }) => RawPort };
  try {
    mod = createRequire(__filename)("serialport");
  } catch (err) {
    throw new SerialPortMissingError(err);
  }
  return (path) => new mod.SerialPort({ path, baudRate });
}

export interface UsbBridgeOptions {
  /** Probe period (keep-alive; the board drops the link after ~50 s without host lines). */
  probeMs: number;
  /** Delay before reopening a port that closed or failed to open. */
  reopenMs: number;
}

export const DEFAULT_USB_OPTIONS: UsbBridgeOptions = { probeMs: 15_000, reopenMs: 2_000 };

export class UsbBridge {
  readonly session: SerialBridgeSession;
  private port: RawPort | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private reopenTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  opens = 0;

  constructor(
    readonly path: string,
    private readonly open: PortOpener,
    gateway: BridgeGateway,
    private readonly log: BridgeLog & { error(obj: object, msg: string): void },
    private readonly opts: UsbBridgeOptions = DEFAULT_USB_OPTIONS,
  ) {
    this.session = new SerialBridgeSession(path, (s) => this.send(s), gateway, log);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** A down frame published by the gateway (wired to GatewayHandle.tapDown). */
  down(topic: string, frame: Uint8Array): void {
    this.session.down(topic, frame);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const p = this.port;
    this.port = null;
    this.session.detach();
    if (!p || !p.isOpen) return Promise.resolve();
    return new Promise((resolve) => p.close(() => resolve()));
  }

  private send(s: string): void {
    if (this.port && this.port.isOpen) this.port.write(Buffer.from(s, "latin1"));
  }

  private connect(): void {
    if (this.stopped) return;
    let p: RawPort;
    try {
      p = this.open(this.path);
    } catch (err) {
      this.log.error({ port: this.path, err: String(err) }, "usb port not opened");
      return this.reopenLater();
    }
    this.port = p;
    p.on("open", () => {
      this.opens++;
      this.log.info({ port: this.path }, "usb port open");
      this.session.probe();
      this.probeTimer = setInterval(() => this.session.probe(), this.opts.probeMs);
      this.probeTimer.unref();
    });
    p.on("data", (b) => this.session.push(b.toString("latin1")));
    p.on("error", (err) => this.log.warn({ port: this.path, err: String(err) }, "usb port error"));
    p.on("close", () => {
      if (this.port !== p) return;
      this.port = null;
      this.clearTimers();
      this.session.detach();
      this.reopenLater();
    });
    if (!p.isOpen) {
      // An open that fails emits only "error": retry unless "open" arrives.
      setTimeout(() => {
        if (this.port === p && !p.isOpen) {
          this.port = null;
          this.reopenLater();
        }
      }, this.opts.reopenMs).unref();
    }
  }

  private reopenLater(): void {
    if (this.stopped || this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      this.connect();
    }, this.opts.reopenMs);
    this.reopenTimer.unref();
  }

  private clearTimers(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
  }
}
