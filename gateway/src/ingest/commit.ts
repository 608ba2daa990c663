// Commits a group of verified frames in ONE transaction: records (idempotent on
// (device, seq)), fixed times, the one-box-one-sale index, alerts, the outbox and the ack
// position. Either all of it lands or none, so an ack can never run ahead of the data.
import type { BatchFrame, StatusFrame } from "../../../protocol/src/frame/types";
import { EV_UNDO, recordKey, type ScanRecord } from "../../../protocol/src/record";
import { isSale, judgeSale, judgeUndo } from "../checks/one-box-one-sale";
import { storeAlert, type RaisedAlert } from "../checks/alert-sink";
import type { GatewayStore } from "../store/store";
import type { OutboxRun, SeqSpan } from "../store/outbox";
import type { RecordContext } from "../store/records";
import type { DeviceRow, StoredRecord } from "../store/types";
import { DispensedOverlay } from "./dispensed-overlay";
import { fixTime, offsetsFromFrame } from "./time-fix";

export interface AcceptedFrame {
  frame: BatchFrame;
  device: DeviceRow;
  /** The frame as it arrived (the store writer thread may read it again from these). */
  bytes?: Uint8Array;
}

export interface FrameOutcome {
  device: string;
  /** Highest contiguous seq now stored: what the ack says. */
  upto: number;
  /** Row ids of records stored for the first time (retransmissions excluded). */
  freshIds: number[];
  /**
   * Where those records are in the frame's records, and the time each was stored with
   * (fixedTime, and 1/0 for timeTrusted): numbers only, which cross from a writer thread
   * far cheaper than the records; storedRecords() builds the records from them.
   */
  freshAt: number[];
  fixedTimes: number[];
  timeTrusted: number[];
  /** The device's institution and operator as stored on the records, and their received time. */
  institution: string;
  operator: string;
  receivedAt: number;
  duplicates: number;
}

export interface CommitOutcome {
  frames: FrameOutcome[];
  alerts: RaisedAlert[];
  /** Outbox runs this commit added or extended, as they now are. */
  runs: OutboxRun[];
}

export function commitFrames(store: GatewayStore, accepted: AcceptedFrame[], nowSec: number): CommitOutcome {
  return store.transaction(() => {
    const frames: FrameOutcome[] = [];
    const alerts: RaisedAlert[] = [];
    const dispensed = new DispensedOverlay(store, saleCodes(accepted));
    const freshSeqs = new Map<string, number[]>();
    /** Devices seen in this commit: last_seen is written once each. */
    const touched = new Set<string>();
    let fresh = 0;
    for (const { frame, device } of accepted) {
      // A boot's offset is usually known already (every trusted frame of the boot teaches the
      // same one): read, and written only when it changes.
      for (const o of offsetsFromFrame(frame)) if (store.records.bootOffset(device.id, o.boot) !== o.offset) store.records.learnBootOffset(device.id, o.boot, o.offset);
      // A board that never had the time in this boot (offline since power-up, and no welcome
      // reached it, e.g. behind an external broker): our clock minus the frame's uptime places
      // the boot to within the frame's transit; a later trusted frame replaces the estimate.
      if (!frame.trusted && store.records.bootOffset(device.id, frame.boot) === null) store.records.learnBootOffset(device.id, frame.boot, nowSec - frame.uptime);
      const offsets = new Map<number, number | null>();
      const offsetOf = (boot: number): number | null => {
        let o = offsets.get(boot);
        if (o === undefined) offsets.set(boot, (o = store.records.bootOffset(device.id, boot)));
        return o;
      };
      const records = frame.records;
      const times: number[] = new Array(records.length);
      const trusted: boolean[] = new Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const t = fixTime(r, r.trusted ? null : offsetOf(r.boot));
        times[i] = t.fixedTime;
        trusted[i] = t.timeTrusted;
      }
      const ids = store.records.insertMany(device.id, { institution: device.institution, operator: device.operator, receivedAt: nowSec }, records, times, trusted);
      const freshIds: number[] = [];
      const freshAt: number[] = [];
      const fixedTimes: number[] = [];
      const timeTrusted: number[] = [];
      const seqs = freshSeqs.get(device.id) ?? [];
      freshSeqs.set(device.id, seqs);
      const stored: number[] = [];
      let duplicates = 0;
      for (let i = 0; i < records.length; i++) {
        const id = ids[i];
        if (id === null) {
          duplicates++;
          continue;
        }
        const r = records[i];
        freshIds.push(id);
        freshAt.push(i);
        fixedTimes.push(times[i]);
        timeTrusted.push(trusted[i] ? 1 : 0);
        stored.push(r.seq);
        seqs.push(r.seq);
        if (isSale(r.event) && r.code) {
          const key = recordKey(device.id, r.seq);
          const d = judgeSale({ key, device: device.id, institution: device.institution, event: r.event, code: r.code, units: r.units, perPack: r.perPack }, dispensed.get(r.code));
          dispensed.put(r.code, d.entry);
          if (d.alert) alerts.push(storeAlert(store, d.alert, nowSec));
        } else if (r.event === EV_UNDO && r.ref !== undefined) {
          const undone = store.records.get(device.id, r.ref);
          if (undone && undone.code && isSale(undone.event)) {
            dispensed.put(undone.code, judgeUndo({ key: undone.key, units: undone.units, event: undone.event }, dispensed.get(undone.code)));
          }
        }
      }
      fresh += freshIds.length;
      stored.sort((a, b) => a - b);
      frames.push({
        device: device.id, upto: store.records.advanceAck(device.id, stored, firstSeq(frame) - 1), freshIds, freshAt, fixedTimes, timeTrusted,
        institution: device.institution, operator: device.operator, receivedAt: nowSec, duplicates,
      });
      touched.add(device.id);
    }
    for (const id of touched) store.devices.touch(id, nowSec);
    const runs = store.outbox.enqueueSpans(spansOf(freshSeqs));
    dispensed.flush();
    store.counters.add("frames.accepted", accepted.length);
    if (fresh) store.counters.add("records.stored", fresh);
    return { frames, alerts, runs };
  });
}

