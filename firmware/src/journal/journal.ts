// The offline journal: an append-only log of scan records in a ring of fixed-size Storage
// files ("pages") filled in place. Writes only ever fill erased bytes; a page is recreated
// (reclaimed) only when every event record in it was acked by the gateway, and pages are
// used in ring order so wear spreads evenly. A write torn by a power cut is found at boot by
// its CRC; its bytes are left as they are and writing goes on MAX_RECORD_BYTES after where it
// began, past anything a torn record can have touched, so a cut costs a few hundred bytes,
// not a page. Nothing is kept in RAM per record: every reader streams from flash.
//
// Storage (2v29's jsflash.c) compacts by itself whenever a new file does not fit, and a cut
// during a compaction loses the files it was rewriting. So the journal creates a page file
// only into free Storage space (keeping ROOM bytes for the small state files), and compacts
// Storage itself only when every record is held by the gateway.
import type { ScanRecord } from "../../../protocol/src/record";
import type { FlashStore } from "../hal/flash";
import {
  encodeEvent, encodeAck, encodeBoot, encodeTime, decodeAt, blankRecord, copyState,
  DEC_FREE, MAX_RECORD_BYTES, type Entry, type StreamState, type Crc32Str,
} from "./record-codec";
import { HEADER_BYTES, encodeHeader, decodeHeader, type PageHeader } from "./page-header";
import { recordFault } from "../../../protocol/src/frame/record-fault";

/** Storage bytes kept free for the small state files (two-slot saves, the config copy). */
const ROOM = 2048;

export interface JournalOptions {
  /** Page files are named prefix + index, padded with "~" to Storage's 28 name bytes. */
  prefix: string;
  pages: number;
  pageSize: number;
  crc32: Crc32Str;
  /** Persist the acked seq after it advanced this many records (a lost ack only costs a resend). */
  ackPersistEvery: number;
}

/** Called for every event record; return true to stop. The record object is reused: copy what you keep. */
export type RecordVisitor = (r: ScanRecord) => boolean | void;

export class Journal {
  private store_: FlashStore;
  private opt_: JournalOptions;
  private gen_: Uint32Array;
  private erases_: Uint32Array;
  private endSeq_: Uint32Array;
  private valid_: Uint8Array;
  /** Offset of each valid page's header (past headers torn by cuts). */
  private head_: Uint16Array;
  private active_ = -1;
  /** Where the next record goes in the active page (the page size once it is full). */
  private writeOff_ = 0;
  private persistedAck_ = 0;
  private scratch_: ScanRecord = blankRecord();
  state: StreamState = { seq: 1, session: 0, uptime: 0, boot: 0, anchor: 0, trusted: false, acked: 0 };
  /** Torn or corrupt spans found at boot or on a failed write (each one skipped, never overwritten). */
  tornTails = 0;

  constructor(store: FlashStore, opt: JournalOptions) {
    this.store_ = store;
    this.opt_ = opt;
    this.gen_ = new Uint32Array(opt.pages);
    this.erases_ = new Uint32Array(opt.pages);
    this.endSeq_ = new Uint32Array(opt.pages);
    this.valid_ = new Uint8Array(opt.pages);
    this.head_ = new Uint16Array(opt.pages);
  }

  /**
   * Page names fill all 28 bytes of a Storage name: a header torn inside a shorter name's zero
   * padding would be listed under the name yet never found, erased or replaced by it (2v29
   * compares all 28 bytes), a file lost for good; a torn full-length name holds erased 0xFF
   * bytes instead, which `open` recognises and erases.
   */
  private pageName_(i: number): string {
    return (this.opt_.prefix + i + "~".repeat(28)).substr(0, 28);
  }

  /** Page indices of valid pages, oldest first. */
  private order_(): number[] {
    const idx: number[] = [];
    for (let i = 0; i < this.opt_.pages; i++) if (this.valid_[i]) idx.push(i);
    const g = this.gen_;
    idx.sort((a, b) => g[a] - g[b]);
    return idx;
  }

