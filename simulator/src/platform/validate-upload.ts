// Schema checks for what the gateway uploads to the insurance platform. Pure: the emulator
// decides what to store and what to answer from the verdict these functions return.
import { PLATFORM_SCHEMA_VERSION, type PlatformAlert, type PlatformSale, type PlatformUpload } from "../../../protocol/src/platform";

/** NHSA allows 30 characters for drug_trac_codg; the canonical GS1 key of protocol/src/code
 * ("(01)" + GTIN + "(21)" + a serial of up to 20 characters) reaches 42, so the emulator
 * allows that much. */
export const MAX_TRACE_CODE_CHARS = 42;
/** A message larger than this is refused as a whole: the gateway must split its batches. */
export const MAX_SALES_PER_UPLOAD = 1000;
export const MAX_MSG_ID_CHARS = 64;

/** Transport-level error codes (infcode), answered for a refused message. */
export const INFCODE_OK = 0;
export const INFCODE_MALFORMED = 1001; // not JSON, or not an object
export const INFCODE_BAD_SCHEMA = 1002; // the envelope is wrong (version, gateway, msgId, sales)
export const INFCODE_TOPIC_MISMATCH = 1003; // upload.gateway differs from the topic's gateway
export const INFCODE_TOO_LARGE = 1004;
export const INFCODE_UNAVAILABLE = 5003; // injected by the reject mode: retry later

export type EnvelopeVerdict =
  | { ok: true; upload: Omit<PlatformUpload, "sales"> & { sales: unknown[] } }
  | { ok: false; infcode: number; err_msg: string; msgId: string };

