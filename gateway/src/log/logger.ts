// Structured logs. Secrets and passwords are redacted by path so a careless call site
// cannot leak them.
import pino, { type Logger } from "pino";

export type { Logger };

const REDACT = ["secret", "password", "*.secret", "*.password", "key", "*.key", "settings.platform.password", "settings.devices.password"];

export function createLogger(level: string, name = "gateway"): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: "[redacted]" } });
}

/** A logger that drops everything: for tests and embedding without noise. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
