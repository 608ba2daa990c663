// The link to the insurance platform's broker: uploads and alerts out (QoS 1), the
// platform's application-level acks in. Connection state drives the relay engine.
import type { MqttClient } from "mqtt";
import { platformStatus, type PlatformAck, type PlatformAlert, type PlatformStatus, type PlatformUpload } from "../../../protocol/src/platform";
import { alerts, platformAck, platformUp } from "../../../protocol/src/topics";
import type { PlatformSettings } from "../config/settings";
import type { Logger } from "../log/logger";
import type { PlatformPort } from "../relay/engine";
import { connectPreferV5, redactUrl } from "./connect";
import { LinkErrorLog } from "./link-errors";
import { tlsOptions } from "./tls";

export interface PlatformLink extends PlatformPort {
  close(): Promise<void>;
}

export function parsePlatformAck(payload: Uint8Array): PlatformAck | null {
  try {
    const v = JSON.parse(Buffer.from(payload).toString("utf8")) as PlatformAck;
    if (!v || typeof v !== "object" || typeof v.msgId !== "string" || typeof v.infcode !== "number") return null;
    if (v.results !== undefined && !Array.isArray(v.results)) return null;
    return v;
  } catch {
    return null;
  }
}

/** A platform status message, or null when it is not one. */
export function parsePlatformStatus(payload: Uint8Array): PlatformStatus | null {
  try {
    const v = JSON.parse(Buffer.from(payload).toString("utf8")) as PlatformStatus;
    return v && typeof v === "object" && typeof v.online === "boolean" ? v : null;
  } catch {
    return null;
  }
}

export interface PlatformLinkHandlers {
  onAck: (a: PlatformAck) => void;
  /** The link to the platform's broker went up or down. */
  onOnline: (up: boolean) => void;
  /** The platform itself announced it is there (true) or gone (false); null: its status was cleared. */
  onPresence?: (online: boolean | null) => void;
  onBadAck: () => void;
}

export function openPlatformLink(gatewayId: string, s: PlatformSettings & { url: string }, handlers: PlatformLinkHandlers, log: Logger): PlatformLink {
  const statusTopic = platformStatus(gatewayId);
  const errors = new LinkErrorLog("platform link", log);
  const wire = (c: MqttClient) => {
    c.on("connect", () => {
      const failures = errors.connected();
      c.subscribe([platformAck(gatewayId), statusTopic], { qos: 1 }, (err) => {
        if (err) return log.error({ err: String(err) }, "platform ack subscription failed");
        log.info({ url: redactUrl(s.url), mqtt: c.options.protocolVersion, failedAttempts: failures || undefined }, "platform link up");
        handlers.onOnline(true);
      });
    });
    c.on("offline", () => handlers.onOnline(false));
    c.on("close", () => handlers.onOnline(false));
    // A refused TLS handshake or login lands here: logged, never thrown; the backlog waits.
    c.on("error", (err) => errors.error(err, { url: redactUrl(s.url) }));
    c.on("message", (topic, payload) => {
      if (topic === statusTopic) {
        // An empty retained message clears the status: nothing known, send as usual.
        const st = payload.length ? parsePlatformStatus(payload) : null;
        if (st) log.info({ online: st.online }, "platform status");
        else if (payload.length) log.warn({ bytes: payload.length }, "unreadable platform status");
        handlers.onPresence?.(st ? st.online : null);
        return;
      }
      const ack = parsePlatformAck(payload);
      if (ack) handlers.onAck(ack);
      else {
        log.warn({ bytes: payload.length }, "unreadable platform ack");
        handlers.onBadAck();
      }
    });
  };
  const conn = connectPreferV5(
    s.url,
    { clientId: "vt-gw-" + gatewayId + "-platform", username: s.username, password: s.password, clean: true, reconnectPeriod: 1000, ...tlsOptions(s.tls) },
    log,
    wire,
  );
  const publish = (topic: string, body: unknown) =>
    conn.current().publishAsync(topic, JSON.stringify(body), { qos: 1 }).then(() => undefined);
  return {
    publishUpload: (u: PlatformUpload) => publish(platformUp(gatewayId), u),
    publishAlert: (a: PlatformAlert) => publish(alerts(gatewayId), a),
    close: () => conn.current().endAsync().then(() => undefined),
  };
}
