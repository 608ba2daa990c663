// Sync over MQTT for boards with a network: the link, the backoff and the engine, wired
// from the provisioning. Boards without a network never import this file.
import type { Hal } from "../hal/hal";
import type { Provisioning } from "../config";
import type { Journal } from "../journal/journal";
import type { WarnList } from "../store/warn-list";
import type { DeviceConfig } from "../../../protocol/src/frame/types";
import { SyncEngine } from "./sync-engine";
import { Backoff } from "./backoff";
import type { DeviceStateFile } from "./device-state";
import { MqttLink } from "../link/mqtt/client";
import { mqttPassword } from "../../../protocol/src/auth";
import { deviceUp, deviceDown } from "../../../protocol/src/topics";

export function startMqttSync(hal: Hal, p: Provisioning, journal: Journal, warn: WarnList, onConfig: (c: DeviceConfig) => void, state: DeviceStateFile): SyncEngine | null {
  if (!hal.net || !p.mqtt) return null;
  const link = new MqttLink(
    {
      host: p.mqtt.host,
      port: p.mqtt.port,
      clientId: p.device,
      username: p.device,
      password: mqttPassword(p.device, p.secret, hal.hashing),
      upTopic: deviceUp(p.device),
      downTopic: deviceDown(p.device),
      keepAlive: 60,
      resendAfter: 20,
      connectTimeout: 20,
      maxPacketBytes: 8192,
    },
    hal.net,
    () => hal.clock.uptime(),
  );
  const rand = () => hal.random.u32() / 4294967296;
  return new SyncEngine(
    { device: p.device, key: p.secret, hashing: hal.hashing, batchMax: 40, ackTimeout: 30, maxDrift: 5 },
    {
      journal: journal,
      link: link,
      clock: hal.clock,
      timers: hal.timers,
      backoff: new Backoff(2000, 300000, rand),
      state: state,
      applyConfig: onConfig,
      applyWarnList: (keys, replace) => warn.apply(keys, replace),
      log: hal.log,
    },
  );
}
