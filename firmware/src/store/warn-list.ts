// The gateway's warn list (codes to warn about when scanned), kept in flash and searched
// there: the file is "\n"-separated keys with a leading and trailing "\n", so a lookup is one
// indexOf on the (memory-mapped) file and no key list is ever held in RAM. Keys never start
// with "=", so the durable file's trailer can never match a lookup.
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "../journal/record-codec";
import { DurableFile } from "./durable-file";

export class WarnList {
  private file_: DurableFile;
  private body_ = "\n";
  /** Keys in the list. */
  size = 0;

  constructor(store: FlashStore, crc: Crc32Str) {
    this.file_ = new DurableFile(store, "vtwarn", crc);
  }

  load(): void {
    const raw = this.file_.loadRaw();
    this.body_ = raw === null ? "\n" : raw;
    let n = 0;
    let at = this.body_.indexOf("\n");
    const end = raw === null ? this.body_.length : this.body_.lastIndexOf("\n=");
    while (at >= 0 && at < end - 1) {
      n++;
      at = this.body_.indexOf("\n", at + 1);
    }
    this.size = n;
  }

  has(key: string): boolean {
    if (key.length === 0 || key.indexOf("\n") >= 0) return false;
    return this.body_.indexOf("\n" + key + "\n") >= 0;
  }

  /** Applies a command's list: replace, or add to the current one. False if flash refused it. */
  apply(keys: string[], replace: boolean): boolean {
    const trailer = this.body_.lastIndexOf("\n=");
    let body = replace ? "\n" : trailer < 0 ? this.body_ : this.body_.substr(0, trailer);
    let added = replace ? 0 : this.size;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (typeof k !== "string" || k.length === 0 || k.length > 60 || k.charAt(0) === "=" || k.indexOf("\n") >= 0) continue;
      if (body.indexOf("\n" + k + "\n") >= 0) continue;
      body += k + "\n";
      added++;
    }
    if (!this.file_.save(body)) return false;
    this.load(); // back to the flash-backed copy
    this.size = added;
    return true;
  }
}
