// A small file that a torn write can never destroy: two slots (name0, name1), each ending in
// a trailer "\n=<generation>:<crc32 of the body>". A save goes to the slot not holding the
// current value and only then erases the old one, so a power cut at any byte leaves at
// least one complete slot.
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "../journal/record-codec";

export class DurableFile {
  private store: FlashStore;
  private base: string;
  private crc: Crc32Str;
  private gen = 0;
  private slot = -1;

  constructor(store: FlashStore, base: string, crc: Crc32Str) {
    this.store = store;
    this.base = base;
    this.crc = crc;
  }

  private parse(s: string | undefined): { gen: number; body: string } | null {
    if (s === undefined) return null;
    const at = s.lastIndexOf("\n=");
    if (at < 0) return null;
    const trailer = s.substr(at + 2).split(":");
    if (trailer.length !== 2) return null;
    const body = s.substr(0, at);
    const gen = parseInt(trailer[0], 10);
    if (!(gen >= 1) || parseInt(trailer[1], 10) !== this.crc(body)) return null;
    return { gen: gen, body: body };
  }

  /** The newest complete value, or null if none was ever saved. */
  load(): string | null {
    const raw = this.loadRaw();
    return raw === null ? null : raw.substr(0, raw.lastIndexOf("\n="));
  }

  /**
   * The newest complete slot as stored, trailer included: on the board this string stays
   * in flash (memory-mapped), so a large file costs no RAM.
   */
  loadRaw(): string | null {
    let best = -1;
    let raw: string | null = null;
    for (let i = 0; i < 2; i++) {
      const s = this.store.read(this.base + i);
      const v = this.parse(s);
      if (v && v.gen > best) {
        best = v.gen;
        raw = s as string;
        this.slot = i;
      }
    }
    if (raw === null) return null;
    this.gen = best;
    return raw;
  }

  save(body: string): boolean {
    const next = this.slot === 0 ? 1 : 0;
    const data = body + "\n=" + (this.gen + 1) + ":" + this.crc(body);
    let ok = false;
    try {
      ok = this.store.write(this.base + next, data) !== false && this.store.read(this.base + next) === data;
    } catch (e) {
      ok = false;
    }
    if (!ok) return false;
    if (this.slot >= 0) {
      try {
        this.store.erase(this.base + this.slot);
      } catch (e) {
        // the newer slot wins on load anyway
      }
    }
    this.gen++;
    this.slot = next;
    return true;
  }
}
