// A small file that a torn write can never destroy: two slots (name0, name1), each ending in
// a trailer "\n=<generation>:<crc32 of the body>". A save goes to the slot not holding the
// current value and only then erases the old one, so a power cut at any byte leaves at
// least one complete slot.
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "../journal/record-codec";
import { putBack } from "../journal/bytes";

export class DurableFile {
  /**
   * The newest complete slot as stored, trailer included (the value is what comes before its
   * last "\n="), or null if none was ever saved: on the board this string stays in flash
   * (memory-mapped), so a large file costs no RAM.
   */
  load: () => string | null;
  save: (body: string) => boolean;

  constructor(store: FlashStore, base: string, crc: Crc32Str) {
    let gen = 0;
    let slot = -1;
    this.load = () => {
      let raw: string | null = null;
      for (let i = 0; i < 2; i++) {
        const s = store.read(base + i);
        const at = s ? s.lastIndexOf("\n=") : -1;
        if (at >= 0) {
          const t = (s as string).substr(at + 2).split(":");
          const g = parseInt(t[0], 10);
          if (t.length === 2 && g >= 1 && parseInt(t[1], 10) === crc((s as string).substr(0, at)) && (raw === null || g > gen)) {
            gen = g;
            raw = s as string;
            slot = i;
          }
        }
      }
      return raw;
    };
    this.save = (body) => {
      const next = slot === 0 ? 1 : 0;
      if (!putBack(store, base + next, body + "\n=" + (gen + 1) + ":" + crc(body))) return false;
      if (slot >= 0) {
        try {
          store.erase(base + slot);
        } catch {
          // the newer slot wins on load anyway
        }
      }
      gen++;
      slot = next;
      return true;
    };
  }
}
