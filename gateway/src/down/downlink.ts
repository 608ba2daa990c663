// Everything the gateway sends down to a board, sealed with that board's key: acks (which
// double as time sync) and commands (time, config, warn list).
import type { CommandFrame, DeviceConfig, Hashing } from "../../../protocol/src/frame/types";
import { encodeAck, encodeCommand } from "../../../protocol/src/node/encode";
import { deviceDown } from "../../../protocol/src/topics";
import type { Logger } from "../log/logger";
import type { GatewayStore } from "../store/store";

/** Codes per command frame: 40 codes of up to 64 chars stay well under the 4 KiB frame limit. */
export const WARN_CODES_PER_COMMAND = 40;

export class Downlink {
  constructor(
    private readonly store: GatewayStore,
    private readonly hashing: Hashing,
    private readonly publish: (topic: string, payload: Uint8Array) => void,
    private readonly log: Logger,
    private readonly deviceConfig: DeviceConfig,
    private readonly nowSec: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  sendAck(device: string, upto: number): void {
    const d = this.store.devices.get(device);
    if (!d) return;
    this.publish(deviceDown(device), encodeAck({ device, upto, time: this.nowSec() }, d.secret, this.hashing));
  }

  /** A board just subscribed: set its clock, push config and the whole warn list. */
  welcome(device: string): void {
    const warn = this.store.warnList.all();
    const chunks = chunk(warn, WARN_CODES_PER_COMMAND);
    const config = Object.keys(this.deviceConfig).length ? this.deviceConfig : undefined;
    this.command(device, { time: this.nowSec(), config, warn: chunks[0] ?? [], warnReplace: true });
    for (let i = 1; i < chunks.length; i++) this.command(device, { warn: chunks[i] });
    const upto = this.store.records.ackedUpto(device);
    if (upto > 0) this.sendAck(device, upto); // lets a board that missed an ack reclaim flash
  }

  /** New warn-list codes to every active board. */
  broadcastWarn(codes: string[]): void {
    const chunks = chunk(codes, WARN_CODES_PER_COMMAND);
    for (const d of this.store.devices.list()) {
      if (d.status !== "active") continue;
      for (const c of chunks) this.command(d.id, { warn: c });
    }
  }

  command(device: string, body: Omit<CommandFrame, "device" | "id">): void {
    const d = this.store.devices.get(device);
    if (!d || d.status !== "active") return;
    const cmd: CommandFrame = { device, id: this.store.warnList.nextCommandId(device) };
    if (body.time !== undefined) cmd.time = body.time;
    if (body.config !== undefined) cmd.config = body.config;
    if (body.warn !== undefined) cmd.warn = body.warn;
    if (body.warnReplace !== undefined) cmd.warnReplace = body.warnReplace;
    try {
      this.publish(deviceDown(device), encodeCommand(cmd, d.secret, this.hashing));
    } catch (err) {
      this.log.error({ err: String(err), device }, "command not sent");
    }
  }
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
