// Connects an mqtt.js client, preferring MQTT 5 and falling back to 3.1.1 when the broker
// does not speak it. Later reconnects reuse whichever version worked.
//
// Brokers say "no" to MQTT 5 in two ways: a 3.1.1 CONNACK with return code 1
// ("unacceptable protocol version", aedes) or 132 in a v5 CONNACK; or they just close
// the socket without any CONNACK. The second looks like any flaky link, so it takes
// SILENT_CLOSES_TO_SWITCH such closes in a row before the other version is tried, and the
// versions alternate until one connects: an overloaded MQTT 5 broker that sheds
// connections is never stuck on 3.1.1 for good.
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "../log/logger";

/** Consecutive closes without a CONNACK (after the TCP connection opened) before switching version. */
export const SILENT_CLOSES_TO_SWITCH = 2;

export type MqttVersion = 4 | 5;

/** Pure: the broker's answer explicitly refused the protocol version. */
export function refusedVersion(err: unknown): boolean {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  return e.code === 1 || e.code === 132 || (typeof e.message === "string" && /protocol version/i.test(e.message));
}

/**
 * Pure: an error that means the broker could not be reached at all (or TLS failed), which
 * says nothing about the protocol version. Anything else closing an unanswered attempt
 * (no error, a reset, a broken pipe) counts as a silent close.
 */
export function unreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code !== "ECONNRESET" && code !== "EPIPE";
}

/**
 * Returns a client at once (mqtt.js queues publishes and keeps reconnecting); version
 * negotiation happens behind `ready`, which resolves on the first successful connect.
 * `onClient` sees every client made (a version switch makes a new one): attach handlers there.
 */
export function connectPreferV5(url: string, opts: IClientOptions, log: Logger, onClient: (c: MqttClient) => void): { ready: Promise<MqttClient>; current: () => MqttClient } {
  // A caller that names a version (aedes: 4) gets exactly that, with no negotiation.
  const pinned = opts.protocolVersion === 4 || opts.protocolVersion === 5 ? opts.protocolVersion : null;
  let version: MqttVersion = pinned ?? 5;
  let settled = pinned !== null;
  let client: MqttClient;
  let resolveReady!: (c: MqttClient) => void;
  const ready = new Promise<MqttClient>((resolve) => (resolveReady = resolve));

  const open = () => {
    const c = mqtt.connect(url, { ...opts, protocolVersion: version });
    client = c;
    let silentCloses = 0;
    let attemptError: unknown = null;
    const switchTo = (next: MqttVersion, why: string) => {
      log.info({ url: redactUrl(url), from: version, to: next, why }, next === 4 ? "broker refused MQTT 5; falling back to 3.1.1" : "MQTT 3.1.1 not answered either; trying MQTT 5 again");
      version = next;
      open(); // replaces `client` before the old one's close event can count
      c.end(true);
    };
    c.on("connect", () => {
      settled = true;
      silentCloses = 0;
      resolveReady(c);
    });
    c.on("error", (err) => {
      attemptError = err;
      if (!settled && c === client && version === 5 && refusedVersion(err)) switchTo(4, "refused: " + String((err as Error).message ?? err));
    });
    c.on("close", () => {
      const err = attemptError;
      attemptError = null;
      if (settled || c !== client) return;
      silentCloses = unreachable(err) ? 0 : silentCloses + 1;
      if (silentCloses >= SILENT_CLOSES_TO_SWITCH) switchTo(version === 5 ? 4 : 5, "closed " + silentCloses + " times without answering");
    });
    onClient(c);
  };
  open();
  return { ready, current: () => client };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
