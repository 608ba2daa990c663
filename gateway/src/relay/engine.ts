// Moves the outbox to the platform: many sales per message, each with its idempotency key;
// a bounded window of messages awaiting the platform's application-level ack; retries with
// the same msgId and exponential backoff; at most one message per device in flight, so a
// device's records arrive in seq order. A row leaves the outbox only on the platform's ack.
import { randomUUID } from "node:crypto";
import { PLATFORM_SCHEMA_VERSION, type PlatformAck, type PlatformAlert, type PlatformUpload } from "../../../protocol/src/platform";

import type { GatewayBus } from "../bus/events";
import type { Logger } from "../log/logger";
import type { PlatformSettings } from "../config/settings";
import type { GatewayStore } from "../store/store";
import type { StoredAlert, StoredRecord } from "../store/types";
import { backoffMs } from "./backoff";
import { chinaTime, toPlatformSale } from "./mapping";

export interface PlatformPort {
  /** Resolves when the broker has taken the message (PUBACK); rejects on failure. */
  publishUpload(upload: PlatformUpload): Promise<void>;
  publishAlert(alert: PlatformAlert): Promise<void>;
}

interface InFlight {
  upload: PlatformUpload;
  recordIds: number[];
  devices: string[];
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

const JUST_STORED_MAX = 100_000;

/** Acked messages whose rows leave the outbox together in the next settle transaction. */
interface Settling {
  recordIds: number[];
  devices: string[];
  failed: { id: number; key: string; reason: string }[];
}

export class RelayEngine {
  private readonly inFlight = new Map<string, InFlight>();
  private settling: Settling[] = [];
  /** Records just stored by ingest, kept until the pump sends them, so it need not read them back. */
  private readonly justStored = new Map<number, StoredRecord>();
  private settleScheduled = false;
  private readonly alertsSending = new Set<string>();
  private online = false;
  private timer: NodeJS.Timeout | null = null;
  private pumping = false;
  readonly stats: RelayStats = { inFlight: 0, delivered: 0, rejected: 0, retries: 0 };

  constructor(
    private readonly gatewayId: string,
    private readonly settings: PlatformSettings,
    private readonly store: GatewayStore,
    private readonly port: PlatformPort,
    private readonly bus: GatewayBus,
    private readonly log: Logger,
    private readonly nowMs: () => number = Date.now,
  ) {}

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

  get isOnline(): boolean {
    return this.online;
  }

  /**
   * Ingest's freshly stored records. Bounded: during a long outage the backlog is read
   * from the store instead, as after a restart.
   */
  remember(records: StoredRecord[]): void {
    if (this.justStored.size + records.length > JUST_STORED_MAX) return;
    for (const r of records) this.justStored.set(r.id, r);
  }

