// One upload in, one ack out: the platform's decision for a message, without any I/O besides
// the store. The emulator wraps it with MQTT, modes and timers.
import { PLATFORM_SCHEMA_VERSION, type PlatformAck, type PlatformSale } from "../../../protocol/src/platform";
import type { SaleStore } from "./sale-store";
import { INFCODE_MALFORMED, INFCODE_OK, INFCODE_UNAVAILABLE, validateEnvelope, validateSale } from "./validate-upload";

export interface UploadOutcome {
  ack: PlatformAck;
  /** Figures for the emulator's counters. */
  malformed: boolean;
  refused: boolean;
  injectedReject: boolean;
  resentMessage: boolean;
  stored: number;
  duplicates: number;
  conflicts: number;
  invalidSales: number;
  /** One line per refusal, for the log. */
  problems: string[];
}

/** "YYYY-MM-DD HH:mm:ss" in China Standard Time, the platform's clock format. */
export function platformNow(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

function emptyOutcome(ack: PlatformAck): UploadOutcome {
  return { ack, malformed: false, refused: ack.infcode !== INFCODE_OK, injectedReject: false, resentMessage: false, stored: 0, duplicates: 0, conflicts: 0, invalidSales: 0, problems: [] };
}

/** Decides and stores. `reject` true answers a transient error without looking at the content. */
export function handleUpload(store: SaleStore, topicGateway: string, payload: Buffer | string, nowMs: number, reject: boolean): UploadOutcome {
  let msg: unknown;
  try {
    msg = JSON.parse(typeof payload === "string" ? payload : payload.toString("utf8"));
  } catch {
    const out = emptyOutcome({ v: PLATFORM_SCHEMA_VERSION, msgId: "", infcode: INFCODE_MALFORMED, err_msg: "upload is not valid JSON" });
    out.malformed = true;
    out.problems.push("malformed upload from gateway " + topicGateway + ": not JSON");
    return out;
  }
  const env = validateEnvelope(msg, topicGateway);
  if (!env.ok) {
    const out = emptyOutcome({ v: PLATFORM_SCHEMA_VERSION, msgId: env.msgId, infcode: env.infcode, err_msg: env.err_msg });
    out.malformed = env.infcode === INFCODE_MALFORMED;
    out.problems.push("refused upload " + JSON.stringify(env.msgId) + " from " + topicGateway + ": " + env.err_msg);
    return out;
  }
  const msgId = env.upload.msgId;
  if (reject) {
    const out = emptyOutcome({ v: PLATFORM_SCHEMA_VERSION, msgId, infcode: INFCODE_UNAVAILABLE, err_msg: "platform busy, retry later" });
    out.injectedReject = true;
    return out;
  }

  const out = emptyOutcome({ v: PLATFORM_SCHEMA_VERSION, msgId, infcode: INFCODE_OK, results: [] });
  out.resentMessage = store.noteMessageSeen(topicGateway, msgId) > 1;
  const verdicts = env.upload.sales.map(validateSale);
  const valid: PlatformSale[] = [];
  for (const v of verdicts) if (v.ok) valid.push(v.sale);
  const outcomes = store.storeSales(topicGateway, msgId, valid, platformNow(nowMs));
  const seen = new Set<string>();
  let next = 0;
  for (const v of verdicts) {
    if (!v.ok) {
      out.invalidSales++;
      out.problems.push("invalid sale " + JSON.stringify(v.key) + " in " + msgId + ": " + v.err_msg);
      out.ack.results!.push({ key: v.key, ok: false, err_msg: v.err_msg });
      continue;
    }
    const outcome = outcomes[next++];
    const key = v.sale.key;
    if (outcome === "stored") {
      out.stored++;
      out.ack.results!.push({ key, ok: true });
    } else if (outcome === "duplicate") {
      out.duplicates++;
      out.ack.results!.push({ key, ok: true, duplicate: true });
    } else {
      out.conflicts++;
      const err = seen.has(key) ? "key repeated within the message with different content" : "key already stored with different content";
      out.problems.push("conflicting sale " + key + " in " + msgId + ": " + err);
      out.ack.results!.push({ key, ok: false, duplicate: true, err_msg: err });
    }
    seen.add(key);
  }
  return out;
}
