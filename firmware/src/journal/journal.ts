// The offline journal: an append-only log of scan records in a ring of fixed-size Storage
// files ("pages") filled in place. Writes only ever fill erased bytes; a page is recreated
// (reclaimed) only when every event record in it was acked by the gateway, and pages are
// used in ring order so wear spreads evenly. A write torn by a power cut is found at boot by
// its CRC; its bytes are left as they are and writing goes on MAX_RECORD_BYTES (200) after
// where it began, past anything a torn record can have touched, so a cut costs a few hundred
// bytes, not a page. Nothing is kept in RAM per record: every reader streams from flash.
//
// Storage (2v29's jsflash.c) compacts by itself whenever a new file does not fit, and a cut
// during a compaction loses the files it was rewriting. So the journal creates a page file
// only into free Storage space (keeping ROOM bytes for the small state files), and compacts
// Storage itself only when every record is held by the gateway.
//
// Page header (40 bytes at the page's header offset: 0, or 200, 400 .. past headers torn by
// cuts), big-endian:
//   0  'V' 'J'      magic
//   2  version (1)
//   3  trusted      1 when the clock was gateway-set at page creation
//   4  generation   +1 per page created: orders pages (sequence numbers can tie on empty pages)
//   8  erases       how many times this page file was (re)created: wear accounting
//  12  next seq     the seq the page's first event record takes
//  16  acked        gateway-acked seq at creation
//  20  boot         boot counter at creation
//  24  session      open session's seq at creation (0: none)
//  28  anchor       Unix time at uptime 0 of the current boot
//  32  uptime       uptime of the last record before this page
//  36  CRC-32 of bytes 0..35 (0xFFFFFFFF stored as 0xFFFFFFFE)
// The header snapshots the stream state, so each page decodes on its own and the state
// (seq, acked, boot) survives even when every older page has been reclaimed. The records
// are described in record-codec.ts.
//
// Written as locals of the constructor (firmware/README.md, "Rule for size"): the codec, the
// header and the page bookkeeping are closures over one scope.
import type { ScanRecord } from "../../../protocol/src/record";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, EV_CLOSE, OPEN_BY_VOUCHER, OPEN_BY_RX } from "../../../protocol/src/record";
import type { FlashStore } from "../hal/flash";
import type { Entry, StreamState, Crc32Str } from "./record-codec";
import { be, rd, varint, short, putBack } from "./bytes";
import { isDigits, digitsValue } from "../../../protocol/src/code/chars";
import { fromHex, toHex, stringFromBytes, bytesFromString } from "../../../protocol/src/crypto/bytes";
import { recordFault } from "../../../protocol/src/frame/record-fault";
import { LARGE_STORAGE } from "../../../protocol/src/board-flags";

/** Longest record written or accepted; also how far a torn span is skipped. */
const MAX_RECORD_BYTES = 200;
const HEADER_BYTES = 40;
/** Storage bytes kept free for the small state files (two-slot saves, the config copy). */
const ROOM = 2048;
const TWO32 = 4294967296;

export interface JournalOptions {
  /** Page files are named prefix + index, padded with "~" to Storage's 28 name bytes. */
  prefix: string;
  pages: number;
  pageSize: number;
  crc32: Crc32Str;
  /** Persist the acked seq after it advanced this many records (a lost ack only costs a resend). */
  ackPersistEvery: number;
}

/** Called for every event record; return true to stop. */
export type RecordVisitor = (r: ScanRecord) => boolean | void;

