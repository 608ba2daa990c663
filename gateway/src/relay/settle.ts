// What settling acked spans writes, in one transaction: each span leaves the outbox and
// becomes a relayed run; sales the platform refused keep their reason. Shared by the relay
// (inline) and the store writer thread.
import type { GatewayStore } from "../store/store";

/** One device's seqs from..to inside an acked message. */
export interface SettlePart {
  device: string;
  from: number;
  to: number;
}

export interface SettleFailure {
  device: string;
  seq: number;
  key: string;
  reason: string;
}

/** Commits without an fsync (store.redoableTransaction): a settle lost in a power cut only means those sales are sent again. */
export function settleSpans(store: GatewayStore, parts: SettlePart[], failed: SettleFailure[], nowSec: number): void {
  store.redoableTransaction(() => {
    for (const p of parts) {
      store.records.markRelayedSpan(p.device, p.from, p.to, nowSec);
      store.outbox.removeSpan(p.device, p.from, p.to);
    }
    for (const x of failed) store.records.markRelayErrorSeq(x.device, x.seq, nowSec, x.reason);
  });
}
