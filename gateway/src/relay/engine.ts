// Moves the outbox to the platform: many sales per message, each with its idempotency key;
// a bounded window of messages awaiting the platform's application-level ack; retries with
// the same msgId and exponential backoff; at most one message per device in flight, so a
// device's records arrive in seq order. A span leaves the outbox only on the platform's ack.
// The relay keeps a copy of the outbox runs and the just-committed records in memory, so
// the normal path never reads back from SQLite; after a restart, or past the memory bound,
// it reads each span back with one range query.
import { randomUUID } from "node:crypto";
import { PLATFORM_SCHEMA_VERSION, type PlatformAck, type PlatformAlert, type PlatformSale, type PlatformUpload } from "../../../protocol/src/platform";
import type { GatewayBus } from "../bus/events";
import type { Logger } from "../log/logger";
import type { PlatformSettings } from "../config/settings";
import { afterRemoval, type OutboxRun } from "../store/outbox";
import type { GatewayStore } from "../store/store";
import type { StoredAlert, StoredRecord } from "../store/types";
import { backoffMs } from "./backoff";
import { InlineWriter, type StoreWriter } from "../ingest/store-writer";
import { chinaTime, toPlatformSale } from "./mapping";

export interface PlatformPort {
  /** Resolves when the broker has taken the message (PUBACK); rejects on failure. */
  publishUpload(upload: PlatformUpload): Promise<void>;
  publishAlert(alert: PlatformAlert): Promise<void>;
}

/** One device's seqs from..to inside a message (a device has at most one part in flight). */
interface Part {
  device: string;
  from: number;
  to: number;
}

interface InFlight {
  upload: PlatformUpload;
  parts: Part[];
  attempt: number;
  /** When to send again if no ack has come (ms clock). */
  resendAt: number;
}

export interface RelayStats {
  inFlight: number;
  delivered: number;
  rejected: number;
  retries: number;
}

/** Records kept in memory between their commit and their upload, across all devices. */
const CACHE_MAX = 200_000;
/** The outbox is re-read this often (e.g. a replay queued records from another process). */
const RELOAD_MS = 5_000;

/** Acked messages whose spans leave the outbox together in the next settle transaction. */
interface Settling {
  parts: Part[];
  sales: number;
  failed: { device: string; seq: number; key: string; reason: string }[];
}

/**
 * The relay's copy of one device's outbox runs, its ack position and the records stored
 * but not sent yet (so the normal path never reads them back from SQLite).
 */
interface DeviceQueue {
  runs: { id: number; from: number; to: number }[];
  upto: number;
  cache: Map<number, StoredRecord>;
}

/** Whether the platform itself (not just its broker) is there, as it announces on its status topic. */
export type PlatformPresence = "unknown" | "online" | "offline";

export class RelayEngine {
  private readonly inFlight = new Map<string, InFlight>();
  private settling: Settling[] = [];
  private readonly queues = new Map<string, DeviceQueue>();
  /** Round-robin order of the devices with a queue, so one busy device never starves the others. */
  private order: string[] = [];
  private cursor = 0;
  /** Devices with a part in flight or settling: their next records wait (per-device order). */
  private readonly busy = new Set<string>();
  private cached = 0;
  private settleScheduled = false;
  private readonly alertsSending = new Set<string>();
  private online = false;
  private presence: PlatformPresence = "unknown";
  private lastReload = 0;
  private timer: NodeJS.Timeout | null = null;
  private pumping = false;
  private writer: StoreWriter;
  /** Settles sent to the writer and not answered yet: the outbox is not re-read meanwhile. */
  private settlesInFlight = 0;
  readonly stats: RelayStats = { inFlight: 0, delivered: 0, rejected: 0, retries: 0 };

  constructor(
    private readonly gatewayId: string,
    private readonly settings: PlatformSettings,
    private readonly store: GatewayStore,
    private readonly port: PlatformPort,
    private readonly bus: GatewayBus,
    private readonly log: Logger,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.writer = new InlineWriter(store);
    this.reload();
  }

  /** Where settles are written (the gateway's store writer thread; default inline). */
  useWriter(writer: StoreWriter): void {
    this.writer = writer;
  }

  start(tickMs = 200): void {
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flushSettles();
  }

  /** The platform link went up or down. Coming up, everything in flight is sent again at once. */
  setOnline(online: boolean): void {
    this.online = online;
    if (online) {
      for (const f of this.inFlight.values()) f.resendAt = 0;
      this.tick();
    }
  }

