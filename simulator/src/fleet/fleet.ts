// Runs a scenario plan on a fleet of emulated boards. One virtual clock drives every board in
// lockstep: each board's timers run up to the same instant before the next step, events are
// applied at their exact planned instant, and while any socket is open the loop hands the
// real network its turn after every step (boards talk real MQTT over TCP to the gateway).
// Per board: one vm realm and its own timer queue; no processes, no per-board real timers.
import { mergedTimeline, type ScenarioPlan } from "../scenario/index";
import { deriveSeed } from "../scenario/prng";
import { signalledRecords, type BoardTruth } from "./accepted-truth";
import { FleetBoard } from "./fleet-board";
import type { UploadFiles } from "./firmware-uploads";
import { FleetUsbLink, type UsbBridgeOpener } from "./usb-link";

/** What the fleet needs from the gateway it talks to. */
export interface GatewayView {
  /** Where boards connect (the gateway's device broker). */
  mqtt: { host: string; port: number };
  /** Registers a board so the gateway accepts its login and frames. */
  register(device: { device: string; secret: string; institution: string; operator: string }): void;
  /** Highest seq of the device stored without a gap (what the gateway acked). */
  ackedUpto(device: string): number;
  /**
   * Runs the gateway on the fleet's virtual clock (ms), so the time it gives boards and stamps
   * on records is the scenario's; null goes back to the system clock.
   */
  useClock?(nowMs: (() => number) | null): void;
  /** True when nothing stored waits for the platform any more. */
  relayDrained(): boolean;
  /** The gateway's USB serial bridge, for boards without a network (the Pico); absent: they keep their records. */
  usbBridge?: UsbBridgeOpener;
}

export interface FleetOptions {
  plan: ScenarioPlan;
  uploads: UploadFiles;
  gateway: GatewayView;
  seed: number;
  /** Virtual ms per lockstep step while sockets are open (default 5,000: well inside the firmware's 20 s resend and 30 s ack timeouts, so a reply at the end of a step is never late). */
  netStepMs?: number;
  /** Virtual ms per step when no socket is open anywhere (default 600,000). */
  idleStepMs?: number;
  /** Longest real wait for replies after a step in which boards sent something (default 50 ms). */
  ioWaitMs?: number;
  /** The wait for replies ends early once no board has heard a byte for this many real ms (default 8). */
  ioQuietMs?: number;
  /** A planned power cut lands in the board's next flash writes within this many virtual ms, else it is a clean cut (default 10,000). */
  cutGraceMs?: number;
  /** Virtual ms after the plan's end for the final sync, every link up (default 4 h). */
  drainVirtualMs?: number;
  /** Real ms the drain may take at most (default 120,000). */
  drainRealMs?: number;
  /** Virtual ms per real ms at most (a demo watched live); absent: as fast as the machine goes. */
  pace?: number;
  onProgress?: (p: FleetProgress) => void;
  /** Called once the boards exist (e.g. to show them live on the gateway dashboard). */
  onBoards?: (boards: readonly FleetBoard[]) => void;
  /** Stops the run early (Ctrl-C): boards are left as they are, the result is still returned. */
  signal?: AbortSignal;
}

export interface FleetProgress {
  virtualMs: number;
  totalMs: number;
  eventsApplied: number;
  events: number;
  phase: "plan" | "drain";
}

export interface SyncTiming {
  device: string;
  /** Virtual ms from link up until the gateway held every record the board had then. */
  ms: number;
  records: number;
}

export interface FleetBoardResult {
  device: string;
  kind: "pico" | "esp32";
  truth: BoardTruth;
  highWaterBytes: number;
  flashBytesWritten: number;
  boots: number;
  uncaughtErrors: number;
  /** The first few uncaught errors' text. */
  errors: string[];
  uartDroppedBytes: number;
  cutsInWrite: number;
  cutsBetween: number;
  /** Gateway's acked seq for the device at the end (0 for boards without a link). */
  gatewayAcked: number;
  /** The board could reach the gateway (network, or USB through the bridge): its records are expected at the platform. */
  linked?: boolean;
  memoryUsage: number;
}

export interface FleetResult {
  boards: FleetBoardResult[];
  scansMade: number;
  buttonPresses: number;
  syncs: SyncTiming[];
  /** Link windows that closed before the board's backlog was all stored. */
  unfinishedSyncs: number;
  drained: boolean;
  aborted: boolean;
  virtualMs: number;
  wallMs: number;
  steps: number;
  /** Wall ms spent giving the real network its turn (the rest ran the boards). */
  ioMs: number;
}

const CUT_BYTE_SPAN = 256;

