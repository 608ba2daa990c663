// Sync over a serial line to a gateway bridge (the Pico's USB port): see link/serial.ts.
import type { SyncStarter } from "../app";
import type { LinePort } from "../link/serial";
import { SerialLink } from "../link/serial";
import { startLinkSync } from "./start-sync";
import { MAX_FRAME_BYTES } from "../../../protocol/src/frame/types";

/** The host probes every 15 s; three missed probes and a bit mean it is gone. */
const SILENCE_S = 50;

export function serialSync(port: LinePort): SyncStarter {
  return (hal, p, journal, warn, onConfig, state) =>
    startLinkSync(hal, p, journal, warn, onConfig, state, new SerialLink({ device: p.device, silence: SILENCE_S, maxLine: 8 + Math.ceil(MAX_FRAME_BYTES / 3) * 4 }, port, () => hal.clock.uptime()));
}
