// Pre-encoded, valid batch frames for a simulated fleet: every device gets its own secret,
// contiguous seqs and codes no other record uses (so the one-box-one-sale check stays quiet
// and the relay sees only plain sales). Encoding happens before any clock starts.
import { encodeBatchNode } from "../../protocol/src/node/encode";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { EV_DISPENSE, type ScanRecord } from "../../protocol/src/record";
import type { GatewayStore } from "../../gateway/src/store/store";

export const FLEET_T0 = 1_750_000_000;

export interface FleetFrame {
  device: string;
  /** Highest seq in the frame: the ack that settles it. */
  lastSeq: number;
  records: number;
  bytes: Uint8Array;
}

export function fleetDeviceId(i: number): string {
  return "bench-" + String(i).padStart(4, "0");
}

/** Deterministic per-device secret (32 bytes), so provisioning and encoding agree. */
export function fleetSecret(device: string): Uint8Array {
  const s = new Uint8Array(32);
  for (let i = 0; i < 32; i++) s[i] = (device.charCodeAt(i % device.length) * 31 + i * 17 + 5) & 0xff;
  return s;
}

/** A 20-digit code unique to (device index, seq). */
export function fleetCode(deviceIndex: number, seq: number): string {
  return "8" + String(deviceIndex).padStart(5, "0") + String(seq).padStart(14, "0");
}

export function fleetRecord(deviceIndex: number, seq: number): ScanRecord {
  return { seq, time: FLEET_T0 + seq, trusted: true, boot: 1, uptime: 100 + seq, event: EV_DISPENSE, session: 0, code: fleetCode(deviceIndex, seq) };
}

/**
 * `framesPerDevice` frames of `recordsPerFrame` records for each of `devices` devices,
 * interleaved device by device (frame 1 of every device, then frame 2...), seqs from
 * `firstSeq`.
 */
export function buildFleetFrames(devices: number, framesPerDevice: number, recordsPerFrame: number, firstSeq = 1): FleetFrame[] {
  const out: FleetFrame[] = [];
  for (let f = 0; f < framesPerDevice; f++) {
    for (let d = 0; d < devices; d++) {
      const device = fleetDeviceId(d);
      const records: ScanRecord[] = [];
      const from = firstSeq + f * recordsPerFrame;
      for (let q = from; q < from + recordsPerFrame; q++) records.push(fleetRecord(d, q));
      const bytes = encodeBatchNode({ device, boot: 1, uptime: 100 + from + recordsPerFrame, time: FLEET_T0 + from + recordsPerFrame, trusted: true, records }, fleetSecret(device), nodeHashing);
      out.push({ device, lastSeq: from + recordsPerFrame - 1, records: recordsPerFrame, bytes });
    }
  }
  return out;
}

export function provisionFleet(store: GatewayStore, devices: number): void {
  store.transaction(() => {
    for (let d = 0; d < devices; d++) {
      const id = fleetDeviceId(d);
      if (!store.devices.get(id)) store.devices.add({ id, secret: fleetSecret(id), institution: "H" + String(d).padStart(5, "0"), operator: "operator " + d }, FLEET_T0);
    }
  });
}
