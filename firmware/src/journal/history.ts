// "Was this box already dispensed from this device?" without keeping codes in RAM: a filter
// over the dispensed code keys still in flash, and a confirming scan of the journal on a hit
// (undone records do not count). The filter may answer "maybe" for a box never dispensed (the
// journal scan then says no), never "no" for one in the journal.
//
// Pico: a Bloom filter in RAM (3 hashes), rebuilt at boot while the journal is scanned.
// Boards with LARGE_STORAGE (the ESP32): a table in a Storage file instead, so it costs no
// variables: one byte per slot, an erased slot (0xFF) is empty, a used one holds an 8-bit
// fingerprint of a key (0..254); a key's slot is its CRC-32 modulo the slot count, and a key
// goes into the first empty slot from there (linear probing, at most PROBE slots: a run of
// PROBE used slots answers "maybe"). A slot is only ever written once, over 0xFF, as Storage
// allows in place. File (full 28-byte name, as the journal's pages):
//   0  'V' 'H' 1      magic, version
//   3  slots          4 bytes, big-endian
//   7  generation     4 bytes: the journal's oldest page generation when the table was built
//  11  CRC-32 of bytes 0..10
//  15  the slots, then PROBE more (so a probe never wraps)
// Every boot marks every dispensed key the journal holds (those already there cost a read), so
// a table that is behind the journal (a cut between a record and its mark, a build that had
// no table, a rebuild cut half-way) is brought up to date; a torn slot is a used slot (a false
// "maybe" at worst); a missing or torn header makes a new table. Keys of reclaimed pages stay
// in the table: once a quarter of the ring was reclaimed since it was built, it is built again from
// the journal, when Storage has room for it and the whole ring besides (never making Storage
// compact, see journal.ts).
import type { ScanRecord } from "../../../protocol/src/record";
import { EV_DISPENSE, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import { LARGE_STORAGE } from "../../../protocol/src/board-flags";
import type { FlashStore } from "../hal/flash";
import type { Crc32Str } from "./record-codec";
import type { Journal } from "./journal";
import { be, rd, putBack } from "./bytes";

/** Slots a probe may look at (read in one go). */
const PROBE = 32;
const HEAD = 15;
export const HISTORY_FILE = "vthist~~~~~~~~~~~~~~~~~~~~~~";

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

  /**
   * `size`: bytes of the RAM Bloom filter, or slots of the flash table when `store` is given
   * (boards with LARGE_STORAGE only).
   */
  constructor(journal: Journal, size: number, crc: Crc32Str, store?: FlashStore | null) {
    // (no RAM filter where the flash table takes over, below)
    const bits = LARGE_STORAGE && store ? null : new Uint8Array(size);
    /** Tests the key (true: maybe dispensed); with `set`, enters it too. */
    let probe = (key: string, set?: boolean) => {
      const h1 = crc(key);
      const h2 = (crc(key + "\x01") | 1) >>> 0;
      let all = true;
      for (let i = 0; i < 3; i++) {
        const bit = (h1 + i * h2) % (size * 8);
        const m = 1 << (bit & 7);
        if (!(bits![bit >> 3] & m)) all = false;
        if (set) bits![bit >> 3] |= m;
      }
      return all;
    };
    this.add = (key) => {
      probe(key, true);
    };
    if (LARGE_STORAGE && store) {
      const head = store.read(HISTORY_FILE, 0, HEAD) || "";
      const valid = "VH\x01" + be(size, 4) + head.substr(7, 4);
      /** The table file is there and whole (false: every lookup is a "maybe"). */
      let ok = head === valid + be(crc(valid), 4);
      /** The journal's oldest page generation when the table was built. */
      let built = rd(head, 7, 4);
      /** No table at power-on: one is made before the first mark (the boot's replay fills it). */
      let fresh = !ok;
      const oldest = () => {
        let g = 0;
        const gens = journal.gens;
        for (let i = 0; i < gens.length; i++) if (gens[i] && (!g || gens[i] < g)) g = gens[i];
        return g;
      };
      /** A new, empty table (the old one erased), when Storage has room for it and the ring. */
      const create = () => {
        fresh = false;
        if (store.getFree() < size + journal.capacity + 8192) return false;
        store.erase(HISTORY_FILE);
        const h = "VH\x01" + be(size, 4) + be((built = oldest()), 4);
        return (ok = putBack(store, HISTORY_FILE, h + be(crc(h), 4), 0, HEAD + size + PROBE));
      };
      probe = (key, set) => {
        if (fresh) create();
        const c = crc(key);
        const at = HEAD + (c % size);
        const fp = Math.floor(c / size) % 255;
        const s = ok ? store.read(HISTORY_FILE, at, PROBE) || "" : "";
        for (let i = 0; i < s.length; i++) {
          const b = s.charCodeAt(i);
          if (b === fp) return true;
          if (b === 255) {
            // a mark that did not read back: no table until it is built again
            if (set && !putBack(store, HISTORY_FILE, String.fromCharCode(fp), at + i)) ok = false;
            return false;
          }
        }
        return true;
      };
      this.add = (key) => {
        // the key's record is in the journal already: a rebuild enters it with the others
        if ((!ok || oldest() >= built + (journal.gens.length >> 2)) && create()) journal.read(1, 1e9, this.replay);
        else probe(key, true);
      };
    }
    this.replay = (r) => {
      if ((r.event === EV_DISPENSE || r.event === EV_SPLIT) && r.code !== undefined) probe(r.code, true);
    };
    this.lookup = (key) => {
      if (!probe(key)) return null;
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
