// The gateway's client on the device broker (its own embedded aedes, or an external
// Mosquitto/EMQX): receives every board's up frames, publishes acks and commands down.
// With a shared-subscription group, several gateways split the boards' traffic.
import type { MqttClient } from "mqtt";
import { DEVICE_UP_WILDCARD, shared } from "../../../protocol/src/topics";
import type { Logger } from "../log/logger";
import { connectPreferV5, redactUrl } from "./connect";
import { LinkErrorLog } from "./link-errors";
import { tlsOptions } from "./tls";
import type { TlsSettings } from "../config/settings";

export interface DeviceLinkOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  tls?: TlsSettings;
  sharedGroup?: string;
  /** aedes speaks 3.1.1: skip the MQTT 5 attempt. */
  protocolVersion?: 4 | 5;
}

export interface DeviceLink {
  ready: Promise<void>;
  publish(topic: string, payload: Uint8Array): void;
  close(): Promise<void>;
}

export function openDeviceLink(o: DeviceLinkOptions, onFrame: (topic: string, payload: Uint8Array) => void, log: Logger): DeviceLink {
  const topic = o.sharedGroup ? shared(o.sharedGroup, DEVICE_UP_WILDCARD) : DEVICE_UP_WILDCARD;
  const errors = new LinkErrorLog("device link", log);
  const wire = (c: MqttClient) => {
    c.on("message", (t, payload) => onFrame(t, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)));
    // clean session: after a restart the boards retransmit whatever was not acked.
    c.on("connect", () => {
      errors.connected();
      if (o.sharedGroup && c.options.protocolVersion !== 5) {
        // Shared subscriptions are an MQTT 5 feature; Mosquitto and EMQX honour $share from
        // 3.1.1 clients too, other brokers take it as a literal topic that no board uses.
        log.warn({ url: redactUrl(o.url), topic }, "shared subscription over MQTT 3.1.1: works only if the broker accepts $share from 3.1.1 clients");
      }
      c.subscribe(topic, { qos: 1 }, (err) => {
        if (err) log.error({ err: String(err), topic }, "device subscription failed");
        else log.info({ url: redactUrl(o.url), topic }, "device link up");
      });
    });
    c.on("offline", () => log.warn({ url: redactUrl(o.url) }, "device link down"));
    c.on("error", (err) => errors.error(err, { url: redactUrl(o.url) }));
  };
  const conn = connectPreferV5(
    o.url,
    { clientId: o.clientId, username: o.username, password: o.password, clean: true, reconnectPeriod: 1000, protocolVersion: o.protocolVersion, ...tlsOptions(o.tls) },
    log,
    wire,
  );
  return {
    ready: conn.ready.then(() => undefined),
    publish(t: string, payload: Uint8Array) {
      conn.current().publish(t, Buffer.from(payload), { qos: 1 }, (err) => {
        if (err) log.warn({ err: String(err), topic: t }, "down publish failed");
      });
    },
    close: () => conn.current().endAsync().then(() => undefined),
  };
}
