// The operator's one-glance view, shared by `gateway status` and GET /api/status.
import type { GatewayStore } from "../store/store";

export interface StatusSummary {
  records: number;
  backlog: number;
  devices: { active: number; revoked: number };
  alerts: Record<string, number>;
  warnList: number;
  /** Lifetime counters kept in the store (frames accepted, rejects by reason...). */
  counters: Record<string, number>;
}

export function statusSummary(store: GatewayStore): StatusSummary {
  return {
    records: store.records.count(),
    backlog: store.outbox.size(),
    devices: store.devices.counts(),
    alerts: store.alerts.countsByKind(),
    warnList: store.warnList.all().length,
    counters: store.counters.all(),
  };
}
