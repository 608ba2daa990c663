// The sync engine over whatever link a board has (MQTT on the ESP32, USB serial on the Pico),
// wired from the provisioning: one place for the engine's settings.
import type { Hal } from "../hal/hal";
import type { Provisioning } from "../config";
import type { Journal } from "../journal/journal";
import type { WarnList } from "../store/warn-list";
import type { DeviceConfig } from "../../../protocol/src/frame/types";
import type { Link } from "../link/link";
import { SyncEngine } from "./sync-engine";
import { Backoff } from "./backoff";
import type { DeviceStateFile } from "./device-state";

export function startLinkSync(hal: Hal, p: Provisioning, journal: Journal, warn: WarnList, onConfig: (c: DeviceConfig) => void, state: DeviceStateFile, link: Link): SyncEngine {
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