  /** Call when new records are stored or anything changed: fills the window. */
  pump(): void {
    if (!this.online || this.pumping) return;
    this.pumping = true;
    try {
      while (this.inFlight.size < this.settings.window) {
        // A device stays busy until its acked rows have left the outbox, or they would go out twice.
        const busy = [...new Set([...this.inFlight.values(), ...this.settling].flatMap((f) => f.devices))];
        const rows = this.store.outbox.nextBatch(busy, this.settings.batchSize);
        if (rows.length === 0) break;
        const records = this.recordsFor(rows.map((r) => r.recordId));
        const sales = [];
        const silent: number[] = [];
        const sessionOpens = new Map<string, StoredRecord | null>();
        for (const r of records) {
          const sale = toPlatformSale(r, this.related(r, sessionOpens));
          if (sale) sales.push(sale);
          else silent.push(r.id);
        }
        if (silent.length) this.settle(silent, []); // session markers: nothing to send
        if (sales.length === 0) continue;
        const sent = new Set(sales.map((s) => s.key));
        const upload: PlatformUpload = { v: PLATFORM_SCHEMA_VERSION, gateway: this.gatewayId, msgId: randomUUID(), sentAt: chinaTime(Math.floor(this.nowMs() / 1000)), sales };
        const f: InFlight = {
          upload,
          recordIds: records.filter((r) => sent.has(r.key)).map((r) => r.id),
          devices: [...new Set(records.map((r) => r.device))],
          attempt: 0,
          resendAt: 0,
        };
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
    const f = this.inFlight.get(ack.msgId);
    if (!f) return;
    if (ack.infcode !== 0) {
      this.log.warn({ msgId: ack.msgId, infcode: ack.infcode, err: ack.err_msg }, "platform refused the message; retrying");
      f.resendAt = this.nowMs() + backoffMs(f.attempt, this.settings.retryBaseMs, this.settings.retryMaxMs);
      return;
    }
    const byKey = new Map((ack.results ?? []).map((r) => [r.key, r]));
    const failed: { id: number; key: string; reason: string }[] = [];
    const keys = f.upload.sales.map((s) => s.key);
    f.recordIds.forEach((id, i) => {
      const res = byKey.get(keys[i]);
      if (res && !res.ok && !res.duplicate) failed.push({ id, key: keys[i], reason: res.err_msg ?? "rejected" });
    });
    this.inFlight.delete(ack.msgId);
    // Acks arrive in bursts: their rows leave the outbox in one transaction (one fsync)
    // right after this turn of the event loop, instead of one transaction per message.
    this.settling.push({ recordIds: f.recordIds, devices: f.devices, failed });
    if (!this.settleScheduled) {
      this.settleScheduled = true;
      setImmediate(() => {
        this.flushSettles();
        this.pump();
      });
    }
  }

  /** Writes every pending settle now. A failure leaves the rows in the outbox: they are sent again and the platform dedupes by key. */
  flushSettles(): void {
    this.settleScheduled = false;
    const batch = this.settling;
    if (batch.length === 0) return;
    try {
      this.settleAll(batch);
    } catch (err) {
      this.log.error({ err: String(err), messages: batch.length }, "settle failed; those records will be sent again");
      return;
    } finally {
      this.settling = [];
    }
    for (const s of batch) {
      const delivered = s.recordIds.length - s.failed.length;
      this.stats.delivered += delivered;
      this.stats.rejected += s.failed.length;
      this.bus.emit("relay-delivered", delivered);
      for (const x of s.failed) {
        this.log.warn({ key: x.key, reason: x.reason }, "platform rejected a sale");
        this.bus.emit("relay-rejected", x.key, x.reason);
      }
    }
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

  /** Records leave the outbox: delivered ones marked relayed, refused ones marked with the reason. */
  /** The rows for these ids, ascending by id: from the just-stored cache where possible. */
  private recordsFor(ids: number[]): StoredRecord[] {
    const out: StoredRecord[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const r = this.justStored.get(id);
      if (r) {
        out.push(r);
        this.justStored.delete(id);
      } else missing.push(id);
    }
    if (missing.length === 0) return out.sort((a, b) => a.id - b.id);
    if (out.length === 0) return this.store.records.byIds(missing);
    return out.concat(this.store.records.byIds(missing)).sort((a, b) => a.id - b.id);
  }

  private settle(recordIds: number[], failed: { id: number; reason: string }[]): void {
    this.settleAll([{ recordIds, devices: [], failed: failed.map((x) => ({ ...x, key: "" })) }]);
  }

  private settleAll(batch: Settling[]): void {
    const nowSec = Math.floor(this.nowMs() / 1000);
    this.store.transaction(() => {
      for (const s of batch) {
        const failedIds = new Set(s.failed.map((x) => x.id));
        this.store.records.markRelayed(failedIds.size ? s.recordIds.filter((id) => !failedIds.has(id)) : s.recordIds, nowSec);
        for (const x of s.failed) this.store.records.markRelayError(x.id, nowSec, x.reason);
        this.store.outbox.remove(s.recordIds);
      }
    });
  }

  /** The session's open record is shared by every sale of the session: looked up once per pump. */
  private related(r: StoredRecord, sessionOpens: Map<string, StoredRecord | null>): { open: StoredRecord | null; undone: StoredRecord | null } {
    let open: StoredRecord | null = null;
    if (r.session > 0) {
      const k = r.device + ":" + r.session;
      const cached = sessionOpens.get(k);
      if (cached !== undefined) open = cached;
      else sessionOpens.set(k, (open = this.store.records.get(r.device, r.session)));
    }
    return { open, undone: r.ref !== undefined ? this.store.records.get(r.device, r.ref) : null };
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

export function toPlatformAlert(gateway: string, a: StoredAlert): PlatformAlert {
  const out: PlatformAlert = { v: PLATFORM_SCHEMA_VERSION, gateway, id: a.id, kind: a.kind, severity: a.severity, at: chinaTime(a.at), reason: a.reason, evidence: a.evidence };
  if (a.device) out.device = a.device;
  if (a.code) out.code = a.code;
  return out;
}