/** Fresh seqs per device -> runs of consecutive seqs, ascending. */
function spansOf(freshSeqs: Map<string, number[]>): SeqSpan[] {
  const out: SeqSpan[] = [];
  for (const [device, seqs] of freshSeqs) {
    if (seqs.length === 0) continue;
    seqs.sort((a, b) => a - b);
    let from = seqs[0];
    let to = from;
    for (let i = 1; i < seqs.length; i++) {
      if (seqs[i] === to + 1) to = seqs[i];
      else {
        out.push({ device, from, to });
        from = to = seqs[i];
      }
    }
    out.push({ device, from, to });
  }
  return out;
}

/** The records a frame stored for the first time, as stored (no read-back). */
export function storedRecords(frame: BatchFrame, o: FrameOutcome): StoredRecord[] {
  const out: StoredRecord[] = new Array(o.freshAt.length);
  for (let k = 0; k < o.freshAt.length; k++) {
    const r = frame.records[o.freshAt[k]];
    const ctx: RecordContext = { fixedTime: o.fixedTimes[k], timeTrusted: o.timeTrusted[k] === 1, institution: o.institution, operator: o.operator, receivedAt: o.receivedAt };
    out[k] = storedRecord(r, o.freshIds[k], o.device, recordKey(o.device, r.seq), ctx);
  }
  return out;
}

/**
 * The record as stored, built field by field: object spreads of records with varying
 * optional fields cost several microseconds each and were the largest JS cost of a commit.
 */
function storedRecord(r: ScanRecord, id: number, device: string, key: string, ctx: RecordContext): StoredRecord {
  const out: StoredRecord = {
    id, device, key, seq: r.seq, time: r.time, trusted: r.trusted, boot: r.boot, uptime: r.uptime, event: r.event,
    session: r.session, fixedTime: ctx.fixedTime, timeTrusted: ctx.timeTrusted, institution: ctx.institution,
    operator: ctx.operator, receivedAt: ctx.receivedAt, relayedAt: null, relayError: null,
  };
  if (r.code !== undefined) out.code = r.code;
  if (r.batch !== undefined) out.batch = r.batch;
  if (r.expiry !== undefined) out.expiry = r.expiry;
  if (r.units !== undefined) out.units = r.units;
  if (r.perPack !== undefined) out.perPack = r.perPack;
  if (r.ref !== undefined) out.ref = r.ref;
  if (r.openBy !== undefined) out.openBy = r.openBy;
  if (r.patient !== undefined) out.patient = r.patient;
  if (r.rx !== undefined) out.rx = r.rx;
  return out;
}

/** Codes the sales in these frames take from: read from the index in one go. */
function saleCodes(accepted: AcceptedFrame[]): string[] {
  const codes: string[] = [];
  for (const { frame } of accepted) for (const r of frame.records) if (isSale(r.event) && r.code) codes.push(r.code);
  return codes;
}

/** A board's health report: kept on the device row; a trusted clock teaches its boot's offset. */
export function commitStatus(store: GatewayStore, device: string, status: StatusFrame, nowSec: number): void {
  store.transaction(() => {
    const { device: _d, ...stats } = status;
    store.devices.reportStats(device, stats);
    store.devices.touch(device, nowSec);
    if (status.trusted) store.records.learnBootOffset(device, status.boot, status.time - status.uptime);
  });
}

/**
 * A board sends from its first unacknowledged record, one frame in flight at a time, so a
 * frame's first seq minus one was acked by a gateway of the county (this one or another:
 * a board moved, a gateway rebuilt on an empty disk, a shared subscription's other member).
 * A frame's records are consecutive and ascending (the wire carries the first seq and counts on); an
 * empty frame (a board asking for its ack) says nothing.
 */
function firstSeq(frame: BatchFrame): number {
  return frame.records.length ? frame.records[0].seq : 1;
}