export class Journal {
  state: StreamState = { seq: 1, session: 0, uptime: 0, boot: 0, epoch: 0, trusted: false, acked: 0 };
  /** Torn or corrupt spans found at boot or on a failed write (each one skipped, never overwritten). */
  tornTails = 0;
  /** Bytes of records the whole ring holds. */
  capacity: number;
  /** Each page's generation, 0 for a page not in use (read by the flash dispense history; set only on boards with LARGE_STORAGE). */
  gens!: Uint32Array;
  /**
   * Recovers the journal from flash. `visit` sees every surviving event record in order
   * (to rebuild the duplicate filter and the open session). A board that compacted Storage
   * after a sync (its mark file `vtjs~..`) and finds no page at all lost its pages, and with them
   * its seq: nothing is written (new sessions are refused) until a gateway's ack says where seq
   * stands (see `ack`). `moved`: the renumbering the device state keeps (see `ack`): pages of
   * generation <= moved[0] read their seqs (and acked seq, open session) moved[1] higher.
   */
  open: (visit?: RecordVisitor, moved?: number[]) => void;
  /** Whether the seq is unconfirmed (see `open`): nothing is written until an ack places it. */
  held: () => boolean;
  /** Bytes an event entry would take now (0 if it is malformed). */
  sizeOf: (e: Entry, uptime: number) => number;
  /**
   * Appends an event; returns its seq once it is durable in flash, 0 when there is no room,
   * -1 when the entry is malformed. The returned seq is safe to confirm to the doctor.
   */
  append: (e: Entry, uptime: number) => number;
  /** Records a boot: the boot counter goes up by one (in RAM even if flash is full). */
  markBoot: (clockNow: number, uptime: number) => number;
  /** The clock was set by the gateway: later records carry trusted times. */
  markTime: (clockNow: number, uptime: number) => void;
  /**
   * The gateway durably holds every record up to `upto`. Returns the (possibly unchanged) acked
   * seq. An `upto` at or above the next seq means this board's counter restarted (its pages
   * were lost) while the gateway holds the seqs it is reusing: the records it wrote since are
   * renumbered to follow `upto` (never taken as acked), once `keep` has stored the renumbering
   * ([generation, shift], given back to `open` at boot); not while a session is open (the
   * counter holds its seqs), nor over an earlier renumbering whose pages are still in the ring.
   */
  ack: (upto: number, uptime: number, keep?: (m: number[]) => boolean) => number;
  /** Streams event records with seq >= fromSeq, oldest first, at most `max` of them. */
  read: (fromSeq: number, max: number, visit: RecordVisitor) => number;
  /**
   * Free bytes for new records: the active page's rest plus the pages that can be (re)created
   * (empty, or every record acked) in the Storage space left beyond ROOM, which is all a page
   * may use before the next compaction (only when everything is acked, see `ack`).
   */
  freeBytes: () => number;

