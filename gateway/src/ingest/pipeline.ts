// Ingest: verify each frame as it arrives, group the accepted ones that arrive within a
// few milliseconds into one transaction, and only after the commit ask for the acks.
import type { Hashing, StatusFrame } from "../../../protocol/src/frame/types";
import type { GatewayBus } from "../bus/events";
import { announceAlerts } from "../checks/alert-sink";
import type { Logger } from "../log/logger";
import type { DiskGuard } from "../store/disk-guard";
import type { GatewayStore } from "../store/store";
import type { DeviceRow, StoredRecord } from "../store/types";
import { storedRecords, type AcceptedFrame, type CommitOutcome, type FrameOutcome } from "./commit";
import { InlineWriter, type StoreWriter, type WriteResult } from "./store-writer";
import type { IngestRejectReason } from "./reject-reason";
import { verifyFrame } from "./verify";

export type IngestResult =
  | { ok: true; device: string; upto: number; fresh: number; duplicates: number }
  | { ok: false; reason: IngestRejectReason; device: string | null };

export interface IngestDeps {
  store: GatewayStore;
  bus: GatewayBus;
  hashing: Hashing;
  disk: DiskGuard;
  log: Logger;
  /** Publishes the ack for a device; called only after the records are committed. */
  sendAck: (device: string, upto: number) => void;
  batchWindowMs: number;
  batchMaxFrames: number;
  nowSec?: () => number;
  /** Runs the commits (default: inline on `store`'s connection). */
  writer?: StoreWriter;
}

interface Pending {
  accepted: AcceptedFrame;
  resolve: (r: IngestResult) => void;
}

export class IngestPipeline {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly nowSec: () => number;
  private readonly writer: StoreWriter;
  /** The batch the writer is committing: one at a time, so frames commit in arrival order. */
  private committing: Pending[] | null = null;

  constructor(private readonly deps: IngestDeps) {
    this.nowSec = deps.nowSec ?? (() => Math.floor(Date.now() / 1000));
    this.writer = deps.writer ?? new InlineWriter(deps.store);
  }

  /** Never throws: any failure becomes a counted, logged rejection that changes nothing. */
  handle(topic: string, bytes: Uint8Array): Promise<IngestResult> {
    const { store, hashing, disk } = this.deps;
    let verdict;
    try {
      // One read per device and frame (the topic's owner and the tag's key are usually the
      // same device); never cached across frames, so a revocation applies to the next one.
      const seen = new Map<string, DeviceRow | null>();
      const lookup = (id: string): DeviceRow | null => {
        let d = seen.get(id);
        if (d === undefined) seen.set(id, (d = store.devices.get(id)));
        return d;
      };
      verdict = verifyFrame(topic, bytes, lookup, hashing);
    } catch (err) {
      return Promise.resolve(this.refuse("store-error", null, String(err)));
    }
    if (!verdict.ok) return Promise.resolve(this.refuse(verdict.reason, verdict.device, verdict.message));
    if ("status" in verdict) return this.takeStatus(verdict.status, verdict.device.id);
    if (!disk.hasRoom()) return Promise.resolve(this.refuse("disk-full", verdict.device.id, "free space below threshold: not acking"));
    return new Promise<IngestResult>((resolve) => {
      this.queue.push({ accepted: { frame: verdict.frame, device: verdict.device, bytes }, resolve });
      if (this.queue.length >= this.deps.batchMaxFrames) this.flushSoon(0);
      else if (!this.timer) this.flushSoon(this.deps.batchWindowMs);
    });
  }

  /** Commits whatever is queued now and waits for it: done (acks asked for) when this returns. */
  drain(): void {
    while (this.queue.length || this.committing) {
      if (this.committing) this.writer.drainSync();
      else this.flush();
    }
    this.writer.drainSync(); // status reports
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private flushSoon(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  private flush(): void {
    // One commit at a time: what arrives meanwhile waits and commits as one batch as soon as
    // the writer answers (finish).
    if (this.committing) return;
    // At most batchMaxFrames per transaction, even when a burst queued more (a broker
    // delivering a backlog): the rest commits on the next turn of the event loop, so acks,
    // the relay and the platform's answers are served in between.
    const batch = this.queue.length > this.deps.batchMaxFrames ? this.queue.splice(0, this.deps.batchMaxFrames) : this.queue;
    if (batch === this.queue) this.queue = [];
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, 0);
    }
    if (batch.length === 0) return;
    this.committing = batch;
    this.writer.commit(batch.map((p) => p.accepted), this.nowSec(), (r) => this.finish(batch, r));
  }

  /** After the commit: acks, events, the relay; then the next batch if frames are waiting. */
  private finish(batch: Pending[], r: WriteResult<CommitOutcome>): void {
    this.committing = null;
    // A writer thread gets the next batch before this one's acks and relay work run here.
    if (this.writer.async && this.queue.length) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.flush();
    }
    try {
      this.announce(batch, r);
    } finally {
      if (this.queue.length && !this.timer && !this.committing) this.flushSoon(0);
    }
  }

  private announce(batch: Pending[], r: WriteResult<CommitOutcome>): void {
    const { bus, log, sendAck } = this.deps;
    if (!r.ok) {
      // Nothing was committed (the transaction rolled back) and nothing is acked: the
      // boards keep their records and send them again.
      log.error({ err: r.error, frames: batch.length }, "commit failed; frames not acked");
      for (const p of batch) p.resolve(this.refuse("store-error", p.accepted.device.id, r.error));
      return;
    }
    const outcome = r.value;
    const fresh: StoredRecord[] = [];
    outcome.frames.forEach((f: FrameOutcome, i: number) => {
      for (const r of storedRecords(batch[i].accepted.frame, f)) fresh.push(r);
      try {
        sendAck(f.device, f.upto);
      } catch (err) {
        log.warn({ err, device: f.device }, "ack publish failed; the board will retransmit");
      }
      bus.emit("frame-acked", f.device, f.upto, f.freshIds.length);
      batch[i].resolve({ ok: true, device: f.device, upto: f.upto, fresh: f.freshIds.length, duplicates: f.duplicates });
    });
    if (outcome.runs.length) bus.emit("relay-queued", fresh, outcome.runs, outcome.frames.map((f) => ({ device: f.device, upto: f.upto })));
    if (fresh.length) bus.emit("records-stored", fresh);
    announceAlerts(bus, outcome.alerts);
  }

  /** A board's health report: kept on the device row, answered with its current ack (lets it reclaim flash). */
  private takeStatus(status: StatusFrame, device: string): Promise<IngestResult> {
    const { store, log, sendAck } = this.deps;
    return new Promise<IngestResult>((resolve) => {
      this.writer.status(device, status, this.nowSec(), (r) => {
        if (!r.ok) return resolve(this.refuse("store-error", device, r.error));
        this.deps.bus.emit("device-status", device, status);
        let upto = 0;
        try {
          upto = store.records.ackedUpto(device);
          sendAck(device, upto);
        } catch (err) {
          log.warn({ err, device }, "ack publish failed");
        }
        resolve({ ok: true, device, upto, fresh: 0, duplicates: 0 });
      });
    });
  }

  private refuse(reason: IngestRejectReason, device: string | null, message: string): IngestResult {
    this.deps.log.warn({ reason, device, message }, "frame rejected");
    try {
      this.deps.store.counters.add("frames.rejected." + reason);
    } catch {
      // Counting must never turn a rejection into a crash (e.g. the disk is full).
    }
    this.deps.bus.emit("frame-rejected", reason, device);
    return { ok: false, reason, device };
  }
}
