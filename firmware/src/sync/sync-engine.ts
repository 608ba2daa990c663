// Sync: when the link is up, send the journal's unacked records as batch frames, one frame
// in flight at a time, and advance ONLY on the gateway's verified ack. A frame with no ack
// in time is sent again (the gateway dedupes). Acks also set the clock; commands carry time,
// configuration and the warn list, applied once (by growing id) and persisted.
import type { ScanRecord } from "../../../protocol/src/record";
import type { BatchFrame, CommandFrame, DeviceConfig, Hashing } from "../../../protocol/src/frame/types";
import { encodeBatch, fitRecords, decodeDown } from "../../../protocol/src/frame/index";
import type { Journal } from "../journal/journal";
import type { Clock, Timers } from "../hal/io";
import type { Link } from "../link/link";
import type { Backoff } from "./backoff";
import type { DeviceStateFile, DeviceState } from "./device-state";

/** Seconds a fresh link waits for the gateway's time before sending records anyway. */
const TIME_WAIT_S = 5;

export interface SyncOptions {
  device: string;
  key: Uint8Array;
  hashing: Hashing;
  /** Most records per frame (the frame size limit may cut it further). */
  batchMax: number;
  /** Seconds to wait for an ack before sending the frame again. */
  ackTimeout: number;
  /** Seconds of clock disagreement with the gateway that are worth a journal entry. */
  maxDrift: number;
}

export interface SyncDeps {
  journal: Journal;
  link: Link;
  clock: Clock;
  timers: Timers;
  backoff: Backoff;
  state: DeviceStateFile;
  /** A configuration from the gateway, merged with the current one. */
  applyConfig: (c: DeviceConfig) => void;
  applyWarnList: (keys: string[], replace: boolean) => boolean;
  log: (msg: string) => void;
}

// Written as locals of the constructor rather than members: on the board a local is a one-byte
// name, a member `this.x` three bytes, a dependency reached through `this.d.x` five.
export class SyncEngine {
  /** Restarts the firmware's tick when the link starts connecting or comes up (set by the app). */
  wake: (() => void) | null = null;
  /** Whether the clock was set by the gateway in this boot. */
  clockSet = false;
  counts = { framesSent: 0, resends: 0, staleAcks: 0, badFrames: 0, replayedCommands: 0 };
  start: () => void;
  /** Closes the link for good (no reconnect). */
  stop: () => void;
  /** Sends the next frame if the link is up and nothing is in flight. Call after new records too. */
  pump: () => void;
  /** About once a second: resend a frame whose ack did not come. True while the link needs ticks. */
  tick: () => boolean;
  onFrame: (bytes: Uint8Array) => void;

