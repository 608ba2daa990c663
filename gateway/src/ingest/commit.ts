// Commits a group of verified frames in ONE transaction: records (idempotent on
// (device, seq)), fixed times, the one-box-one-sale index, alerts, the outbox and the ack
// position. Either all of it lands or none, so an ack can never run ahead of the data.
import type { BatchFrame } from "../../../protocol/src/frame/types";
import { EV_UNDO, recordKey } from "../../../protocol/src/record";
import { isSale, judgeSale, judgeUndo } from "../checks/one-box-one-sale";
import { storeAlert, type RaisedAlert } from "../checks/alert-sink";
import type { GatewayStore } from "../store/store";
import type { DeviceRow, StoredRecord } from "../store/types";
import { fixTime, offsetsFromFrame } from "./time-fix";

export interface AcceptedFrame {
  frame: BatchFrame;
  device: DeviceRow;
}

export interface FrameOutcome {
  device: string;
  /** Highest contiguous seq now stored: what the ack says. */
  upto: number;
  /** Row ids of records stored for the first time (retransmissions excluded). */
  freshIds: number[];
  /** Those records as stored, built from what was inserted (no read-back). */
  fresh: StoredRecord[];
  duplicates: number;
}

export interface CommitOutcome {
  frames: FrameOutcome[];
  alerts: RaisedAlert[];
}

export function commitFrames(store: GatewayStore, accepted: AcceptedFrame[], nowSec: number): CommitOutcome {
  return store.transaction(() => {
    const frames: FrameOutcome[] = [];
    const alerts: RaisedAlert[] = [];
    let fresh = 0;
    for (const { frame, device } of accepted) {
      for (const o of offsetsFromFrame(frame)) store.records.learnBootOffset(device.id, o.boot, o.offset);
      const freshIds: number[] = [];
      const freshRecords: StoredRecord[] = [];
      let duplicates = 0;
      for (const r of frame.records) {
        const t = fixTime(r, r.trusted ? null : store.records.bootOffset(device.id, r.boot));
        const ctx = { ...t, institution: device.institution, operator: device.operator, receivedAt: nowSec };
        const id = store.records.insert(device.id, r, ctx);
        if (id === null) {
          duplicates++;
          continue;
        }
        const key = recordKey(device.id, r.seq);
        freshIds.push(id);
        freshRecords.push({ ...r, id, device: device.id, key, ...ctx, relayedAt: null, relayError: null });
        store.outbox.enqueue(id, device.id, r.seq);
        if (isSale(r.event) && r.code) {
          const d = judgeSale({ key, device: device.id, institution: device.institution, event: r.event, code: r.code, units: r.units, perPack: r.perPack }, store.dispensed.get(r.code));
          store.dispensed.put(r.code, d.entry);
          if (d.alert) alerts.push(storeAlert(store, d.alert, nowSec));
        } else if (r.event === EV_UNDO && r.ref !== undefined) {
          const undone = store.records.get(device.id, r.ref);
          if (undone && undone.code && isSale(undone.event)) {
            store.dispensed.put(undone.code, judgeUndo({ key: undone.key, units: undone.units, event: undone.event }, store.dispensed.get(undone.code)));
          }
        }
      }
      fresh += freshIds.length;
      frames.push({ device: device.id, upto: store.records.advanceAck(device.id), freshIds, fresh: freshRecords, duplicates });
      store.devices.touch(device.id, nowSec);
    }
    store.counters.add("frames.accepted", accepted.length);
    if (fresh) store.counters.add("records.stored", fresh);
    return { frames, alerts };
  });
}
