// TLS material for mqtts:// links, read from the configured PEM files.
import { readFileSync } from "node:fs";
import type { TlsSettings } from "../config/settings";

export function tlsOptions(tls: TlsSettings | undefined): Record<string, unknown> {
  if (!tls) return {};
  const out: Record<string, unknown> = {};
  if (tls.ca) out.ca = readFileSync(tls.ca);
  if (tls.cert) out.cert = readFileSync(tls.cert);
  if (tls.key) out.key = readFileSync(tls.key);
  if (tls.rejectUnauthorized !== undefined) out.rejectUnauthorized = tls.rejectUnauthorized;
  return out;
}
