// A Pico's USB cable to the clinic PC that runs the gateway's serial bridge. The plan's link
// windows stand for "the doctor plugs the Pico in": while plugged and powered, the board's USB
// port is wired to a bridge session (board output -> session, session output -> board), and the
// host probes in virtual time as the real bridge does on its port. A power cut re-enumerates
// the port, so the session is closed and a fresh one opens when the board is back.
import type { UsbHost } from "../board/usb-host";

/** One open serial conversation with the gateway, as the fleet sees it. */
export interface UsbBridgeSession {
  /** Bytes from the board, split anywhere. */
  push(chunk: string): void;
  /** Host asks the board who it is (also the keep-alive). */
  probe(): void;
  /** Up frames handed to the gateway and down frames sent to the board so far. */
  readonly counts: { upFrames: number; downFrames: number };
  /** Unplugged: the session stops forwarding down frames and forgets the board. */
  close(): void;
}

/** Opens a bridge session on a port; `write` carries its lines to the board. */
export type UsbBridgeOpener = (port: string, write: (s: string) => void) => UsbBridgeSession;

/** The real bridge's probe period (gateway/src/bridge/serial-port.ts DEFAULT_USB_OPTIONS). */
export const USB_PROBE_MS = 15_000;

export class FleetUsbLink {
  /** The plan says the cable is in. */
  plugged = false;
  /** Sessions opened over the run (one per plug-in or power-up while plugged). */
  opened = 0;
  private session: UsbBridgeSession | null = null;
  private stopData: (() => void) | null = null;
  private lastProbe = 0;
  private upMark = 0;
  private downMark = 0;
  /** Told whenever the bridge writes to the board. */
  onHeard: (() => void) | null = null;

  constructor(
    private readonly port: string,
    private readonly usb: UsbHost,
    private readonly open: UsbBridgeOpener,
  ) {}

  get attached(): boolean {
    return this.session !== null;
  }

  /** Brings the wiring in line with the plan and the board's power; probes when due. */
  update(now: number, powered: boolean): void {
    const want = this.plugged && powered;
    if (!want && this.session) this.close();
    if (want && !this.session) {
      const s = this.open(this.port, (line) => {
        this.usb.write(line);
        this.onHeard?.();
      });
      this.session = s;
      this.stopData = this.usb.onData((chunk) => s.push(chunk));
      this.opened++;
      this.upMark = s.counts.upFrames;
      this.downMark = s.counts.downFrames;
      this.lastProbe = now;
      s.probe();
    } else if (this.session && now - this.lastProbe >= USB_PROBE_MS) {
      this.lastProbe = now;
      this.session.probe();
    }
  }

  /** Start of a step: remember the frame counters. */
  mark(): void {
    if (!this.session) return;
    this.upMark = this.session.counts.upFrames;
    this.downMark = this.session.counts.downFrames;
  }

  /** The board sent a frame during the step and no down frame came back yet. */
  get awaitingReply(): boolean {
    const s = this.session;
    return !!s && s.counts.upFrames !== this.upMark && s.counts.downFrames === this.downMark;
  }

  close(): void {
    this.stopData?.();
    this.stopData = null;
    this.session?.close();
    this.session = null;
  }
}