  constructor(o: SyncOptions, d: SyncDeps) {
    const journal = d.journal;
    const link = d.link;
    const clock = d.clock;
    const log = d.log;
    const counts = this.counts;
    let up = false;
    let inflightLast = 0;
    let inflightAt = 0;
    let upAt = 0;
    let reconnectTimer = 0;
    let dev = d.state.load();
    if (dev.config.batchMax !== undefined && dev.config.batchMax >= 1) o.batchMax = dev.config.batchMax;

    const start = () => {
      link.connect();
      if (this.wake) this.wake();
    };
    const pump = () => {
      if (!up || inflightLast) return;
      // The gateway's welcome brings the time: records sent before it could not be placed in time
      // (their boot's offset is learnt from a later frame), so wait for it a few seconds.
      if (!this.clockSet && clock.uptime() - upAt < TIME_WAIT_S) return;
      // A journal whose seq is unconfirmed (held) has nothing to send: an empty frame asks the
      // gateway for its ack, which says where the seq stands.
      if (journal.acked >= journal.lastSeq && !journal.held()) return;
      const records: ScanRecord[] = [];
      // The journal decodes every record into a new object whose absent optional fields are
      // absent (never undefined): it is exactly the record.
      journal.read(journal.acked + 1, o.batchMax, (r) => {
        records.push(r);
      });
      const frame: BatchFrame = {
        device: o.device,
        boot: journal.state.boot,
        uptime: Math.floor(clock.uptime()),
        time: Math.floor(clock.now()),
        trusted: journal.state.trusted,
        records: records,
      };
      const n = fitRecords(frame);
      if (!n && records.length) return log("record " + records[0].seq + " too big");
      frame.records = records.slice(0, n);
      if (!link.send(encodeBatch(frame, o.key, o.hashing))) return;
      counts.framesSent++;
      inflightLast = n ? records[n - 1].seq : 1;
      inflightAt = clock.uptime();
    };
    const syncClock = (t: number) => {
      if (!(t > 0)) return;
      if (this.clockSet && Math.abs(clock.now() - t) < o.maxDrift) return;
      clock.setTime(t);
      this.clockSet = true;
      journal.markTime(clock.now(), clock.uptime());
      log("clock set");
      pump();
    };

    this.start = start;
    this.stop = () => {
      if (reconnectTimer) d.timers.cancel(reconnectTimer);
      reconnectTimer = 0;
      up = false;
      link.close();
    };
    this.pump = pump;
    this.tick = () => {
      const busy = link.tick();
      if (!inflightLast) pump();
      if (up && inflightLast && clock.uptime() - inflightAt >= o.ackTimeout) {
        counts.resends++;
        inflightLast = 0;
        pump();
      }
      return busy;
    };
    const onFrame = (bytes: Uint8Array) => {
      const res = decodeDown(bytes, o.key, o.hashing);
      if (!res.ok) {
        counts.badFrames++;
        return log("down frame: " + res.reason + " " + res.message);
      }
      const v = res.value;
      // the device's own frames only: another device's is counted as bad
      if ((v.type === 2 ? v.ack.device : v.command.device) !== o.device) {
        counts.badFrames++;
        return;
      }
      if (v.type === 2) {
        syncClock(v.ack.time);
        const before = journal.acked;
        // an ack at or above the next seq renumbers the records written since the seq was lost,
        // once the device state keeps the renumbering (so a reboot reads them the same way)
        const now = journal.ack(v.ack.upto, clock.uptime(), (m) => d.state.save({ command: dev.command, config: dev.config, move: m }) && !!(dev.move = m));
        if (now <= before) counts.staleAcks++;
        // An ack covering the frame in flight (or beyond) frees the slot; a partial one makes
        // the next frame start after it.
        if (inflightLast && (now >= inflightLast || now > before)) inflightLast = 0;
        return pump();
      }
      // a command
      const c: CommandFrame = v.command;
      if (c.time !== undefined) syncClock(c.time);
      if (c.id <= dev.command) {
        counts.replayedCommands++;
        return;
      }
      if (c.warn !== undefined && !d.applyWarnList(c.warn, c.warnReplace === true)) return log("warn list not stored, command " + c.id); // not applied: the gateway resends it
      // the current configuration, then what the command sets on top (a decoded or loaded
      // configuration holds only the fields it has, never one set to undefined)
      const next: DeviceState = { command: c.id, config: c.config ? (Object.assign({}, dev.config, c.config) as DeviceConfig) : dev.config, move: dev.move };
      if (!d.state.save(next)) log("vtstate not stored");
      dev = next;
      if (next.config.batchMax !== undefined && next.config.batchMax >= 1) o.batchMax = next.config.batchMax;
      d.applyConfig(next.config);
    };
    this.onFrame = onFrame;

    link.setHandlers({
      onUp: () => {
        if (this.wake) this.wake();
        up = true;
        d.backoff.reset();
        inflightLast = 0;
        upAt = clock.uptime();
        log("link up, unacked " + (journal.lastSeq - journal.acked));
        pump();
      },
      onDown: (why) => {
        up = false;
        inflightLast = 0;
        if (reconnectTimer) return;
        const ms = d.backoff.next();
        log("link down (" + why + "), retry " + ms + "ms");
        reconnectTimer = d.timers.after(ms, () => {
          reconnectTimer = 0;
          start();
        });
      },
      onFrame: onFrame,
    });
  }
}
