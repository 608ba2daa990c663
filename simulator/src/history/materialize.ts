// Turns planned sessions into the records each scanner would have journalled and the order
// the gateway would have stored them in: per-device sequence numbers, daily boots, clock
// trust, upload delays from each clinic's link.
import { EV_CLOSE, EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO, OPEN_BY_RX, OPEN_BY_VOUCHER } from "../../../protocol/src/record";
import type { FraudRow } from "../../../gateway/src/fraud/types";
import { randInt, type Rng } from "../scenario/prng";
import type { PlannedSession } from "./plan";
import type { FraudLabel } from "./types";

export function materialize(rng: Rng, plan: PlannedSession[], dayStarts: number[], labels: FraudLabel[]): FraudRow[] {
  const byDevice = new Map<string, PlannedSession[]>();
  for (const s of plan) {
    const list = byDevice.get(s.doctor.device);
    if (list) list.push(s);
    else byDevice.set(s.doctor.device, [s]);
  }
  const rows: FraudRow[] = [];
  for (const device of [...byDevice.keys()].sort()) {
    const sessions = byDevice.get(device) as PlannedSession[];
    sessions.sort((a, b) => a.start - b.start);
    let seq = 0;
    let lastReceived = 0;
    let lastTime = 0;
    for (const s of sessions) {
      // the board boots each morning at 07:00; a late session still belongs to that boot
      const boot = s.day + 1;
      const bootAt = dayStarts[s.day] + 7 * 3600;
      const trusted = rng() > 0.03;
      const drift = trusted ? 0 : randInt(rng, -1800, 1800);
      const delay = s.clinic.uploadDelay * -Math.log(Math.max(rng(), 1e-9));
      let t = Math.max(s.start, lastTime + 1);
      const add = (r: Omit<FraudRow, "device" | "institution" | "operator" | "receivedAt" | "correctedTime" | "seq" | "time" | "trusted" | "boot" | "uptime">, fraud?: number): FraudRow => {
        seq++;
        const row: FraudRow = {
          seq,
          time: t + drift,
          trusted,
          boot,
          uptime: Math.max(0, t - bootAt),
          ...r,
          device,
          institution: s.clinic.institution,
          operator: s.doctor.operator,
          receivedAt: Math.max(lastReceived, Math.round(t + 5 + delay)),
          correctedTime: t,
        };
        lastReceived = row.receivedAt;
        rows.push(row);
        if (fraud !== undefined) labels[fraud].records.push(device + ":" + seq);
        return row;
      };
      const open = add(s.patient ? { event: EV_OPEN, session: 0, openBy: OPEN_BY_VOUCHER, patient: s.patient } : { event: EV_OPEN, session: 0, openBy: OPEN_BY_RX, rx: s.rx }, s.fraud);
      open.session = open.seq;
      let lastItemSeq = 0;
      for (const it of s.items) {
        t += randInt(rng, 8, 90);
        let r: FraudRow;
        if (it.kind === "nocode") r = add({ event: EV_NOCODE, session: open.seq, code: "XN" + it.product.id, units: it.units }, it.fraud);
        else if (it.kind === "split") r = add({ event: EV_SPLIT, session: open.seq, code: it.code, units: it.units, perPack: it.product.perPack, ...(it.expiry ? { expiry: it.expiry, batch: it.batch } : {}) }, it.fraud);
        else r = add({ event: EV_DISPENSE, session: open.seq, code: it.code, ...(it.expiry ? { expiry: it.expiry, batch: it.batch } : {}) }, it.fraud);
        lastItemSeq = r.seq;
      }
      if (s.undoLast && lastItemSeq) {
        t += randInt(rng, 5, 40);
        add({ event: EV_UNDO, session: open.seq, ref: lastItemSeq });
      }
      t += randInt(rng, 20, 120);
      add({ event: EV_CLOSE, session: open.seq }, s.fraud);
      lastTime = t;
    }
  }
  // the store order: by arrival, ties by device order (stable sort keeps per-device seq order)
  rows.sort((a, b) => a.receivedAt - b.receivedAt);
  return rows;
}
