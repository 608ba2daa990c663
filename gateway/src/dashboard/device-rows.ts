// A device as the dashboard's table shows it: the public row plus what only the gateway
// knows (its ack position) and the figures derived from the board's last status frame.
import type { PublicDevice } from "../store/types";
import type { GatewayStore } from "../store/store";
import { publicDevice } from "../store/devices";

export interface DeviceRowView extends PublicDevice {
  /** Highest contiguous seq the gateway has stored (and acked) for this device. */
  gatewayAckedUpto: number;
  /** Records the board holds that the gateway has not stored yet, per its last status; null before any status. */
  unsynced: number | null;
}

/** Pure: unsynced = board's journal head minus the best known ack, never negative. */
export function unsyncedOf(stats: Record<string, unknown> | null, gatewayAckedUpto: number): number | null {
  if (!stats) return null;
  const head = stats.seqHead;
  if (typeof head !== "number" || !Number.isFinite(head)) return null;
  const boardAck = typeof stats.ackedUpto === "number" && Number.isFinite(stats.ackedUpto) ? stats.ackedUpto : 0;
  return Math.max(0, head - Math.max(boardAck, gatewayAckedUpto));
}

export function deviceRows(store: GatewayStore): DeviceRowView[] {
  return store.devices.list().map((d) => {
    const acked = store.records.ackedUpto(d.id);
    return { ...publicDevice(d), gatewayAckedUpto: acked, unsynced: unsyncedOf(d.stats, acked) };
  });
}
