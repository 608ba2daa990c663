// The firmware's start: wires the pure cores (journal, counter, sync) to the board's
// hardware. Called once per power-up by a board profile (firmware/src/boards/*).
import type { Hal } from "./hal/hal";
import { readProvisioning, type Provisioning } from "./config";
import { Journal } from "./journal/journal";
import { DispenseHistory } from "./journal/history";
import { WarnList } from "./store/warn-list";
import { Counter, type CounterSettings } from "./session/counter";
import { LineAssembler } from "./scanner/line-assembler";
import { interpretScan } from "./scanner/scan-input";
import { FeedbackPlayer } from "./feedback/player";
import { FB_NO_SESSION } from "./feedback/patterns";
import { DeviceStateFile } from "./sync/device-state";
import type { SyncEngine } from "./sync/sync-engine";
import type { DeviceConfig } from "../../protocol/src/frame/types";
import { classifyScan } from "../../protocol/src/code/index";
import { hmacSha256, bytesFromString, toHex } from "../../protocol/src/crypto/index";
import { HAS_DISPLAY, LARGE_STORAGE } from "../../protocol/src/board-flags";

/** Longest read from the barcode module (GS1 DataMatrix with every field is < 120). */
const MAX_READ = 160;


export interface Firmware {
  journal: Journal;
  counter: Counter;
  sync: SyncEngine | null;
  player: FeedbackPlayer;
  /** Stops the periodic tick and closes the link (flash needs nothing: it is always consistent). */
  stop(): void;
}

/** The defaults, with what the gateway configured on top (a fresh object each time). */
/** One-line status for a console: seq, acked, free %, boot, memory (not built into a board). */
export function firmwareStatus(fw: Firmware, hal: Hal): string {
  const journal = fw.journal;
  let vars = "?"; // a status line must never take the firmware down
  try {
    if (hal.memoryUsage) vars = "" + hal.memoryUsage();
  } catch {
    // stays "?"
  }
  return "seq " + journal.lastSeq + " acked " + journal.acked + " free " + Math.round((journal.freeBytes() * 100) / journal.capacity) +
    "% boot " + journal.state.boot + " torn " + journal.tornTails + " vars " + vars;
}

export function settingsFrom(c: DeviceConfig): CounterSettings {
  const s: CounterSettings = { sessionTimeout: 600, warnFreePct: 20, reserveBytes: 1024, splitArmSeconds: 30 };
  if (typeof c.sessionTimeout === "number" && c.sessionTimeout >= 30) s.sessionTimeout = c.sessionTimeout;
  if (typeof c.warnFreePct === "number" && c.warnFreePct >= 0 && c.warnFreePct <= 100) s.warnFreePct = c.warnFreePct;
  return s;
}

/** Builds the sync engine on boards with a link (kept out of the Pico's bundle). */
export type SyncStarter = (hal: Hal, p: Provisioning, journal: Journal, warn: WarnList, onConfig: (c: DeviceConfig) => void, state: DeviceStateFile) => SyncEngine | null;

export function startFirmware(hal: Hal, startSync?: SyncStarter): Firmware | null {
  const player = new FeedbackPlayer(hal.leds, hal.buzzer, hal.display, hal.timers);
  const prov = readProvisioning(hal.flash);
  if (!prov.ok) {
    hal.log("not provisioned: " + prov.message);
    player.play(FB_NO_SESSION, HAS_DISPLAY ? "Not provisioned" : "");
    return null;
  }
  const p = prov.value;
  const g = hal.geometry;
  const journal = new Journal(hal.flash, { prefix: "vtj", pages: g.pages, pageSize: g.pageSize, crc32: hal.crc32Str, ackPersistEvery: 32 });
  const history = new DispenseHistory(journal, g.historySize, hal.crc32Str, LARGE_STORAGE ? hal.flash : null);
  const warn = new WarnList(hal.flash, hal.crc32Str);
  warn.load();
  const state = new DeviceStateFile(hal.flash, hal.crc32Str);
  const saved = state.load();
  const counter = new Counter(
    journal,
    history,
    warn,
    (k, d) => player.play(k, d),
    () => hal.clock.uptime(),
    (token) => toHex(hmacSha256(hal.hashing.sha256, p.secret, bytesFromString(token)).subarray(0, 8)),
    hal.log,
    settingsFrom(saved.config),
  );
  journal.open((r) => {
    history.replay(r);
    counter.replay(r);
  }, saved.move);
  const boot = journal.markBoot(hal.clock.now(), hal.clock.uptime());
  counter.resumed();
  const sync = startSync
    ? startSync(hal, p, journal, warn, (c) => {
        counter.settings = settingsFrom(c);
      }, state)
    : null;

  // The tick runs only while something is timed (an open session, a link connecting or up): an
  // idle board has no timer pending and sleeps until the next read, press or link retry.
  let tickTimer = 0;
  const tick = () => {
    counter.tick();
    tickTimer = (sync && sync.tick()) || counter.session ? hal.timers.after(1000, tick) : 0;
  };
  const wake = () => {
    if (!tickTimer) tickTimer = hal.timers.after(1000, tick);
  };
  const assembler = new LineAssembler(MAX_READ, (line) => {
    counter.onScan(interpretScan(line, classifyScan));
    if (sync) sync.pump();
    wake();
  });
  hal.uart.onData((chunk) => assembler.push(chunk));
  hal.button.onPress((ms) => {
    counter.onButton(ms);
    if (sync) sync.pump();
    wake();
  });
  wake(); // a session left open by a power cut still times out
  if (sync) {
    sync.wake = wake;
    sync.start();
  }

  const fw: Firmware = {
    journal: journal,
    counter: counter,
    sync: sync,
    player: player,
    stop: () => {
      hal.timers.cancel(tickTimer);
      if (sync) sync.stop();
    },
  };
  hal.log("village-trace " + hal.board + " " + p.device + " boot " + boot + ": seq " + journal.lastSeq + " acked " + journal.acked + " torn " + journal.tornTails);
  return fw;
}
