// What the gateway told this board and must survive reboots: the last command id applied
// (commands replayed with an old id are ignored) and the pushed configuration.
import type { DeviceConfig } from "../../../protocol/src/frame/types";
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "../journal/record-codec";
import { DurableFile } from "../store/durable-file";

export interface DeviceState {
  command: number;
  config: DeviceConfig;
}

export class DeviceStateFile {
  private file_: DurableFile;

  constructor(store: FlashStore, crc: Crc32Str) {
    this.file_ = new DurableFile(store, "vtstate", crc);
  }

  load(): DeviceState {
    const s = this.file_.load();
    if (s !== null) {
      try {
        const v = JSON.parse(s) as DeviceState;
        if (v && typeof v.command === "number" && v.config && typeof v.config === "object") return v;
      } catch (e) {
        // a complete slot always parses; fall through to defaults if it somehow does not
      }
    }
    return { command: 0, config: {} };
  }

  save(st: DeviceState): boolean {
    return this.file_.save(JSON.stringify(st));
  }
}
