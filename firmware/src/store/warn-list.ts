// The gateway's warn list (codes to warn about when scanned), kept in flash and searched
// there: the file is "\n"-separated keys with a leading and trailing "\n", so a lookup is one
// indexOf on the (memory-mapped) file and no key list is ever held in RAM. Keys never start
// with "=", so the durable file's trailer can never match a lookup.
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "../journal/record-codec";
import { DurableFile } from "./durable-file";

export class WarnList {
  /** Keys in the list. */
  size = 0;
  load: () => void;
  has: (key: string) => boolean;
  /** Applies a command's list: replace, or add to the current one. False if flash refused it. */
  apply: (keys: string[], replace: boolean) => boolean;

  constructor(store: FlashStore, crc: Crc32Str) {
    const file = new DurableFile(store, "vtwarn", crc);
    /** The stored slot, trailer included ("\n" when there is none). */
    let body = "\n";
    /** Where the keys end: the trailer's "\n=". */
    let end = 1;
    this.load = () => {
      const raw = file.load();
      body = raw === null ? "\n" : raw;
      end = raw === null ? 1 : body.lastIndexOf("\n=");
      let n = 0;
      for (let at = body.indexOf("\n"); at >= 0 && at < end - 1; at = body.indexOf("\n", at + 1)) n++;
      this.size = n;
    };
    this.has = (key) => key.length > 0 && key.indexOf("\n") < 0 && body.indexOf("\n" + key + "\n") >= 0;
    this.apply = (keys, replace) => {
      let b = replace ? "\n" : body.substr(0, end);
      let added = replace ? 0 : this.size;
      for (const k of keys) {
        if (typeof k === "string" && k.length > 0 && k.length <= 60 && k.charAt(0) !== "=" && k.indexOf("\n") < 0 && b.indexOf("\n" + k + "\n") < 0) {
          b += k + "\n";
          added++;
        }
      }
      if (!file.save(b)) return false;
      this.load(); // back to the flash-backed copy
      this.size = added;
      return true;
    };
  }
}