  constructor(store: FlashStore, opt: JournalOptions) {
    const st = this.state;
    const pages = opt.pages;
    const size = opt.pageSize;
    const crc = opt.crc32;
    /** Bytes a page file takes in Storage (its 32-byte header; page sizes are multiples of 4). */
    const file = size + 32;
    /** Each page's generation; 0 for a page that is not valid (generations start at 1). */
    const gen = new Uint32Array(pages);
    const erases = new Uint32Array(pages);
    const endSeq = new Uint32Array(pages);
    /** Offset of each valid page's header (past headers torn by cuts). */
    const head = new Uint16Array(pages);
    let active = -1;
    /** Where the next record goes in the active page (the page size once it is full). */
    let writeOff = 0;
    let persistedAck = 0;
    /** Renumbering: pages of generation <= moved[0] read their seqs moved[1] higher (see `ack`). */
    let moved = [0, 0];
    /** The seq counter is unconfirmed: nothing is written (see `open`). */
    let held = false;
    /** The event record the last `dec` read (a new object each time). */
    let rec: ScanRecord;
    this.capacity = pages * (size - HEADER_BYTES);
    if (LARGE_STORAGE) this.gens = gen;

    /**
     * Page names fill all 28 bytes of a Storage name: a header torn inside a shorter name's zero
     * padding would be listed under the name yet never found, erased or replaced by it (2v29
     * compares all 28 bytes), a file lost for good; a torn full-length name holds erased 0xFF
     * bytes instead, which `open` recognises and erases.
     */
    const name = (i: number | string) => (opt.prefix + i + "~".repeat(28)).substr(0, 28);
    /** The mark of a board that compacted Storage after a sync (see `compact`). */
    const mark = name("s");

    /** The n-byte CRC-32 check of s (n = 2: its low 16 bits), never all 0xFF (erased flash). */
    const check = (s: string, n: number) => {
      const c = be(crc(s), n);
      return c === "\xff".repeat(n) ? c.substr(1) + "\xfe" : c;
    };

    /** Bytes of a record of kind k: the uptime delta since the last record, the body, the check. */
    const frame = (k: number, body: string, uptime: number) => {
      let dt = uptime - st.uptime;
      if (!(dt >= 0)) dt = 0; // uptime is monotonic; never encode a negative delta
      dt = Math.floor(dt);
      const r = (dt < 15 ? String.fromCharCode((dt << 4) | k) : String.fromCharCode(0xf0 | k) + varint(dt)) + body;
      return r + check(r, 2);
    };

    /** Bytes of an event record for `e` at `uptime`; null when the entry is malformed. */
    const enc = (e: Entry, uptime: number): string | null => {
      const code = e.code;
      const rx = e.rx;
      const units = e.units as number;
      const ev = e.event;
      let k = 0;
      let b = "";
      for (const v of [code, e.batch, e.expiry, rx]) if (v !== undefined && v.length > 60) return null;
      if (ev === EV_OPEN) {
        if (e.openBy === OPEN_BY_VOUCHER) {
          const h = fromHex(e.patient ?? "");
          if (h !== null && h.length === 8) {
            k = 1;
            b = stringFromBytes(h);
          }
        } else if (e.openBy === OPEN_BY_RX && rx) {
          const d = rx.substr(2);
          if (rx.length > 2 && rx.substr(0, 2) === "RX" && isDigits(d)) {
            k = 13;
            b = String.fromCharCode(d.length);
            for (let i = 0; i < d.length; i += 2) b += String.fromCharCode(((d.charCodeAt(i) - 48) << 4) | (i + 1 < d.length ? d.charCodeAt(i + 1) - 48 : 0));
          } else {
            k = 2;
            b = short(rx);
          }
        }
      } else if ((ev === EV_DISPENSE || ev === EV_SPLIT) && code) {
        if (e.batch === undefined && e.expiry === undefined && code.length === 20 && code.charCodeAt(0) === 56 && isDigits(code)) {
          const serial = digitsValue(code, 7, 20);
          const hi = Math.floor(serial / TWO32);
          k = 3;
          b = be(digitsValue(code, 1, 7) * 4096 + hi, 4) + be(serial - hi * TWO32, 4);
        } else {
          k = 4;
          b = short(code) + short(e.batch ?? "") + short(e.expiry ?? "");
        }
        if (ev === EV_SPLIT) {
          k = units >= 1 && (e.perPack as number) >= units ? k + 2 : 0;
          b += varint(units) + varint(e.perPack as number);
        }
      } else if (ev === EV_UNDO) {
        const ref = e.ref as number;
        if (ref >= 1 && ref < st.seq) {
          k = 7;
          b = varint(st.seq - ref);
        }
      } else if (ev === EV_NOCODE) {
        if (code && units >= 1) {
          k = 8;
          b = short(code) + varint(units);
        }
      } else if (ev === EV_CLOSE) k = 9;
      return k ? frame(k, b, uptime) : null;
    };

    /**
     * Decodes the record at `at` (bounded by `end`) and applies it to `x`; an event record is
     * left in `rec`. Returns the record's length, 0 for erased flash (no more data) or -1 for
     * a torn or corrupt record. `x` is left untouched unless the record is valid.
     */
    const dec = (s: string, at: number, end: number, x: StreamState): number => {
      const b0 = s.charCodeAt(at);
      if (at >= end || b0 === 0xff) return 0;
      const k = b0 & 15;
      let p = at + 1;
      /** End of what this record may read; -1 once anything ran past it. */
      let lim = Math.min(end, at + MAX_RECORD_BYTES);
      /** n raw bytes ("" past the end). */
      const bytes = (n: number) => (p + n <= lim ? s.substr((p += n) - n, n) : ((lim = -1), ""));
      const num = () => {
        let v = 0;
        let m = 1;
        for (let i = 0; i < 5 && p < lim; i++) {
          const c = s.charCodeAt(p++);
          v += (c & 127) * m;
          if (c < 128) return v;
          m *= 128;
        }
        lim = -1;
        return -1;
      };
      const str = () => bytes(bytes(1).charCodeAt(0));
      let dt = b0 >> 4;
      if (dt === 15) dt = num();
      let code = "";
      let batch = "";
      let expiry = "";
      let text = "";
      let n1 = 0;
      let n2 = 0;
      if (k === 1) text = toHex(bytesFromString(bytes(8)));
      else if (k === 2) text = str();
      else if (k === 13) {
        const digits = bytes(1).charCodeAt(0);
        const t = bytes((digits + 1) >> 1);
        text = "RX";
        if (!digits) lim = -1;
        for (let i = 0; i < digits && lim >= 0; i++) {
          const v = (t.charCodeAt(i >> 1) >> (i & 1 ? 0 : 4)) & 15;
          if (v > 9) lim = -1;
          text += v;
        }
      } else if (k === 3 || k === 5) {
        const w = bytes(8);
        const product = Math.floor(rd(w, 0, 4) / 4096);
        const serial = (rd(w, 0, 4) - product * 4096) * TWO32 + rd(w, 4, 4);
        if (product > 999999 || serial > 9999999999999) lim = -1;
        code = "8" + ("" + product).padStart(6, "0") + ("" + serial).padStart(13, "0");
      } else if (k === 4 || k === 6) {
        code = str();
        batch = str();
        expiry = str();
      } else if (k === 7 || k === 10) n1 = num();
      else if (k === 8) {
        code = str();
        n1 = num();
      } else if (k === 11) {
        n1 = num();
        n2 = rd(bytes(4), 0, 4);
      } else if (k === 12) n2 = rd(bytes(4), 0, 4);
      else if (k !== 9) return -1;
      if (k === 5 || k === 6) {
        n1 = num();
        n2 = num();
      }
      const c = bytes(2);
      if (lim < 0 || check(s.substring(at, p - 2), 2) !== c) return -1;
      const len = p - at;

      if (k === 11) {
        x.boot = n1;
        x.epoch = n2;
        x.trusted = false;
        x.uptime = 0;
        // The open session (if any) survives a reboot: the doctor carries on with the same patient.
        return len;
      }
      x.uptime += dt;
      if (k === 10) {
        if (n1 > x.acked) x.acked = n1;
        return len;
      }
      if (k === 12) {
        x.epoch = n2;
        x.trusted = true;
        return len;
      }
      const seq = x.seq;
      const open = k < 3 || k === 13;
      // Optional fields are absent, not undefined, so a record encodes cleanly.
      const r: ScanRecord = (rec = {
        seq: seq,
        time: x.epoch + x.uptime,
        trusted: x.trusted,
        boot: x.boot,
        uptime: x.uptime,
        event: [0, EV_OPEN, EV_OPEN, EV_DISPENSE, EV_DISPENSE, EV_SPLIT, EV_SPLIT, EV_UNDO, EV_NOCODE, EV_CLOSE, 0, 0, 0, EV_OPEN][k] as ScanRecord["event"],
        session: open ? seq : x.session,
      });
      if (open) {
        if (k === 1) {
          r.openBy = OPEN_BY_VOUCHER;
          r.patient = text;
        } else {
          r.openBy = OPEN_BY_RX;
          r.rx = text;
        }
        x.session = seq;
      } else if (k === 9) x.session = 0;
      else if (k === 7) r.ref = seq - n1;
      else {
        r.code = code;
        if (k === 8) r.units = n1;
        else {
          if (batch) r.batch = batch;
          if (expiry) r.expiry = expiry;
          if (k > 4) {
            r.units = n1;
            r.perPack = n2;
          }
        }
      }
      x.seq = seq + 1;
      return len;
    };

    /** Header decode: null for a missing, torn or foreign header. Renumbered pages read shifted. */
    const header = (s: string) => {
      const d = rd(s, 4, 4) > moved[0] ? 0 : moved[1];
      return s.length < HEADER_BYTES || s.substr(0, 3) !== "VJ\x01" || check(s.substr(0, 36), 4) !== s.substr(36, 4)
        ? null
        : {
            gen: rd(s, 4, 4),
            erases: rd(s, 8, 4),
            state: {
              trusted: s.charCodeAt(3) === 1,
              seq: rd(s, 12, 4) + d,
              acked: rd(s, 16, 4) + d,
              boot: rd(s, 20, 4),
              session: rd(s, 24, 4) && rd(s, 24, 4) + d,
              epoch: rd(s, 28, 4),
              uptime: rd(s, 32, 4),
            } as StreamState,
          };
    };

    /**
     * Reads page i's header: the first one at 0, then every MAX_RECORD_BYTES (as past a torn
     * record), that is not a header torn by a cut. `head[i]` gets its place, or the first erased
     * one (the page size if the file is absent or none is left): a page whose header write was
     * torn takes the next one there, in place, instead of costing Storage a new file.
     */
    const pageHeader = (i: number) => {
      const pg = store.read(name(i)) || "";
      let at = 0;
      let h = null;
      // (a header's first byte is never 0xFF: an erased one there means nothing was written)
      while (at + HEADER_BYTES < pg.length && !(h = header(pg.substr(at, HEADER_BYTES))) && pg.charCodeAt(at) !== 0xff) at += MAX_RECORD_BYTES;
      head[i] = at + HEADER_BYTES < pg.length ? at : size;
      return h;
    };

    /** Page indices of valid pages, oldest first. */
    const order = () => {
      const idx: number[] = [];
      for (let i = 0; i < pages; i++) if (gen[i]) idx.push(i);
      return idx.sort((a, b) => gen[a] - gen[b]);
    };

    /**
     * Decodes a page's records from its header at `off` into `x`, calling `visit` on each event
     * record until it returns true (then -1). Returns where the next record goes: after the
     * last one, past any torn span (a record failing its check, or non-erased bytes where the
     * data should end: skipped as a whole, MAX_RECORD_BYTES from where it began), or the page
     * size when nothing fits. `torn` (0 or 1) is added to `tornTails` per torn span.
     */
    const scan = (page: string, off: number, x: StreamState, visit: RecordVisitor | undefined, torn: number) => {
      for (off += HEADER_BYTES; off < page.length; ) {
        const before = x.seq;
        const n = dec(page, off, page.length, x);
        if (n > 0) {
          off += n;
          if (visit && x.seq !== before && visit(rec) === true) return -1;
          continue;
        }
        // erased flash must stay erased for a whole record's length, else a write was torn
        // after its first byte came out as 0xFF
        const t = page.substr(off, MAX_RECORD_BYTES);
        if (!n && t === "\xff".repeat(t.length)) return off;
        this.tornTails += torn;
        off += MAX_RECORD_BYTES;
      }
      return page.length;
    };

    /**
     * Every record is held by the gateway: the one moment a cut during Storage's compaction can
     * cost nothing not held elsewhere (called on acks, and when a page does not fit Storage).
     * Compacts when Storage could not take the whole ring again, after erasing every page but
     * the active one (all acked), so that their space comes back too.
     */
    const compact = () => {
      const s = store as unknown as { [k: string]: () => void };
      // quoted: Storage's own name, which the bundler must not shorten
      if (st.acked === st.seq - 1 && s["compact"] && store.getFree() < pages * file + ROOM) {
        try {
          // A board that compacts with records acked has synced: the mark lets a boot that finds
          // no page (lost with a cut in this compaction) know its seq was lost (see `open`).
          if (st.acked && !store.read(mark)) store.write(mark, "1");
          for (let i = 0; i < pages; i++) {
            if (i !== active && gen[i]) {
              gen[i] = 0;
              store.erase(name(i));
            }
          }
          s["compact"]();
        } catch {
          // Storage keeps what it holds; the next ack tries again
        }
      }
    };

    /**
     * Writes encoded bytes durably and applies them to the state; false if there is no room.
     * A full active page moves writing to the next page in the ring.
     */
    const put = (b: string) => {
      const len = b.length;
      if (held) return false;
      for (let attempt = 0; attempt < 2; attempt++) {
        if (active < 0 || writeOff + len > size) {
          const next = active < 0 ? 0 : (active + 1) % pages;
          // a page may be recreated only when every event record in it is acked, and only into
          // free Storage space: a file that does not fit would make Storage compact now
          const need = file + ROOM;
          if ((gen[next] && endSeq[next] > st.acked + 1) || (store.getFree() < need && (compact(), store.getFree() < need))) return false;
          // past any renumbered generation: a page written after the loss of the renumbered ones
          // (with the device state kept) is never read through their renumbering
          let g = moved[0];
          for (let i = 0; i < pages; i++) if (gen[i] > g) g = gen[i];
          g++;
          const was = gen[next] ? 1 : 0;
          const e = erases[next] + was;
          const h = "VJ\x01" + String.fromCharCode(st.trusted ? 1 : 0) + [g, e, st.seq, st.acked, st.boot, st.session, st.epoch, st.uptime].map((v) => be(v, 4)).join("");
          // A file whose header writes were torn takes the header in place (offset > 0 never
          // replaces a file); a valid page is recreated (offset 0 replaces it when written to).
          const at = was ? 0 : (pageHeader(next), head[next] % size);
          // From here the old page is gone whatever happens, so forget it first.
          gen[next] = 0;
          if (!putBack(store, name(next), h + check(h, 4), at, size)) return false;
          gen[next] = g;
          erases[next] = e;
          endSeq[next] = st.seq;
          active = next;
          head[next] = at;
          writeOff = at + HEADER_BYTES;
          if (writeOff + len > size) return false;
        }
        // Read back: a write the flash did not take must never be reported as durable.
        if (putBack(store, name(active), b, writeOff)) {
          dec(b, 0, len, st);
          writeOff += len;
          endSeq[active] = st.seq;
          return true;
        }
        // The bytes there are now unknown: leave them, go on past them as a boot would.
        writeOff = Math.min(size, writeOff + MAX_RECORD_BYTES);
        this.tornTails++;
      }
      return false;
    };

    /** The clock's time at uptime 0, as records keep it. */
    const anchor = (now: number, uptime: number) => Math.max(0, Math.floor(now - uptime));

    this.open = (visit, m) => {
      if (m) moved = m;
      // A Storage header torn by a cut leaves an entry whose name holds erased (0xFF) bytes; a cut
      // while Storage compacted leaves a file twice, the first entry being the torn new copy (only
      // trusted for full 28-byte names: a shorter one is also listed twice after a header torn in
      // its zero padding, and that entry is not the one an erase would hit).
      const names = store.list();
      for (let k = 0; k < names.length; k++) {
        const n = names[k];
        if (n.indexOf("\xff") >= 0 || (n.length === 28 && names.indexOf(n) < k)) store.erase(n);
      }
      const hs = [];
      for (let i = 0; i < pages; i++) {
        const h = (hs[i] = pageHeader(i));
        gen[i] = h ? h.gen : 0;
        if (h) erases[i] = h.erases;
      }
      let acked = 0;
      for (const i of order()) {
        Object.assign(st, hs[i]!.state);
        if (st.acked < acked) st.acked = acked;
        writeOff = scan(store.read(name(i)) as string, head[i], st, visit, 1);
        acked = st.acked;
        endSeq[i] = st.seq;
        active = i;
      }
      persistedAck = st.acked;
      // Every boot writes a boot record, so a board that compacted after a sync always has a
      // page: none means its pages were lost (a cut while Storage compacted), and with them its seq.
      held = active < 0 && !!store.read(mark);
    };

    this.held = () => held;

    this.sizeOf = (e, uptime) => (enc(e, uptime) || "").length;

    this.append = (e, uptime) => {
      const b = enc(e, uptime);
      // Only what the gateway will accept goes to flash: check the record as it will read back.
      if (b === null || dec(b, 0, b.length, Object.assign({}, st)) < 1 || recordFault(rec) !== null) return -1;
      const seq = st.seq;
      return put(b) ? seq : 0;
    };

    this.markBoot = (now, uptime) => {
      const boot = st.boot + 1;
      // a boot record has no uptime delta; unwritten, it still applies to the state
      const b = frame(11, varint(boot) + be(anchor(now, uptime), 4), st.uptime);
      if (!put(b)) dec(b, 0, b.length, st);
      return boot;
    };

    this.markTime = (now, uptime) => {
      const a = anchor(now, uptime);
      if (!put(frame(12, be(a, 4), uptime))) {
        st.epoch = a;
        st.trusted = true;
      }
    };

    this.ack = (upto, uptime, keep) => {
      if (upto >= st.seq) {
        // the active page is the newest; the oldest page still read through an earlier renumbering
        // would need both shifts
        const m = [gen[active] || 0, upto - st.acked];
        if (st.session || gen[order()[0]] <= moved[0] || !keep || !keep(m)) return st.acked;
        moved = m;
        held = false;
        st.seq += m[1];
        st.acked = upto;
        for (const i of order()) endSeq[i] += m[1];
        put(frame(10, varint(upto), uptime));
        return upto;
      }
      held = false;
      const v = Math.min(upto, st.seq - 1);
      if (v > st.acked) {
        st.acked = v;
        if (v - persistedAck >= opt.ackPersistEvery && put(frame(10, varint(v), uptime))) persistedAck = v;
      }
      compact();
      return st.acked;
    };

    this.read = (fromSeq, max, visit) => {
      let count = 0;
      for (const i of order()) {
        if (count >= max) break;
        if (endSeq[i] > fromSeq) {
          const page = store.read(name(i)) as string;
          const h = header(page.substr(head[i], HEADER_BYTES));
          if (h && scan(page, head[i], h.state, (r) => r.seq >= fromSeq && (count++, visit(r) === true || count >= max), 0) < 0) break;
        }
      }
      return count;
    };

    this.freeBytes = () => {
      let free = active >= 0 ? size - writeOff : 0;
      let left = store.getFree() - ROOM;
      for (let i = 0; i < pages; i++) {
        if (i !== active && left >= file && (!gen[i] || endSeq[i] <= st.acked + 1)) {
          free += size - HEADER_BYTES;
          left -= file;
        }
      }
      return free;
    };
  }

  get lastSeq(): number {
    return this.state.seq - 1;
  }

  get acked(): number {
    return this.state.acked;
  }
}
