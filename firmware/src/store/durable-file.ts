// A small file that a torn write can never destroy: two slots (name0, name1), each ending in
// a trailer "\n=<generation>:<crc32 of the body>". A save goes to the slot not holding the
// current value and only then erases the old one, so a power cut at any byte leaves at
// least one complete slot.
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "../journal/record-codec";

export class DurableFile {
  private store_: FlashStore;
  private base_: string;
  private crc_: Crc32Str;
  private gen_ = 0;
  private slot_ = -1;

  constructor(store: FlashStore, base: string, crc: Crc32Str) {
    this.store_ = store;
    this.base_ = base;
    this.crc_ = crc;
  }

  private parse_(s: string | undefined): { gen: number; body: string } | null {
    if (s === undefined) return null;
    const at = s.lastIndexOf("\n=");
    if (at < 0) return null;
    const trailer = s.substr(at + 2).split(":");
    if (trailer.length !== 2) return null;
    const body = s.substr(0, at);
    const gen = parseInt(trailer[0], 10);
    if (!(gen >= 1) || parseInt(trailer[1], 10) !== this.crc_(body)) return null;
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
      const s = this.store_.read(this.base_ + i);
      const v = this.parse_(s);
      if (v && v.gen > best) {
        best = v.gen;
        raw = s as string;
        this.slot_ = i;
      }
    }
    if (raw === null) return null;
    this.gen_ = best;
    return raw;
  }

  save(body: string): boolean {
    const next = this.slot_ === 0 ? 1 : 0;
    const data = body + "\n=" + (this.gen_ + 1) + ":" + this.crc_(body);
    let ok = false;
    try {
      ok = this.store_.write(this.base_ + next, data) !== false && this.store_.read(this.base_ + next) === data;
    } catch {
      ok = false;
    }
    if (!ok) return false;
    if (this.slot_ >= 0) {
      try {
        this.store_.erase(this.base_ + this.slot_);
      } catch {
        // the newer slot wins on load anyway
      }
    }
    this.gen_++;
    this.slot_ = next;
    return true;
  }
}