const TIME_RE = /^(\d\d\d\d)-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/;
const DATE_RE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const KEY_RE = /^([^:\s/+#]+):([1-9][0-9]*)$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isNonEmptyString(v: unknown, max = 200): v is string {
  return typeof v === "string" && v.length > 0 && v.length <= max;
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

function validCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** "YYYY-MM-DD HH:mm:ss" naming a real calendar moment. */
export function isPlatformTime(v: unknown): v is string {
  if (typeof v !== "string") return false;
  const m = TIME_RE.exec(v);
  if (!m) return false;
  if (!validCalendarDate(+m[1], +m[2], +m[3])) return false;
  return +m[4] < 24 && +m[5] < 60 && +m[6] < 60;
}

export function isPlatformDate(v: unknown): v is string {
  if (typeof v !== "string") return false;
  const m = DATE_RE.exec(v);
  return !!m && validCalendarDate(+m[1], +m[2], +m[3]);
}

/** Splits a "<device>:<seq>" key; null when the key is not in that form. */
export function parseSaleKey(key: unknown): { device: string; seq: number } | null {
  if (typeof key !== "string" || key.length > 120) return null;
  const m = KEY_RE.exec(key);
  if (!m) return null;
  const seq = Number(m[2]);
  if (!Number.isSafeInteger(seq)) return null;
  return { device: m[1], seq };
}

/** Checks the message envelope. `topicGateway` is the gateway named by the topic. */
export function validateEnvelope(msg: unknown, topicGateway: string): EnvelopeVerdict {
  if (!isObject(msg)) return { ok: false, infcode: INFCODE_MALFORMED, err_msg: "upload is not a JSON object", msgId: "" };
  const msgId = isNonEmptyString(msg.msgId, MAX_MSG_ID_CHARS) ? msg.msgId : "";
  const fail = (infcode: number, err_msg: string): EnvelopeVerdict => ({ ok: false, infcode, err_msg, msgId });
  if (!msgId) return fail(INFCODE_BAD_SCHEMA, "msgId: required, a string of 1.." + MAX_MSG_ID_CHARS + " characters");
  if (msg.v !== PLATFORM_SCHEMA_VERSION) return fail(INFCODE_BAD_SCHEMA, "v: expected " + PLATFORM_SCHEMA_VERSION + ", got " + JSON.stringify(msg.v));
  if (!isNonEmptyString(msg.gateway, 100)) return fail(INFCODE_BAD_SCHEMA, "gateway: required non-empty string");
  if (msg.gateway !== topicGateway) return fail(INFCODE_TOPIC_MISMATCH, "gateway " + JSON.stringify(msg.gateway) + " does not match the topic's gateway " + JSON.stringify(topicGateway));
  if (typeof msg.sentAt !== "string" || Number.isNaN(Date.parse(msg.sentAt.replace(" ", "T")))) return fail(INFCODE_BAD_SCHEMA, "sentAt: required, a parseable time");
  if (!Array.isArray(msg.sales)) return fail(INFCODE_BAD_SCHEMA, "sales: required array");
  if (msg.sales.length > MAX_SALES_PER_UPLOAD) return fail(INFCODE_TOO_LARGE, "sales: " + msg.sales.length + " exceeds the limit of " + MAX_SALES_PER_UPLOAD);
  return { ok: true, upload: { v: msg.v, gateway: msg.gateway, msgId, sentAt: msg.sentAt, sales: msg.sales } };
}

export type SaleVerdict = { ok: true; sale: PlatformSale } | { ok: false; key: string; err_msg: string };

/** The trace code a sale carries, whichever of the two fields holds it. */
export function traceCodeOf(sale: PlatformSale): string | undefined {
  if (sale.drug_trac_codg) return sale.drug_trac_codg;
  if (sale.drugtracinfo && sale.drugtracinfo.length > 0) return sale.drugtracinfo[0].drug_trac_codg;
  return undefined;
}

/** Checks one sale: schema, time format and the business rules on trdn_flag and quantities. */
export function validateSale(raw: unknown): SaleVerdict {
  const key = isObject(raw) && typeof raw.key === "string" ? raw.key.slice(0, 120) : "";
  const fail = (err_msg: string): SaleVerdict => ({ ok: false, key, err_msg });
  if (!isObject(raw)) return fail("sale is not an object");
  const parsed = parseSaleKey(raw.key);
  if (!parsed) return fail("key: required, \"<device>:<seq>\" with seq >= 1");
  if (raw.device !== parsed.device) return fail("device: must equal the device part of key");
  if (raw.seq !== parsed.seq) return fail("seq: must equal the seq part of key");
  if (raw.kind !== "sale" && raw.kind !== "return") return fail("kind: \"sale\" or \"return\"");
  if (!isNonEmptyString(raw.fixmedins_code, 30)) return fail("fixmedins_code: required, 1..30 characters");
  if (raw.trdn_flag !== 0 && raw.trdn_flag !== 1) return fail("trdn_flag: required, 0 or 1");
  if (!isPositiveInt(raw.sel_retn_cnt)) return fail("sel_retn_cnt: required positive integer");
  if (!isPlatformTime(raw.sel_retn_time)) return fail("sel_retn_time: \"YYYY-MM-DD HH:mm:ss\" required");
  if (typeof raw.time_trusted !== "boolean") return fail("time_trusted: required boolean");
  if (!isNonEmptyString(raw.sel_retn_opter_name, 50)) return fail("sel_retn_opter_name: required, 1..50 characters");

  let code: string | undefined;
  if (raw.drug_trac_codg !== undefined) {
    if (!isNonEmptyString(raw.drug_trac_codg, MAX_TRACE_CODE_CHARS)) return fail("drug_trac_codg: 1.." + MAX_TRACE_CODE_CHARS + " characters");
    code = raw.drug_trac_codg;
  }
  if (raw.drugtracinfo !== undefined) {
    if (!Array.isArray(raw.drugtracinfo) || raw.drugtracinfo.length !== 1) return fail("drugtracinfo: one entry per sale");
    const entry = raw.drugtracinfo[0];
    if (!isObject(entry) || !isNonEmptyString(entry.drug_trac_codg, MAX_TRACE_CODE_CHARS)) return fail("drugtracinfo[0].drug_trac_codg: 1.." + MAX_TRACE_CODE_CHARS + " characters");
    if (code !== undefined && code !== entry.drug_trac_codg) return fail("drugtracinfo[0] differs from drug_trac_codg");
    code = entry.drug_trac_codg;
  }
  if (raw.med_list_codg !== undefined && !isNonEmptyString(raw.med_list_codg, 50)) return fail("med_list_codg: 1..50 characters");
  if (code !== undefined && raw.med_list_codg !== undefined) return fail("a sale carries either a trace code or a no-code catalogue code, not both");
  if (code === undefined && raw.med_list_codg === undefined) return fail("a sale needs drug_trac_codg (or drugtracinfo) or, for a no-code item, med_list_codg");

  if (raw.trdn_flag === 1) {
    if (code === undefined) return fail("trdn_flag 1 (split pack) needs a trace code");
    if (!isPositiveInt(raw.pack_units) || raw.pack_units < 2) return fail("pack_units: required integer >= 2 when trdn_flag is 1");
    if (raw.sel_retn_cnt > raw.pack_units) return fail("sel_retn_cnt " + raw.sel_retn_cnt + " exceeds pack_units " + raw.pack_units);
  } else if (code !== undefined && raw.sel_retn_cnt !== 1) {
    return fail("one box, one code: sel_retn_cnt must be 1 when trdn_flag is 0 (got " + raw.sel_retn_cnt + ")");
  }
  if (raw.pack_units !== undefined && !isPositiveInt(raw.pack_units)) return fail("pack_units: positive integer");

  if (raw.kind === "return") {
    const ref = parseSaleKey(raw.ref_key);
    if (!ref) return fail("ref_key: required for a return, \"<device>:<seq>\"");
    if (ref.device !== parsed.device || ref.seq >= parsed.seq) return fail("ref_key: must name an earlier record of the same device");
  } else if (raw.ref_key !== undefined) {
    return fail("ref_key: only for returns");
  }
  if (raw.session_key !== undefined && !parseSaleKey(raw.session_key)) return fail("session_key: \"<device>:<seq>\"");
  if (raw.expy_end !== undefined && !isPlatformDate(raw.expy_end)) return fail("expy_end: \"YYYY-MM-DD\"");
  for (const f of ["psn_token_hash", "rxno", "manu_lotnum"] as const) {
    if (raw[f] !== undefined && !isNonEmptyString(raw[f], 64)) return fail(f + ": 1..64 characters");
  }
  return { ok: true, sale: raw as unknown as PlatformSale };
}

const ALERT_KINDS = new Set(["duplicate-sale", "split-overrun", "warn-list", "expired-pack", "patient-multi-clinic", "odd-hours", "replay", "anomaly"]);
const SEVERITIES = new Set(["info", "warning", "critical"]);

export type AlertVerdict = { ok: true; alert: PlatformAlert } | { ok: false; err_msg: string };

export function validateAlert(raw: unknown, topicGateway: string): AlertVerdict {
  if (!isObject(raw)) return { ok: false, err_msg: "alert is not a JSON object" };
  if (raw.v !== PLATFORM_SCHEMA_VERSION) return { ok: false, err_msg: "v: expected " + PLATFORM_SCHEMA_VERSION };
  if (raw.gateway !== topicGateway) return { ok: false, err_msg: "gateway must match the topic's gateway" };
  if (!isNonEmptyString(raw.id, 100)) return { ok: false, err_msg: "id: required string" };
  if (typeof raw.kind !== "string" || !ALERT_KINDS.has(raw.kind)) return { ok: false, err_msg: "kind: unknown alert kind " + JSON.stringify(raw.kind) };
  if (typeof raw.severity !== "string" || !SEVERITIES.has(raw.severity)) return { ok: false, err_msg: "severity: info, warning or critical" };
  if (typeof raw.at !== "string" || Number.isNaN(Date.parse(raw.at.replace(" ", "T")))) return { ok: false, err_msg: "at: a parseable time" };
  if (!isNonEmptyString(raw.reason, 500)) return { ok: false, err_msg: "reason: required, 1..500 characters" };
  if (!isObject(raw.evidence)) return { ok: false, err_msg: "evidence: required object" };
  if (raw.device !== undefined && !isNonEmptyString(raw.device, 100)) return { ok: false, err_msg: "device: string" };
  if (raw.code !== undefined && !isNonEmptyString(raw.code, MAX_TRACE_CODE_CHARS)) return { ok: false, err_msg: "code: string" };
  return { ok: true, alert: raw as unknown as PlatformAlert };
}
