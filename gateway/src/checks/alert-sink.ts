// Where every alert goes: stored durably, then announced on the bus (the relay sends it to
// the platform, the downlink pushes the code on the warn list to every board).
import type { GatewayBus } from "../bus/events";
import type { GatewayStore } from "../store/store";
import type { AlertSink, NewAlert, StoredAlert } from "../store/types";

/** Kinds whose code every board should warn about when scanned again. */
const WARN_KINDS = new Set(["duplicate-sale", "split-overrun", "warn-list", "expired-pack"]);

export interface RaisedAlert {
  alert: StoredAlert;
  /** The code newly added to the warn list, if any. */
  warned: string | null;
}

/** Stores an alert inside the caller's transaction; the caller announces it after commit. */
export function storeAlert(store: GatewayStore, a: NewAlert, nowSec: number): RaisedAlert {
  const alert = store.alerts.insert(a, nowSec);
  let warned: string | null = null;
  if (a.code && WARN_KINDS.has(a.kind) && store.warnList.add(a.code, nowSec, alert.id)) warned = a.code;
  return { alert, warned };
}

export function announceAlerts(bus: GatewayBus, raised: RaisedAlert[]): void {
  const added: string[] = [];
  for (const r of raised) {
    bus.emit("alert-raised", r.alert);
    if (r.warned) added.push(r.warned);
  }
  if (added.length) bus.emit("warn-list-changed", added);
}

/** The AlertSink the fraud engine and other extensions use. */
export function createAlertSink(store: GatewayStore, bus: GatewayBus, nowSec: () => number = () => Math.floor(Date.now() / 1000)): AlertSink {
  return {
    raise(a: NewAlert): StoredAlert {
      const raised = store.transaction(() => storeAlert(store, a, nowSec()));
      announceAlerts(bus, [raised]);
      return raised.alert;
    },
  };
}
