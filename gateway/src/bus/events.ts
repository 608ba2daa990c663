// The gateway's internal event bus: modules announce what happened, others (metrics, the
// relay, the fraud engine, the downlink) react without knowing each other.
import { EventEmitter } from "node:events";
import type { StatusFrame } from "../../../protocol/src/frame/types";
import type { StoredRecord } from "../store/types";
import type { StoredAlert } from "../store/types";
import type { OutboxRun } from "../store/outbox";

export interface GatewayEvents {
  /** Records newly committed (retransmissions excluded), in commit order. */
  "records-stored": (records: StoredRecord[]) => void;
  /**
   * The same commit as seen by the relay: the records, the outbox runs it added or
   * extended (as they now are) and the ack positions it moved. Emitted before
   * "records-stored".
   */
  "relay-queued": (records: StoredRecord[], runs: OutboxRun[], acks: { device: string; upto: number }[]) => void;
  /** A frame was refused; nothing changed. */
  "frame-rejected": (reason: string, device: string | null) => void;
  /** A frame was accepted (possibly all duplicates) and acked up to `upto`. */
  "frame-acked": (device: string, upto: number, fresh: number) => void;
  "alert-raised": (alert: StoredAlert) => void;
  /** The warn list grew: every device should learn the new codes. */
  "warn-list-changed": (added: string[]) => void;
  "disk-alarm": (active: boolean, freeBytes: number) => void;
  /** Sales accepted by the platform. */
  "relay-delivered": (count: number) => void;
  "relay-rejected": (key: string, reason: string) => void;
  "relay-retry": (msgId: string, attempt: number) => void;
  "device-connected": (device: string) => void;
  /** A board's status frame was stored on its device row (health, journal head, flash use). */
  "device-status": (device: string, status: StatusFrame) => void;
}

export class GatewayBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(50);
  }
  on<E extends keyof GatewayEvents>(event: E, listener: GatewayEvents[E]): () => void {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return () => this.emitter.off(event, listener as (...args: unknown[]) => void);
  }
  /** A throwing listener is isolated: it must not break ingest or the other listeners. */
  emit<E extends keyof GatewayEvents>(event: E, ...args: Parameters<GatewayEvents[E]>): void {
    for (const listener of this.emitter.listeners(event)) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.emitter.emit("listener-error", event, err);
      }
    }
  }
  onListenerError(fn: (event: string, err: unknown) => void): void {
    this.emitter.on("listener-error", fn);
  }
}