  /**
   * The platform announced itself (status topic). Online: whatever is in flight was sent
   * while nobody listened, so it goes again now instead of after the ack timeout. Offline:
   * no new messages until it is back (those in flight are still retried on their timeout).
   */
  setPresence(presence: PlatformPresence): void {
    const was = this.presence;
    this.presence = presence;
    if (presence === "online" && was !== "online") {
      for (const f of this.inFlight.values()) f.resendAt = 0;
      this.tick();
    }
  }

  get isOnline(): boolean {
    return this.online;
  }

  get platformPresence(): PlatformPresence {
    return this.presence;
  }

  /**
   * A commit's outcome (ingest's "relay-queued"): the outbox runs it added or extended, the
   * ack positions it moved and the records themselves, kept in memory up to a bound (past
   * it, e.g. during a long outage, they are read back from the store when their turn comes).
   */
  remember(records: StoredRecord[], runs: OutboxRun[], acks: { device: string; upto: number }[]): void {
    for (const a of acks) {
      const q = this.queue(a.device);
      if (a.upto > q.upto) q.upto = a.upto;
    }
    for (const run of runs) upsertRun(this.queue(run.device), run);
    for (const r of records) {
      if (this.cached >= CACHE_MAX) break;
      const q = this.queue(r.device);
      if (!q.cache.has(r.seq)) this.cached++;
      q.cache.set(r.seq, r);
    }
  }

  /** Call when new records are stored or anything changed: fills the window. */
  pump(): void {
    if (!this.online || this.pumping) return;
    this.pumping = true;
    try {
      while (this.presence !== "offline" && this.inFlight.size < this.settings.window) {
        const next = this.nextMessage();
        if (!next) break;
        if (next.sales.length === 0) {
          // Session markers only: nothing to send, they leave the outbox now.
          this.settleNow({ parts: next.parts, sales: 0, failed: [] });
          continue;
        }
        const upload: PlatformUpload = { v: PLATFORM_SCHEMA_VERSION, gateway: this.gatewayId, msgId: randomUUID(), sentAt: chinaTime(Math.floor(this.nowMs() / 1000)), sales: next.sales };
        const f: InFlight = { upload, parts: next.parts, attempt: 0, resendAt: 0 };
        this.inFlight.set(upload.msgId, f);
        this.send(f);
      }
      this.sendAlerts();
    } catch (err) {
      this.log.error({ err }, "relay pump failed; will retry on the next tick");
    } finally {
      this.pumping = false;
      this.stats.inFlight = this.inFlight.size;
    }
  }

  /** The platform's application-level answer. Unknown msgIds (already settled) are ignored. */
  onAck(ack: PlatformAck): void {
    // An answer proves the platform is there, whatever its status topic last said.
    if (this.presence === "offline") this.presence = "online";
    const f = this.inFlight.get(ack.msgId);
    if (!f) return;
    if (ack.infcode !== 0) {
      this.log.warn({ msgId: ack.msgId, infcode: ack.infcode, err: ack.err_msg }, "platform refused the message; retrying");
      f.resendAt = this.nowMs() + backoffMs(f.attempt, this.settings.retryBaseMs, this.settings.retryMaxMs);
      return;
    }
    const failed: Settling["failed"] = [];
    if (ack.results && ack.results.length) {
      const byKey = new Map(ack.results.map((r) => [r.key, r]));
      for (const s of f.upload.sales) {
        const res = byKey.get(s.key);
        if (res && !res.ok && !res.duplicate) failed.push({ device: s.device, seq: s.seq, key: s.key, reason: res.err_msg ?? "rejected" });
      }
    }
    this.inFlight.delete(ack.msgId);
    // Acks arrive in bursts: their spans leave the outbox in one transaction (one fsync)
    // right after this turn of the event loop, instead of one transaction per message.
    this.settling.push({ parts: f.parts, sales: f.upload.sales.length, failed });
    if (!this.settleScheduled) {
      this.settleScheduled = true;
      setImmediate(() => {
        this.pump(); // devices not waiting on this settle need not wait for its commit
        this.flushSettles();
        this.pump();
      });
    }
  }

  /** Writes every pending settle now. A failure leaves the spans in the outbox: they are sent again and the platform dedupes by key. */
  flushSettles(): void {
    this.settleScheduled = false;
    const batch = this.settling;
    this.settling = [];
    if (batch.length === 0) return;
    for (const s of batch) this.settleNow(s);
  }

