// One board of the fleet: the emulated board running the build's upload file, what the host
// did to it (the inputs the truth is read against) and the figures the report needs.
import { EmulatedBoard, type DeviceConfig } from "../board/index";
import type { PlannedBoard } from "../scenario/index";
import type { CounterInput } from "./accepted-truth";
import type { FleetUsbLink } from "./usb-link";

/** The firmware's setWatch debounce (firmware/src/boards/espruino-common.ts). */
const BUTTON_DEBOUNCE_MS = 50;
/**
 * A read is complete at its first line-ending byte, up to two bytes (about 2 ms at 9600 baud)
 * before the module stops sending; inputs are noted that much early, and a hair more for
 * float rounding. Reads are seconds apart, so this never reaches the previous input.
 */
const INPUT_SLACK_MS = 5;

export interface PendingCut {
  /** Virtual ms by which the cut happens even if the board writes nothing. */
  deadline: number;
  /** Virtual ms when power returns (the plan's "on" event). */
  onAt: number;
}

export interface PendingSync {
  from: number;
  /** The board's last seq when its link came up. */
  seq: number;
}

export class FleetBoard {
  readonly board: EmulatedBoard;
  readonly inputs: CounterInput[] = [];
  cut: PendingCut | null = null;
  sync: PendingSync | null = null;
  /** The USB cable to the gateway's serial bridge (Picos, when the gateway has a bridge). */
  usbLink: FleetUsbLink | null = null;
  cutsInWrite = 0;
  cutsBetween = 0;
  /** Wire counters at the start of a step, to see who is waiting for a reply. */
  outMark = 0;
  inMark = 0;

  constructor(
    readonly plan: PlannedBoard,
    upload: string,
    /** The upload file already passed the subset gate on another board of the fleet. */
    gateChecked: boolean,
    seed: number,
    /** Virtual ms per real I/O poll when the board is advanced on its own (EmulatedBoard.advance). */
    netSliceMs?: number,
  ) {
    this.board = new EmulatedBoard({ board: plan.kind, id: plan.device, seed, netSliceMs });
    this.board.load(upload, { unchecked: gateChecked });
  }

  get device(): string {
    return this.plan.device;
  }

  provision(mqtt: { host: string; port: number } | null): void {
    const cfg: DeviceConfig = { device: this.plan.device, secret: this.plan.secret, institution: this.plan.institution, operator: this.plan.operator };
    if (mqtt && this.board.net) {
      cfg.mqtt = mqtt;
      cfg.wifi = { ssid: "clinic-" + this.plan.clinic, password: "clinic-wifi" };
    }
    this.board.provision(cfg);
  }

  /** Noted at the instant the firmware gets the read: its last byte (reads queue at the module). */
  scan(raw: string): void {
    // The plan's reads already end with this board's reader suffix: the module sends them as they are.
    const done = this.board.scanner.scan(raw, { terminator: "" });
    this.inputs.push({ t: done - INPUT_SLACK_MS, type: "scan", raw: raw.replace(/[\r\n]+$/, "") });
  }

  /** Noted when the firmware's watch fires: release plus the debounce. */
  press(t: number, ms: number): void {
    this.inputs.push({ t: t + ms + BUTTON_DEBOUNCE_MS - INPUT_SLACK_MS, type: "button", pressMs: ms });
    this.board.pressButton(ms);
  }

  /** The board can reach the gateway at all (network, or USB through the bridge). */
  get canSync(): boolean {
    return !!this.board.net || !!this.usbLink;
  }

  /** The board's link is up: it may be talking to the gateway. */
  get linkUp(): boolean {
    if (this.usbLink) return this.usbLink.attached;
    return !!this.board.net && this.board.net.up;
  }

  markWire(): void {
    this.usbLink?.mark();
    if (!this.board.net) return;
    this.outMark = this.board.net.bytesOut;
    this.inMark = this.board.net.bytesIn;
  }

  /** Told whenever the board hears from the gateway (socket bytes, or a line over USB). */
  listenHeard(fn: (() => void) | null): void {
    if (this.board.net) this.board.net.onHeard = fn;
    if (this.usbLink) this.usbLink.onHeard = fn;
  }

  /** Sent something during the step and heard nothing back yet. */
  get awaitingReply(): boolean {
    if (this.usbLink) return this.usbLink.awaitingReply;
    const n = this.board.net;
    return !!n && n.bytesOut !== this.outMark && n.bytesIn === this.inMark;
  }
}