  /**
   * Recovers the journal from flash. `visit` sees every surviving event record in order
   * (to rebuild the duplicate filter and the open session).
   */
  open(visit?: RecordVisitor): void {
    const crc = this.opt_.crc32;
    const st = this.store_;
    // A Storage header torn by a cut leaves an entry whose name holds erased (0xFF) bytes; a cut
    // while Storage compacted leaves a file twice, the first entry being the torn new copy (only
    // trusted for full 28-byte names: a shorter one is also listed twice after a header torn in
    // its zero padding, and that entry is not the one an erase would hit).
    const names = st.list();
    for (let k = 0; k < names.length; k++) {
      const n = names[k];
      if (n.indexOf("\xff") >= 0 || (n.length === 28 && names.indexOf(n) < k)) st.erase(n);
    }
    for (let i = 0; i < this.opt_.pages; i++) {
      const h = this.header_(i);
      this.valid_[i] = h ? 1 : 0;
      if (h) {
        this.gen_[i] = h.gen;
        this.erases_[i] = h.erases;
      }
    }
    const order = this.order_();
    let acked = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const page = st.read(this.pageName_(i)) as string;
      const h = decodeHeader(page.substr(this.head_[i], HEADER_BYTES), crc) as PageHeader;
      this.state = copyState(h.state);
      if (this.state.acked < acked) this.state.acked = acked;
      this.writeOff_ = this.scan_(page, this.head_[i], this.state, visit, 1);
      acked = this.state.acked;
      this.endSeq_[i] = this.state.seq;
      this.active_ = i;
    }
    this.persistedAck_ = this.state.acked;
  }

  /**
   * Reads page i's header: the first one at 0, then every MAX_RECORD_BYTES (as past a torn
   * record), that is not a header torn by a cut. `head_[i]` gets its place, or the first erased
   * one (the page size if the file is absent or none is left): a page whose header write was
   * torn takes the next one there, in place, instead of costing Storage a new file.
   */
  private header_(i: number): PageHeader | null {
    const pg = this.store_.read(this.pageName_(i)) || "";
    let at = 0;
    let h: PageHeader | null = null;
    // (a header's first byte is never 0xFF: an erased one there means nothing was written)
    while (at + HEADER_BYTES < pg.length && !(h = decodeHeader(pg.substr(at, HEADER_BYTES), this.opt_.crc32)) && pg.charCodeAt(at) !== 0xff) at += MAX_RECORD_BYTES;
    this.head_[i] = at + HEADER_BYTES < pg.length ? at : this.opt_.pageSize;
    return h;
  }

  /**
   * Decodes a page's records from `off` into `st`, calling `visit` on each event record until it returns
   * true (then -1). Returns where the next record goes: after the last one, past any torn span
   * (a record failing its check, or non-erased bytes where the data should end: skipped as a
   * whole, MAX_RECORD_BYTES from where it began), or the page size when nothing fits.
   */
  private scan_(page: string, off: number, st: StreamState, visit: RecordVisitor | undefined, count: number): number {
    const size = page.length;
    const out = this.scratch_;
    off += HEADER_BYTES;
    while (off < size) {
      const before = st.seq;
      const n = decodeAt(page, off, size, st, out, this.opt_.crc32);
      if (n > 0) {
        off += n;
        if (visit && st.seq !== before && visit(out) === true) return -1;
        continue;
      }
      if (n === DEC_FREE) {
        // erased flash must stay erased for a whole record's length, else a write was torn
        // after its first byte came out as 0xFF
        let p = off;
        const end = Math.min(size, off + MAX_RECORD_BYTES);
        while (p < end && page.charCodeAt(p) === 0xff) p++;
        if (p === end) return off;
      }
      this.tornTails += count;
      off += MAX_RECORD_BYTES;
    }
    return size;
  }

  /** Bytes a page file takes in Storage (its 32-byte header; page sizes are multiples of 4). */
  private fileBytes_(): number {
    return this.opt_.pageSize + 32;
  }

  /** Makes room for `len` bytes in the active page, moving to the next page if needed. */
  private ensureSpace_(len: number): boolean {
    if (this.active_ >= 0 && this.writeOff_ + len <= this.opt_.pageSize) return true;
    const next = this.active_ < 0 ? 0 : (this.active_ + 1) % this.opt_.pages;
    // a page may be recreated only when every event record in it is acked, and only into free
    // Storage space: a file that does not fit would make Storage compact now
    const need = this.fileBytes_() + ROOM;
    if ((this.valid_[next] && this.endSeq_[next] > this.state.acked + 1) || (this.store_.getFree() < need && (this.compact_(), this.store_.getFree() < need))) return false;
    let maxGen = 0;
    for (let i = 0; i < this.opt_.pages; i++) if (this.valid_[i] && this.gen_[i] > maxGen) maxGen = this.gen_[i];
    const wasValid = this.valid_[next] === 1;
    const erases = this.erases_[next] + (wasValid ? 1 : 0);
    const header = encodeHeader(maxGen + 1, erases, this.state, this.opt_.crc32);
    // A file whose header writes were torn takes the header in place (offset > 0 never
    // replaces a file); a valid page is recreated (offset 0 replaces it when written to).
    const at = wasValid ? 0 : (this.header_(next), this.head_[next] % this.opt_.pageSize);
    // From here the old page is gone whatever happens, so forget it first.
    this.valid_[next] = 0;
    let ok = false;
    try {
      ok = this.store_.write(this.pageName_(next), header, at, this.opt_.pageSize) !== false;
      ok = ok && this.store_.read(this.pageName_(next), at, HEADER_BYTES) === header;
    } catch {
      ok = false;
    }
    if (!ok) return false;
    this.valid_[next] = 1;
    this.gen_[next] = maxGen + 1;
    this.erases_[next] = erases;
    this.endSeq_[next] = this.state.seq;
    this.active_ = next;
    this.head_[next] = at;
    this.writeOff_ = at + HEADER_BYTES;
    return this.writeOff_ + len <= this.opt_.pageSize;
  }

  /** Writes encoded bytes durably and applies them to the state; false if there is no room. */
  private put_(bytes: string): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.ensureSpace_(bytes.length)) return false;
      const name = this.pageName_(this.active_);
      let ok = false;
      try {
        ok = this.store_.write(name, bytes, this.writeOff_) !== false;
        // Read back: a write the flash did not take must never be reported as durable.
        ok = ok && this.store_.read(name, this.writeOff_, bytes.length) === bytes;
      } catch {
        ok = false;
      }
      if (ok) {
        decodeAt(bytes, 0, bytes.length, this.state, this.scratch_, this.opt_.crc32);
        this.writeOff_ += bytes.length;
        this.endSeq_[this.active_] = this.state.seq;
        return true;
      }
      // The bytes there are now unknown: leave them, go on past them as a boot would.
      this.writeOff_ = Math.min(this.opt_.pageSize, this.writeOff_ + MAX_RECORD_BYTES);
      this.tornTails++;
    }
    return false;
  }

  /** Bytes an event entry would take now (0 if it is malformed). */
  sizeOf(e: Entry, uptime: number): number {
    const b = encodeEvent(e, this.state, uptime, this.opt_.crc32);
    return b === null ? 0 : b.length;
  }

  /**
   * Appends an event; returns its seq once it is durable in flash, 0 when there is no room,
   * -1 when the entry is malformed. The returned seq is safe to confirm to the doctor.
   */
  append(e: Entry, uptime: number): number {
    const bytes = encodeEvent(e, this.state, uptime, this.opt_.crc32);
    if (bytes === null) return -1;
    // Only what the gateway will accept goes to flash: check the record as it will read back.
    const probe = copyState(this.state);
    decodeAt(bytes, 0, bytes.length, probe, this.scratch_, this.opt_.crc32);
    if (recordFault(this.scratch_) !== null) return -1;
    const seq = this.state.seq;
    return this.put_(bytes) ? seq : 0;
  }

  /** Records a boot: the boot counter goes up by one (in RAM even if flash is full). */
  markBoot(clockNow: number, uptime: number): number {
    const boot = this.state.boot + 1;
    const anchor = Math.max(0, Math.floor(clockNow - uptime));
    if (!this.put_(encodeBoot(boot, anchor, this.opt_.crc32))) {
      this.state.boot = boot;
      this.state.anchor = anchor;
      this.state.trusted = false;
      this.state.uptime = 0;
    }
    return boot;
  }

  /** The clock was set by the gateway: later records carry trusted times. */
  markTime(clockNow: number, uptime: number): void {
    const anchor = Math.max(0, Math.floor(clockNow - uptime));
    if (!this.put_(encodeTime(anchor, this.state, uptime, this.opt_.crc32))) {
      this.state.anchor = anchor;
      this.state.trusted = true;
    }
  }

  /** The gateway durably holds every record up to `upto`. Returns the (possibly unchanged) acked seq. */
  ack(upto: number, uptime: number): number {
    const last = this.state.seq - 1;
    const v = upto > last ? last : upto;
    if (v > this.state.acked) {
      this.state.acked = v;
      if (v - this.persistedAck_ >= this.opt_.ackPersistEvery) {
        if (this.put_(encodeAck(v, this.state, uptime, this.opt_.crc32))) this.persistedAck_ = v;
      }
    }
    this.compact_();
    return this.state.acked;
  }

  /**
   * Every record is held by the gateway: the one moment a cut during Storage's compaction can
   * cost nothing not held elsewhere (called on acks, and when a page does not fit Storage).
   * Compacts when Storage could not take the whole ring again, after erasing every page but
   * the active one (all acked), so that their space comes back too.
   */
  private compact_(): void {
    const st = this.store_ as unknown as { [k: string]: () => void };
    // quoted: Storage's own name, which the bundler must not shorten
    if (this.state.acked === this.state.seq - 1 && st["compact"] && this.store_.getFree() < this.opt_.pages * this.fileBytes_() + ROOM) {
      try {
        for (let i = 0; i < this.opt_.pages; i++) {
          if (i !== this.active_ && this.valid_[i]) {
            this.valid_[i] = 0;
            this.store_.erase(this.pageName_(i));
          }
        }
        st["compact"]();
      } catch {
        // Storage keeps what it holds; the next ack tries again
      }
    }
  }

  get lastSeq(): number {
    return this.state.seq - 1;
  }

  get acked(): number {
    return this.state.acked;
  }

  /** Streams event records with seq >= fromSeq, oldest first, at most `max` of them. */
  read(fromSeq: number, max: number, visit: RecordVisitor): number {
    let count = 0;
    const order = this.order_();
    for (let k = 0; k < order.length && count < max; k++) {
      const i = order[k];
      if (this.endSeq_[i] <= fromSeq) continue;
      const page = this.store_.read(this.pageName_(i)) as string;
      const h = decodeHeader(page.substr(this.head_[i], HEADER_BYTES), this.opt_.crc32);
      if (!h) continue;
      const stop = this.scan_(page, this.head_[i], h.state, (r) => {
        if (r.seq < fromSeq) return false;
        count++;
        return visit(r) === true || count >= max;
      }, 0);
      if (stop < 0) break;
    }
    return count;
  }

  /**
   * Free bytes for new records: the active page's rest plus the pages that can be (re)created
   * (empty, or every record acked) in the Storage space left beyond ROOM, which is all a page
   * may use before the next compaction (only when everything is acked, see `ack`).
   */
  freeBytes(): number {
    const file = this.fileBytes_();
    let free = this.active_ >= 0 ? this.opt_.pageSize - this.writeOff_ : 0;
    let room = this.store_.getFree() - ROOM;
    for (let i = 0; i < this.opt_.pages; i++) {
      if (i !== this.active_ && room >= file && (!this.valid_[i] || this.endSeq_[i] <= this.state.acked + 1)) {
        free += this.opt_.pageSize - HEADER_BYTES;
        room -= file;
      }
    }
    return free;
  }

  capacityBytes(): number {
    return this.opt_.pages * (this.opt_.pageSize - HEADER_BYTES);
  }

}
