// "Was this box already dispensed from this device?" without keeping codes in RAM: a Bloom
// filter over the dispensed code keys still in flash, rebuilt at boot while the journal is
// scanned, and a confirming scan of the journal on a hit (undone records do not count).
import type { ScanRecord } from "../../../protocol/src/record";
import { EV_DISPENSE, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import type { Crc32Str } from "./record-codec";
import type { Journal } from "./journal";

export interface BoxHistory {
  /** A whole-box dispense of this key that is not undone. */
  whole: boolean;
  /** Units taken so far by split-pack dispenses that are not undone, and the box's size. */
  splitUnits: number;
  perPack: number;
}

export class DispenseHistory {
  add: (key: string) => void;
  /** Feed every journal record through this at boot. */
  replay: (r: ScanRecord) => void;
  /** Null when the device never dispensed this box (as far as flash still remembers). */
  lookup: (key: string) => BoxHistory | null;

  constructor(journal: Journal, bloomBytes: number, crc: Crc32Str) {
    const bits = new Uint8Array(bloomBytes);
    /** Sets (set) or tests the key's 3 bits; true when every bit was already set. */
    const probe = (key: string, set: boolean) => {
      const h1 = crc(key);
      const h2 = (crc(key + "\x01") | 1) >>> 0;
      let all = true;
      for (let i = 0; i < 3; i++) {
        const bit = (h1 + i * h2) % (bloomBytes * 8);
        const m = 1 << (bit & 7);
        if (!(bits[bit >> 3] & m)) all = false;
        if (set) bits[bit >> 3] |= m;
      }
      return all;
    };
    this.add = (key) => {
      probe(key, true);
    };
    this.replay = (r) => {
      if ((r.event === EV_DISPENSE || r.event === EV_SPLIT) && r.code !== undefined) probe(r.code, true);
    };
    this.lookup = (key) => {
      if (!probe(key, false)) return null;
      // Matching record seqs (and their split units, 0 for a whole box): undo removes.
      const seqs: number[] = [];
      const units: number[] = [];
      const h: BoxHistory = { whole: false, splitUnits: 0, perPack: 0 };
      journal.read(1, 1e9, (r) => {
        if ((r.event === EV_DISPENSE || r.event === EV_SPLIT) && r.code === key) {
          if (seqs.length >= 32) {
            seqs.shift();
            units.shift();
          }
          seqs.push(r.seq);
          units.push(r.event === EV_SPLIT ? (r.units as number) : 0);
          if (r.event === EV_SPLIT) h.perPack = r.perPack as number;
        } else if (r.event === EV_UNDO) {
          const at = seqs.indexOf(r.ref as number);
          if (at >= 0) {
            seqs.splice(at, 1);
            units.splice(at, 1);
          }
        }
      });
      if (!seqs.length) return null;
      for (const u of units) {
        if (u) h.splitUnits += u;
        else h.whole = true;
      }
      return h;
    };
  }
}
