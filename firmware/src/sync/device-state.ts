// What the gateway told this board and must survive reboots: the last command id applied
// (commands replayed with an old id are ignored) and the pushed configuration.
import type { DeviceConfig } from "../../../protocol/src/frame/types";
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "../journal/record-codec";
import { DurableFile } from "../store/durable-file";

export interface DeviceState {
  command: number;
  config: DeviceConfig;
  /** The journal's renumbering after a lost seq ([generation, shift], `Journal.moved`). */
  move?: number[];
}

export class DeviceStateFile {
  private file_: DurableFile;

  constructor(store: FlashStore, crc: Crc32Str) {
    this.file_ = new DurableFile(store, "vtstate", crc);
  }

  // The file's keys are quoted: the bundler shortens unquoted property names, and a file
  // written by an earlier build must read back after an update.
  load(): DeviceState {
    const s = this.file_.load();
    if (s !== null) {
      try {
        const v = JSON.parse(s.substr(0, s.lastIndexOf("\n=")));
        const c = v && v["config"];
        if (typeof v["command"] === "number" && c && typeof c === "object") {
          const config: DeviceConfig = {};
          if (c["sessionTimeout"] !== undefined) config.sessionTimeout = c["sessionTimeout"];
          if (c["batchMax"] !== undefined) config.batchMax = c["batchMax"];
          if (c["warnFreePct"] !== undefined) config.warnFreePct = c["warnFreePct"];
          return { command: v["command"], config: config, move: v["move"] };
        }
      } catch {
        // a complete slot always parses; fall through to defaults if it somehow does not
      }
    }
    return { command: 0, config: {} };
  }

  save(st: DeviceState): boolean {
    const c = st.config;
    const config: { [k: string]: number } = {};
    if (c.sessionTimeout !== undefined) config["sessionTimeout"] = c.sessionTimeout;
    if (c.batchMax !== undefined) config["batchMax"] = c.batchMax;
    if (c.warnFreePct !== undefined) config["warnFreePct"] = c.warnFreePct;
    return this.file_.save(JSON.stringify({ "command": st.command, "config": config, "move": st.move }));
  }
}
