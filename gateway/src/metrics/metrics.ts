// Prometheus metrics, fed by the bus and by reading the store at scrape time. One registry
// per gateway, so several gateways can live in one process (tests, the simulator).
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { GatewayBus } from "../bus/events";
import type { GatewayStore } from "../store/store";
import type { DiskGuard } from "../store/disk-guard";
import type { RelayEngine } from "../relay/engine";

export function createMetrics(bus: GatewayBus, store: GatewayStore, disk: DiskGuard, relay: () => RelayEngine | null, withProcessMetrics: boolean): Registry {
  const registry = new Registry();
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: "vt_gateway_" });
  const framesIn = new Counter({ name: "vt_gateway_frames_accepted_total", help: "Frames stored (or absorbed as retransmissions) and acked", registers: [registry] });
  const recordsIn = new Counter({ name: "vt_gateway_records_stored_total", help: "Records stored for the first time", registers: [registry] });
  const rejects = new Counter({ name: "vt_gateway_frames_rejected_total", help: "Frames refused, by reason", labelNames: ["reason"], registers: [registry] });
  const acks = new Counter({ name: "vt_gateway_acks_sent_total", help: "Acks published to boards", registers: [registry] });
  const alertsRaised = new Counter({ name: "vt_gateway_alerts_total", help: "Alerts raised, by kind", labelNames: ["kind"], registers: [registry] });
  const relayed = new Counter({ name: "vt_gateway_relay_delivered_total", help: "Sales acked by the platform", registers: [registry] });
  const relayRejected = new Counter({ name: "vt_gateway_relay_rejected_total", help: "Sales the platform refused", registers: [registry] });
  const retries = new Counter({ name: "vt_gateway_relay_retries_total", help: "Upload messages sent again", registers: [registry] });
  new Gauge({ name: "vt_gateway_backlog_records", help: "Records waiting for the platform", registers: [registry], collect() { this.set(store.outbox.size()); } });
  new Gauge({ name: "vt_gateway_disk_alarm", help: "1 when free space is below the threshold (new frames are not acked)", registers: [registry], collect() { this.set(disk.alarmActive ? 1 : 0); } });
  new Gauge({ name: "vt_gateway_disk_free_bytes", help: "Free bytes on the data volume at the last check", registers: [registry], collect() { if (Number.isFinite(disk.freeBytes)) this.set(disk.freeBytes); } });
  new Gauge({ name: "vt_gateway_relay_in_flight", help: "Upload messages awaiting the platform's ack", registers: [registry], collect() { this.set(relay()?.stats.inFlight ?? 0); } });
  new Gauge({ name: "vt_gateway_platform_online", help: "1 when the platform link is up", registers: [registry], collect() { this.set(relay()?.isOnline ? 1 : 0); } });
  const devices = new Gauge({ name: "vt_gateway_devices", help: "Provisioned devices by status", labelNames: ["status"], registers: [registry], collect() {
    const c = store.devices.counts();
    devices.set({ status: "active" }, c.active);
    devices.set({ status: "revoked" }, c.revoked);
  } });

  bus.on("frame-acked", (_d, _u, fresh) => { framesIn.inc(); acks.inc(); if (fresh) recordsIn.inc(fresh); });
  bus.on("frame-rejected", (reason) => rejects.inc({ reason }));
  bus.on("alert-raised", (a) => alertsRaised.inc({ kind: a.kind }));
  bus.on("relay-delivered", (n) => relayed.inc(n));
  bus.on("relay-rejected", () => relayRejected.inc());
  bus.on("relay-retry", () => retries.inc());
  return registry;
}