  /** Resolves once nothing is in flight, or after `ms`. */
  async drain(ms: number): Promise<boolean> {
    const deadline = this.nowMs() + ms;
    while (this.inFlight.size > 0 && this.nowMs() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.flushSettles();
    return this.inFlight.size === 0;
  }

  private tick(): void {
    if (!this.online) return;
    const now = this.nowMs();
    for (const f of this.inFlight.values()) if (f.resendAt <= now) this.send(f);
    // The store is the truth; the copy equals it except for runs queued by another process
    // (`gateway replay`). Ingest and settles update both in the same turn, so between
    // turns (no settle pending) a re-read is always safe, in flight or not.
    if (this.settling.length === 0 && this.settlesInFlight === 0 && now - this.lastReload >= RELOAD_MS) this.reload();
    this.pump();
  }

  private send(f: InFlight): void {
    f.attempt++;
    if (f.attempt > 1) {
      this.stats.retries++;
      this.bus.emit("relay-retry", f.upload.msgId, f.attempt);
    }
    // Until the ack (or the next backoff step) arrives, do not send again.
    f.resendAt = this.nowMs() + this.settings.ackTimeoutMs + backoffMs(f.attempt, this.settings.retryBaseMs, this.settings.retryMaxMs);
    this.port.publishUpload(f.upload).catch((err) => {
      this.log.warn({ err: String(err), msgId: f.upload.msgId }, "upload publish failed; will retry");
      f.resendAt = this.nowMs() + backoffMs(f.attempt, this.settings.retryBaseMs, this.settings.retryMaxMs);
    });
  }

  private queue(device: string): DeviceQueue {
    let q = this.queues.get(device);
    if (!q) {
      q = { runs: [], upto: 0, cache: new Map() };
      this.queues.set(device, q);
      this.order.push(device);
    }
    return q;
  }

  /**
   * Re-reads the outbox runs and ack positions from the store (the truth), keeping the
   * cached records that are still owed. At start, and every RELOAD_MS.
   */
  private reload(): void {
    this.lastReload = this.nowMs();
    let runs: OutboxRun[];
    let acks: { device: string; upto: number }[];
    try {
      runs = this.store.outbox.all();
      acks = this.store.records.ackPositions();
    } catch (err) {
      this.log.error({ err: String(err) }, "relay could not read the outbox; will retry");
      return;
    }
    const old = this.queues;
    const fresh = new Map<string, DeviceQueue>();
    for (const run of runs) {
      let q = fresh.get(run.device);
      if (!q) fresh.set(run.device, (q = { runs: [], upto: 0, cache: old.get(run.device)?.cache ?? new Map() }));
      q.runs.push({ id: run.id, from: run.from, to: run.to });
    }
    for (const a of acks) {
      const q = fresh.get(a.device);
      if (q) q.upto = Math.max(a.upto, old.get(a.device)?.upto ?? 0);
    }
    this.cached = 0;
    for (const q of fresh.values()) {
      for (const seq of q.cache.keys()) if (!q.runs.some((r) => seq >= r.from && seq <= r.to)) q.cache.delete(seq);
      this.cached += q.cache.size;
    }
    this.queues.clear();
    for (const [d, q] of fresh) this.queues.set(d, q);
    this.order = [...fresh.keys()];
    this.cursor = 0;
  }

  /** The next message: the front span of each idle device's runs, under its ack position, up to batchSize records. */
  private nextMessage(): { parts: Part[]; sales: PlatformSale[] } | null {
    const parts: Part[] = [];
    const sales: PlatformSale[] = [];
    const sessionOpens = new Map<string, StoredRecord | null>();
    let budget = this.settings.batchSize;
    const n = this.order.length;
    const start = this.cursor;
    for (let k = 0; k < n && budget > 0; k++) {
      const i = (start + k) % n;
      const device = this.order[i];
      if (this.busy.has(device)) continue;
      const q = this.queues.get(device);
      const run = q?.runs[0];
      // Only records under the device's ack position go out: a gap still being filled by
      // the board would otherwise let a later record overtake an earlier one.
      if (!q || !run || run.from > q.upto) continue;
      const to = Math.min(run.to, q.upto, run.from + budget - 1);
      for (const r of this.recordsFor(device, q, run.from, to)) {
        const sale = toPlatformSale(r, this.related(q, r, sessionOpens));
        if (sale) sales.push(sale);
      }
      budget -= to - run.from + 1;
      parts.push({ device, from: run.from, to });
      this.busy.add(device);
      this.cursor = (i + 1) % n;
    }
    return parts.length ? { parts, sales } : null;
  }

  /** A span's records, ascending: from memory when all are there, else read back from the store. */
  private recordsFor(device: string, q: DeviceQueue, from: number, to: number): StoredRecord[] {
    const out: StoredRecord[] = [];
    for (let seq = from; seq <= to; seq++) {
      const r = q.cache.get(seq);
      if (!r) break;
      out.push(r);
    }
    const all = out.length === to - from + 1 ? out : this.store.records.byRange(device, from, to);
    for (let seq = from; seq <= to; seq++) if (q.cache.delete(seq)) this.cached--;
    return all;
  }

  /** Spans leave the outbox: records marked relayed (refused ones with the reason), in one transaction; then the relay's copy follows. */
  private settleNow(s: Settling): void {
    this.settlesInFlight++;
    this.writer.settle(s.parts, s.failed, Math.floor(this.nowMs() / 1000), (r) => {
      this.settlesInFlight--;
      if (!r.ok) {
        this.log.error({ err: r.error, parts: s.parts.length }, "settle failed; those records will be sent again");
        for (const p of s.parts) this.busy.delete(p.device);
        return;
      }
      this.settled(s);
      if (this.settlesInFlight === 0 && !this.pumping) this.pump();
    });
  }

  /** The relay's copy follows a committed settle; its devices may send again. */
  private settled(s: Settling): void {
    for (const p of s.parts) {
      const q = this.queues.get(p.device);
      if (q) {
        const runs: DeviceQueue["runs"] = [];
        for (const r of q.runs) {
          const after = afterRemoval(r, p.from, p.to);
          if (after === "keep") runs.push(r);
          else if (after !== "delete") runs.push({ id: r.id, from: after.from, to: r.to });
        }
        q.runs = runs;
      }
      this.busy.delete(p.device);
    }
    if (s.sales === 0 && s.failed.length === 0) return;
    const delivered = s.sales - s.failed.length;
    this.stats.delivered += delivered;
    this.stats.rejected += s.failed.length;
    this.bus.emit("relay-delivered", delivered);
    for (const x of s.failed) {
      this.log.warn({ key: x.key, reason: x.reason }, "platform rejected a sale");
      this.bus.emit("relay-rejected", x.key, x.reason);
    }
  }

  /** The session's open record is shared by every sale of the session: looked up once per message. */
  private related(q: DeviceQueue, r: StoredRecord, sessionOpens: Map<string, StoredRecord | null>): { open: StoredRecord | null; undone: StoredRecord | null } {
    let open: StoredRecord | null = null;
    if (r.session > 0) {
      const k = r.device + ":" + r.session;
      const cached = sessionOpens.get(k);
      if (cached !== undefined) open = cached;
      else sessionOpens.set(k, (open = q.cache.get(r.session) ?? this.store.records.get(r.device, r.session)));
    }
    return { open, undone: r.ref !== undefined ? (q.cache.get(r.ref) ?? this.store.records.get(r.device, r.ref)) : null };
  }

  private sendAlerts(): void {
    for (const a of this.store.alerts.unpublished(50)) {
      if (this.alertsSending.has(a.id)) continue;
      this.alertsSending.add(a.id);
      this.port
        .publishAlert(toPlatformAlert(this.gatewayId, a))
        .then(() => this.store.alerts.markPublished(a.id))
        .catch((err) => this.log.warn({ err: String(err), alert: a.id }, "alert publish failed; will retry"))
        .finally(() => this.alertsSending.delete(a.id));
    }
  }
}

/** Puts a run (as the store now has it) into a device's sorted copy: replaced by id, else inserted by its first seq. */
function upsertRun(q: DeviceQueue, run: OutboxRun): void {
  const have = q.runs.find((r) => r.id === run.id);
  if (have) {
    have.from = run.from;
    have.to = run.to;
    return;
  }
  let i = q.runs.length;
  while (i > 0 && q.runs[i - 1].from > run.from) i--;
  q.runs.splice(i, 0, { id: run.id, from: run.from, to: run.to });
}

export function toPlatformAlert(gateway: string, a: StoredAlert): PlatformAlert {
  const out: PlatformAlert = { v: PLATFORM_SCHEMA_VERSION, gateway, id: a.id, kind: a.kind, severity: a.severity, at: chinaTime(a.at), reason: a.reason, evidence: a.evidence };
  if (a.device) out.device = a.device;
  if (a.code) out.code = a.code;
  return out;
}