const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runFleet(o: FleetOptions): Promise<FleetResult> {
  const started = Date.now();
  const plan = o.plan;
  const netStep = o.netStepMs ?? 5000;
  const idleStep = o.idleStepMs ?? 600_000;
  const ioWait = o.ioWaitMs ?? 50;
  const ioQuiet = o.ioQuietMs ?? 8;
  const cutGrace = o.cutGraceMs ?? 10_000;
  const v = (t: number) => t - plan.startMs;

  const checked = new Set<string>();
  const boards: FleetBoard[] = plan.boards.map((pb, i) => {
    const src = o.uploads[pb.kind].source;
    const fb = new FleetBoard(pb, src, checked.has(pb.kind), deriveSeed(o.seed, "board:" + pb.device) ^ i);
    checked.add(pb.kind);
    return fb;
  });
  o.onBoards?.(boards);
  let now = 0;
  o.gateway.useClock?.(() => plan.startMs + now);
  const byDevice = new Map(boards.map((b) => [b.device, b]));
  for (const b of boards) {
    o.gateway.register(b.plan);
    b.provision(o.gateway.mqtt);
    if (!b.board.net && b.board.usb && o.gateway.usbBridge) b.usbLink = new FleetUsbLink("usb:" + b.device, b.board.usb, o.gateway.usbBridge);
    if (b.board.net) b.board.setLinkUp(false);
    b.board.powerOn();
  }

  const timeline = mergedTimeline(plan);
  const totalMs = v(plan.endMs);
  const syncs: SyncTiming[] = [];
  let unfinishedSyncs = 0;
  let scansMade = 0;
  let buttonPresses = 0;
  let steps = 0;
  let next = 0;
  let cutCounter = 0;
  let aborted = false;

  const lastSeq = (b: FleetBoard): number => {
    const t = signalledRecords(b.device, b.board.events.all, b.inputs, b.board.facts.buzzerPin);
    const signalled = t.records.length ? t.records[t.records.length - 1].seq : 0;
    const unsignalled = t.unsignalled.length ? t.unsignalled[t.unsignalled.length - 1] : 0;
    return Math.max(signalled, unsignalled);
  };

  const apply = (e: (typeof timeline)[number]) => {
    const b = byDevice.get(e.device)!;
    const at = v(e.t);
    b.board.clock.runUntil(at);
    if (e.type === "scan") {
      scansMade++;
      b.scan(e.raw);
    } else if (e.type === "button") {
      buttonPresses++;
      b.press(at, e.pressMs);
    } else if (e.type === "link") {
      if (b.usbLink) {
        b.usbLink.plugged = e.up;
        b.usbLink.update(at, b.board.powered);
      } else if (b.board.net) b.board.setLinkUp(e.up);
      else return; // no network and no bridge: its records stay on the board
      if (e.up) b.sync = { from: at, seq: lastSeq(b) };
      else if (b.sync) {
        if (o.gateway.ackedUpto(b.device) < b.sync.seq) unfinishedSyncs++;
        b.sync = null;
      }
    } else if (!e.on) {
      const seed = deriveSeed(o.seed, "cut:" + b.device + ":" + cutCounter++);
      b.board.armRandomPowerCut(seed, CUT_BYTE_SPAN);
      b.cut = { deadline: at + cutGrace, onAt: at };
    } else {
      settleCut(b, at, true);
      b.board.powerOn();
    }
  };

  /** A planned cut: in a write if the board wrote in time, else between two operations. */
  const settleCut = (b: FleetBoard, at: number, force: boolean) => {
    if (!b.cut) return;
    if (!b.board.powered) {
      b.cutsInWrite++;
    } else if (force || at >= b.cut.deadline) {
      b.board.flash.disarmPowerCut();
      b.board.powerCut();
      b.cutsBetween++;
    } else return;
    b.board.flash.disarmPowerCut();
    b.cut = null;
  };

  const checkSyncs = () => {
    for (const b of boards) {
      if (!b.sync) continue;
      if (o.gateway.ackedUpto(b.device) >= b.sync.seq) {
        syncs.push({ device: b.device, ms: now - b.sync.from, records: b.sync.seq });
        b.sync = null;
      }
    }
  };

  // Bytes reaching any board wake the wait below at once (no polling on a 1 ms timer).
  let heardWake: (() => void) | null = null;
  const onHeard = () => {
    const w = heardWake;
    heardWake = null;
    w?.();
  };
  for (const b of boards) b.listenHeard(onHeard);
  /** Resolves true when a board hears something, false after `ms` of silence. */
  const heardWithin = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        heardWake = null;
        resolve(false);
      }, ms);
      heardWake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });

  /**
   * Gives the real network its turn, then waits for boards that sent and heard nothing yet.
   * A board that sent something needing no answer (a PUBACK) would hold the step for the whole
   * ioWait, so the wait also ends once no board has heard a byte for ioQuiet ms: the in-process
   * gateway answers within a few ms, and an answer that comes later lands in the next step.
   */
  let ioMs = 0;
  const exchange = async () => {
    const t0 = Date.now();
    await tick();
    const deadline = t0 + ioWait;
    while (boards.some((b) => b.awaitingReply)) {
      const left = deadline - Date.now();
      if (left <= 0 || !(await heardWithin(Math.min(left, ioQuiet)))) break;
      await tick(); // let the rest of a burst arrive before looking again
    }
    ioMs += Date.now() - t0;
  };

  const stepTo = async (target: number) => {
    for (const b of boards) b.markWire();
    for (const b of boards) {
      b.board.clock.runUntil(target);
      if (b.cut) settleCut(b, target, false);
      b.usbLink?.update(target, b.board.powered);
    }
    now = target;
    steps++;
    if (o.pace) {
      const ahead = now / o.pace - (Date.now() - started);
      if (ahead > 1) await sleep(Math.min(ahead, 1000));
    }
    if (boards.some((b) => b.linkUp || b.awaitingReply)) await exchange();
    else await tick();
  };

  let lastProgress = 0;
  const progress = (phase: "plan" | "drain") => {
    if (!o.onProgress || Date.now() - lastProgress < 200) return;
    lastProgress = Date.now();
    o.onProgress({ virtualMs: now, totalMs, eventsApplied: next, events: timeline.length, phase });
  };

  while (now < totalMs) {
    if (o.signal?.aborted) {
      aborted = true;
      break;
    }
    const anyNet = boards.some((b) => b.linkUp);
    let target = Math.min(totalMs, now + (anyNet ? netStep : idleStep));
    // Events inside this step run at their own instant on their own board; a link coming up
    // ends the step there, so the board's connection gets real I/O from its first packet.
    while (next < timeline.length && v(timeline[next].t) <= target) {
      const e = timeline[next++];
      apply(e);
      if (e.type === "link" && e.up && byDevice.get(e.device)!.canSync) {
        target = Math.max(now, v(e.t));
        break;
      }
    }
    await stepTo(target);
    if (anyNet) checkSyncs();
    progress("plan");
  }

  // The final collection: every board with a link gets one until all it holds is stored.
  let drained = false;
  if (!aborted) {
    for (const b of boards) {
      if (b.cut) settleCut(b, now, true);
      if (!b.board.powered) b.board.powerOn();
      if (b.usbLink) {
        b.usbLink.plugged = true;
        b.usbLink.update(now, b.board.powered);
      } else if (b.board.net) b.board.setLinkUp(true);
      if (b.canSync) b.sync ??= { from: now, seq: lastSeq(b) };
    }
    const targets = boards.filter((b) => b.canSync).map((b) => ({ b, seq: lastSeq(b) }));
    const drainEnd = now + (o.drainVirtualMs ?? 4 * 3600_000);
    const realEnd = Date.now() + (o.drainRealMs ?? 120_000);
    while (now < drainEnd && Date.now() < realEnd && !o.signal?.aborted) {
      await stepTo(now + netStep);
      checkSyncs();
      progress("drain");
      if (targets.every((x) => o.gateway.ackedUpto(x.b.device) >= x.seq) && o.gateway.relayDrained()) {
        drained = true;
        break;
      }
    }
    aborted = !!o.signal?.aborted;
  }

  const results: FleetBoardResult[] = boards.map((b) => {
    const fs = b.board.flashStats();
    return {
      device: b.device,
      kind: b.plan.kind,
      truth: signalledRecords(b.device, b.board.events.all, b.inputs, b.board.facts.buzzerPin),
      highWaterBytes: fs.highWaterBytes,
      flashBytesWritten: fs.bytesWritten,
      boots: b.board.boots,
      uncaughtErrors: b.board.uncaughtErrors,
      errors: b.board.events.ofKind("error").slice(0, 3).map((e) => e.text),
      uartDroppedBytes: b.board.uartDroppedBytes,
      cutsInWrite: b.cutsInWrite,
      cutsBetween: b.cutsBetween,
      gatewayAcked: b.canSync ? o.gateway.ackedUpto(b.device) : 0,
      linked: b.canSync,
      memoryUsage: b.board.powered ? b.board.memoryUsage().usage : 0,
    };
  });
  for (const b of boards) b.usbLink?.close();
  for (const b of boards) if (b.board.powered) b.board.powerCut(); // closes sockets; flash stays as it is
  return { boards: results, scansMade, buttonPresses, syncs, unfinishedSyncs, drained, aborted, virtualMs: now, wallMs: Date.now() - started, steps, ioMs };
}
