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

export class SyncEngine {
  private o: SyncOptions;
  private d: SyncDeps;
  private up_ = false;
  private inflightLast_ = 0;
  private inflightAt_ = 0;
  private upAt_ = 0;
  private reconnectTimer_ = 0;
  private dev_: DeviceState;
  /** Restarts the firmware's tick when the link starts connecting or comes up (set by the app). */
  wake: (() => void) | null = null;
  /** Whether the clock was set by the gateway in this boot. */
  clockSet = false;
  counts = { framesSent: 0, resends: 0, acks: 0, staleAcks: 0, badFrames: 0, commands: 0, replayedCommands: 0 };

  constructor(o: SyncOptions, d: SyncDeps) {
    this.o = o;
    this.d = d;
    this.dev_ = d.state.load();
    if (this.dev_.config.batchMax !== undefined && this.dev_.config.batchMax >= 1) o.batchMax = this.dev_.config.batchMax;
    d.link.setHandlers({
      onUp: () => {
        if (this.wake) this.wake();
        this.up_ = true;
        this.d.backoff.reset();
        this.inflightLast_ = 0;
        this.upAt_ = this.d.clock.uptime();
        this.d.log("link up; unacked " + (this.d.journal.lastSeq - this.d.journal.acked));
        this.pump();
      },
      onDown: (why) => {
        this.up_ = false;
        this.inflightLast_ = 0;
        if (this.reconnectTimer_) return;
        const ms = this.d.backoff.next();
        this.d.log("link down (" + why + "); retry in " + ms + " ms");
        this.reconnectTimer_ = this.d.timers.after(ms, () => {
          this.reconnectTimer_ = 0;
          this.start();
        });
      },
      onFrame: (f) => this.onFrame(f),
    });
  }

  start(): void {
    this.d.link.connect();
    if (this.wake) this.wake();
  }

  /** Closes the link for good (no reconnect). */
  stop(): void {
    if (this.reconnectTimer_) this.d.timers.cancel(this.reconnectTimer_);
    this.reconnectTimer_ = 0;
    this.up_ = false;
    this.d.link.close();
  }

  /** Sends the next frame if the link is up and nothing is in flight. Call after new records too. */
  pump(): void {
    if (!this.up_ || this.inflightLast_) return;
    // The gateway's welcome brings the time: records sent before it could not be placed in time
    // (their boot's offset is learnt from a later frame), so wait for it a few seconds.
    if (!this.clockSet && this.d.clock.uptime() - this.upAt_ < TIME_WAIT_S) return;
    const j = this.d.journal;
    if (j.acked >= j.lastSeq) return;
    const records: ScanRecord[] = [];
    // The journal lends one scratch record to the visitor: keep a copy. Absent optional
    // fields are deleted on it (never undefined), so a shallow copy is exactly the record.
    j.read(j.acked + 1, this.o.batchMax, (r) => {
      records.push(Object.assign({}, r));
    });
    if (records.length === 0) return;
    const frame: BatchFrame = {
      device: this.o.device,
      boot: j.state.boot,
      uptime: Math.floor(this.d.clock.uptime()),
      time: Math.floor(this.d.clock.now()),
      trusted: j.state.trusted,
      records: records,
    };
    const n = fitRecords(frame);
    if (n === 0) {
      this.d.log("record " + records[0].seq + " does not fit a frame");
      return;
    }
    frame.records = records.slice(0, n);
    const bytes = encodeBatch(frame, this.o.key, this.o.hashing);
    if (!this.d.link.send(bytes)) return;
    this.counts.framesSent++;
    this.inflightLast_ = frame.records[n - 1].seq;
    this.inflightAt_ = this.d.clock.uptime();
  }

  /** About once a second: resend a frame whose ack did not come. True while the link needs ticks. */
  tick(): boolean {
    const busy = this.d.link.tick();
    if (!this.inflightLast_) this.pump();
    if (this.up_ && this.inflightLast_ && this.d.clock.uptime() - this.inflightAt_ >= this.o.ackTimeout) {
      this.counts.resends++;
      this.inflightLast_ = 0;
      this.pump();
    }
    return busy;
  }

  private syncClock_(t: number): void {
    if (!(t > 0)) return;
    const drift = Math.abs(this.d.clock.now() - t);
    if (this.clockSet && drift < this.o.maxDrift) return;
    this.d.clock.setTime(t);
    this.clockSet = true;
    this.d.journal.markTime(this.d.clock.now(), this.d.clock.uptime());
    this.d.log("clock set from gateway");
    this.pump();
  }

  onFrame(bytes: Uint8Array): void {
    const res = decodeDown(bytes, this.o.key, this.o.hashing);
    if (!res.ok) {
      this.counts.badFrames++;
      this.d.log("down frame refused: " + res.reason + " " + res.message);
      return;
    }
    const v = res.value;
    if (v.type === 2) {
      if (v.ack.device !== this.o.device) {
        this.counts.badFrames++;
        return;
      }
      this.syncClock_(v.ack.time);
      const before = this.d.journal.acked;
      const now = this.d.journal.ack(v.ack.upto, this.d.clock.uptime());
      if (now > before) this.counts.acks++;
      else this.counts.staleAcks++;
      // An ack covering the frame in flight (or beyond) frees the slot; a partial one makes
      // the next frame start after it.
      if (this.inflightLast_ && now >= this.inflightLast_) this.inflightLast_ = 0;
      else if (this.inflightLast_ && now > before) this.inflightLast_ = 0;
      this.pump();
      return;
    }
    // a command
    const c: CommandFrame = v.command;
    if (c.device !== this.o.device) {
      this.counts.badFrames++;
      return;
    }
    if (c.time !== undefined) this.syncClock_(c.time);
    if (c.id <= this.dev_.command) {
      this.counts.replayedCommands++;
      return;
    }
    this.counts.commands++;
    if (c.warn !== undefined && !this.d.applyWarnList(c.warn, c.warnReplace === true)) {
      this.d.log("warn list not stored: command " + c.id + " left for a resend");
      return;
    }
    const next: DeviceState = { command: c.id, config: this.dev_.config };
    if (c.config) {
      // the current configuration, then what the command sets on top
      const merged: DeviceConfig = {};
      for (const from of [this.dev_.config, c.config]) {
        if (from.sessionTimeout !== undefined) merged.sessionTimeout = from.sessionTimeout;
        if (from.batchMax !== undefined) merged.batchMax = from.batchMax;
        if (from.warnFreePct !== undefined) merged.warnFreePct = from.warnFreePct;
      }
      next.config = merged;
    }
    if (!this.d.state.save(next)) this.d.log("device state not stored");
    this.dev_ = next;
    if (next.config.batchMax !== undefined && next.config.batchMax >= 1) this.o.batchMax = next.config.batchMax;
    this.d.applyConfig(next.config);
  }
}
