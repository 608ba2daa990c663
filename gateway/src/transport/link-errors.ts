// Connection failures of a broker link, told to the operator once, with a hint. mqtt.js
// retries every second, so a wrong CA would otherwise write 3600 identical warnings an
// hour: the first of each kind goes out at warn, repeats at debug, and a reminder with the
// count at warn every `remindMs` while the link stays down.
import type { Logger } from "../log/logger";

export interface LinkErrorInfo {
  /** Node/OpenSSL/MQTT error code when there is one (e.g. SELF_SIGNED_CERT_IN_CHAIN, 135). */
  code: string | null;
  /** First line of the message, clipped. */
  message: string;
  /** What the operator should check; null when the error speaks for itself. */
  hint: string | null;
}

const UNTRUSTED_SERVER = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_UNTRUSTED", "CERT_SIGNATURE_FAILURE",
]);

/** Pure: classifies an error from mqtt.js, net or tls. */
export function describeLinkError(err: unknown): LinkErrorInfo {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" || typeof e.code === "number" ? String(e.code) : null;
  const raw = typeof e.message === "string" ? e.message : String(err);
  const message = (raw.split("\n")[0] ?? "").trim().slice(0, 200);
  return { code, message, hint: hintFor(code, message) };
}

function hintFor(code: string | null, message: string): string | null {
  if (code && UNTRUSTED_SERVER.has(code)) return "the broker's certificate is not signed by the configured CA (tls.ca)";
  if (code === "CERT_HAS_EXPIRED") return "the broker's certificate has expired";
  if (code === "CERT_NOT_YET_VALID") return "the broker's certificate is not valid yet: check this host's clock";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return "the broker's certificate does not name the host in the URL (subjectAltName)";
  if (/certificate required/i.test(message) || code === "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED") return "the broker requires a client certificate (tls.cert and tls.key)";
  if (/bad certificate|unknown ca|certificate unknown/i.test(message)) return "the broker refused the client certificate (tls.cert/tls.key not signed by a CA it trusts)";
  if (/wrong version number|packet length too long/i.test(message)) return "TLS to a plain listener? (mqtts:// against an mqtt:// port)";
  if (code === "ECONNREFUSED") return "nothing listens at the URL's host and port";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the URL's host name does not resolve";
  if (code === "4" || code === "134" || code === "5" || code === "135") return "the broker refused the username/password";
  return null;
}

export class LinkErrorLog {
  private lastKey: string | null = null;
  private repeats = 0;
  private failures = 0;
  private lastWarnAt = 0;

  constructor(
    private readonly link: string,
    private readonly log: Logger,
    private readonly remindMs = 60_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Failures since the link was last up. */
  get failuresSinceUp(): number {
    return this.failures;
  }

  error(err: unknown, fields: Record<string, unknown> = {}): void {
    const info = describeLinkError(err);
    const key = (info.code ?? "") + "|" + info.message;
    const now = this.nowMs();
    this.failures++;
    const entry = { ...fields, err: info.message, code: info.code, hint: info.hint ?? undefined };
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.repeats = 0;
      this.lastWarnAt = now;
      this.log.warn(entry, this.link + " error");
      return;
    }
    this.repeats++;
    if (now - this.lastWarnAt >= this.remindMs) {
      this.lastWarnAt = now;
      this.log.warn({ ...entry, repeats: this.repeats }, this.link + " error (still failing)");
    } else {
      this.log.debug({ ...entry, repeats: this.repeats }, this.link + " error (repeat)");
    }
  }

  /** The link is up: returns how many failures preceded it and starts afresh. */
  connected(): number {
    const n = this.failures;
    this.failures = 0;
    this.repeats = 0;
    this.lastKey = null;
    return n;
  }
}
