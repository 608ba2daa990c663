// The ONE place where a stored scan record becomes the platform's drug-sale line
// (protocol/src/platform.ts, after NHSA interface 3505). Pure.
import type { PlatformSale } from "../../../protocol/src/platform";
import { EV_DISPENSE, EV_NOCODE, EV_SPLIT, EV_UNDO, OPEN_BY_RX, OPEN_BY_VOUCHER, recordKey } from "../../../protocol/src/record";
import type { StoredRecord } from "../store/types";

const CST_OFFSET_SEC = 8 * 3600;

/** The date part of the last day formatted: a relay message's sales mostly share their day. */
let lastDay = NaN;
let lastDayText = "";

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

/** Unix seconds -> "YYYY-MM-DD HH:mm:ss" in China Standard Time (UTC+8, no DST). */
export function chinaTime(unixSec: number): string {
  const local = Math.floor(unixSec) + CST_OFFSET_SEC;
  const day = Math.floor(local / 86_400);
  if (day !== lastDay) {
    const iso = new Date(day * 86_400_000).toISOString();
    if (iso.length !== 24) return fullChinaTime(local); // years outside 0000-9999
    lastDay = day;
    lastDayText = iso.slice(0, 10) + " ";
  }
  const s = local - day * 86_400;
  return lastDayText + pad2(Math.floor(s / 3600)) + ":" + pad2(Math.floor(s / 60) % 60) + ":" + pad2(s % 60);
}

function fullChinaTime(localSec: number): string {
  const iso = new Date(localSec * 1000).toISOString();
  return iso.slice(0, 10) + " " + iso.slice(11, 19);
}

/** GS1 (17) YYMMDD -> "YYYY-MM-DD"; day 00 means the last day of the month. */
export function expiryDate(yymmdd: string): string | undefined {
  if (!/^\d\d\d\d\d\d$/.test(yymmdd)) return undefined;
  const year = 2000 + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return undefined;
  if (day === 0) day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export interface RelatedRecords {
  /** The EV_OPEN record of the record's session, when stored. */
  open: StoredRecord | null;
  /** For EV_UNDO: the record withdrawn, when stored. */
  undone: StoredRecord | null;
}

/** Records that are platform lines: sales, split sales, no-code items and returns. */
export function isPlatformLine(r: { event: number }): boolean {
  return r.event === EV_DISPENSE || r.event === EV_SPLIT || r.event === EV_NOCODE || r.event === EV_UNDO;
}

/** null for session markers (open/close), which travel only as context of the sales. */
export function toPlatformSale(r: StoredRecord, related: RelatedRecords): PlatformSale | null {
  if (!isPlatformLine(r)) return null;
  const item = r.event === EV_UNDO && related.undone ? related.undone : r;
  const sale: PlatformSale = {
    key: r.key,
    device: r.device,
    seq: r.seq,
    kind: r.event === EV_UNDO ? "return" : "sale",
    fixmedins_code: r.institution,
    trdn_flag: item.event === EV_SPLIT ? 1 : 0,
    sel_retn_cnt: item.event === EV_SPLIT || item.event === EV_NOCODE ? Math.max(1, item.units ?? 1) : 1,
    sel_retn_time: chinaTime(r.fixedTime),
    time_trusted: r.timeTrusted,
    sel_retn_opter_name: r.operator,
  };
  if (item.event === EV_NOCODE) {
    if (item.code) sale.med_list_codg = item.code;
  } else if (item.code) {
    sale.drug_trac_codg = item.code;
    sale.drugtracinfo = [{ drug_trac_codg: item.code }];
  }
  if (item.event === EV_SPLIT && item.perPack !== undefined) sale.pack_units = item.perPack;
  if (item.batch) sale.manu_lotnum = item.batch;
  const expy = item.expiry ? expiryDate(item.expiry) : undefined;
  if (expy) sale.expy_end = expy;
  if (r.event === EV_UNDO && r.ref !== undefined) sale.ref_key = recordKey(r.device, r.ref);
  if (r.session > 0) sale.session_key = recordKey(r.device, r.session);
  const open = related.open;
  if (open) {
    if (open.openBy === OPEN_BY_VOUCHER && open.patient) sale.psn_token_hash = open.patient;
    if (open.openBy === OPEN_BY_RX && open.rx) sale.rxno = open.rx;
  }
  return sale;
}
