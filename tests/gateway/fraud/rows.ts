// Hand-made rows for the fraud tests: a tiny builder that keeps per-device sequence numbers.
import { EV_CLOSE, EV_DISPENSE, EV_OPEN, EV_SPLIT, OPEN_BY_RX, OPEN_BY_VOUCHER } from "../../../protocol/src/record";
import type { FraudRow } from "../../../gateway/src/fraud/types";

/** Unix seconds of a local (UTC+8) time "YYYY-MM-DD HH:MM". */
export function cst(local: string): number {
  return Date.parse(local.replace(" ", "T") + ":00+08:00") / 1000;
}

export class RowBuilder {
  readonly rows: FraudRow[] = [];
  private seqs = new Map<string, number>();

  constructor(private readonly clinicOf: (device: string) => string = (d) => "H" + d.slice(-1)) {}

  add(device: string, t: number, fields: Partial<FraudRow> & Pick<FraudRow, "event">, over: Partial<FraudRow> = {}): FraudRow {
    const seq = (this.seqs.get(device) ?? 0) + 1;
    this.seqs.set(device, seq);
    const r: FraudRow = {
      seq,
      time: t,
      trusted: true,
      boot: 1,
      uptime: 1000,
      session: 0,
      device,
      institution: this.clinicOf(device),
      operator: "dr-" + device,
      receivedAt: t + 60,
      correctedTime: t,
      ...fields,
      ...over,
    };
    this.rows.push(r);
    return r;
  }

  /** A session: open (voucher patient or prescription), the given codes, close. */
  session(device: string, t: number, codes: string[], opts: { patient?: string; splits?: { code: string; units: number; perPack: number }[]; expiry?: string } = {}): FraudRow[] {
    const out: FraudRow[] = [];
    const open = this.add(device, t, opts.patient ? { event: EV_OPEN, openBy: OPEN_BY_VOUCHER, patient: opts.patient } : { event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX1" });
    open.session = open.seq;
    out.push(open);
    let k = 1;
    for (const c of codes) out.push(this.add(device, t + 30 * k++, { event: EV_DISPENSE, session: open.seq, code: c, ...(opts.expiry ? { expiry: opts.expiry } : {}) }));
    for (const s of opts.splits ?? []) out.push(this.add(device, t + 30 * k++, { event: EV_SPLIT, session: open.seq, code: s.code, units: s.units, perPack: s.perPack }));
    out.push(this.add(device, t + 30 * k, { event: EV_CLOSE, session: open.seq }));
    return out;
  }
}

export function cn20(product: string, serial: number): string {
  return product + String(serial).padStart(13, "0");
}
