// Sync over MQTT for boards with a network. Boards without a network never import this file.
import type { Hal } from "../hal/hal";
import type { Provisioning } from "../config";
import type { Journal } from "../journal/journal";
import type { WarnList } from "../store/warn-list";
import type { DeviceConfig } from "../../../protocol/src/frame/types";
import type { SyncEngine } from "./sync-engine";
import type { DeviceStateFile } from "./device-state";
import { startLinkSync } from "./start-sync";
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
  return startLinkSync(hal, p, journal, warn, onConfig, state, link);
}
