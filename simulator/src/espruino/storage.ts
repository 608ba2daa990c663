// require("Storage") laid out on flash the way Espruino 2v29 does it (jsflash.c): files sit
// one after another from the start of the area, each a 32-byte header (u32 size, 28-byte
// name) followed by its data, padded to 4 bytes; an all-0xFF header ends the list. Erasing a
// file clears the first 4 bytes of its name (it becomes trash, still occupying space); a new
// file goes after the last one, and when it does not fit the area is compacted first.
//
// Write semantics copied from jsfWriteFile: a write at offset 0 to an existing file whose
// size differs or whose bytes are not all erased replaces it (the old one is erased FIRST,
// then the new one created: a cut in between loses both, as on the board); a write at an
// offset needs every target byte still 0xFF, else "File already written with different data".
import { Flash } from "./flash";

export const HEADER_BYTES = 32;
export const MAX_NAME = 28;
const ALIGN = 4;
const EMPTY_SIZE = 0xffffffff;

export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StorageError";
  }
}

export interface StorageStats {
  totalBytes: number;
  freeBytes: number;
  fileBytes: number;
  fileCount: number;
  trashBytes: number;
  trashCount: number;
}

interface Entry {
  addr: number; // header address
  size: number; // data bytes
  name: string; // as list() shows it: up to the first 0 byte
  raw: string; // all 28 name bytes: what a lookup by name compares (jsfIsNameEqual)
  trash: boolean;
}

function align(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

function nameBytes(name: string): Uint8Array {
  if (name.length === 0) throw new StorageError("Can't have empty filename");
  if (name.length > MAX_NAME) throw new StorageError(`File name too long (${name.length} > ${MAX_NAME})`);
  const b = new Uint8Array(MAX_NAME);
  for (let i = 0; i < name.length; i++) b[i] = name.charCodeAt(i) & 0xff;
  return b;
}

export class Storage {
  /** Highest end of used space ever seen, in bytes from the start of the area. */
  highWater = 0;
  compactions = 0;

  constructor(private readonly flash: Flash) {
    this.highWater = this.endOfFiles();
  }

  /**
   * Every header in order, trash included, walked as 2v29's jsfGetNextFileHeader(GNFH_GET_ALL)
   * does. A header is valid when its size word is neither 0 nor all ones and its 24-bit size
   * fits the area (the top byte holds flags). After an invalid header the walk tries the next
   * page start once and stops there if that is invalid too; an invalid header at the very
   * start means no files at all, as on the board. `walkStop` is left where the walk gave up:
   * the start of the page whose first header was invalid, or the end of the area.
   */
  private entries(): Entry[] {
    // the walk is redone only after flash changed (callers never modify the list)
    if (this.walked && this.walkedAt === this.flash.changes) return this.walked;
    const out: Entry[] = [];
    const b = this.flash.bytes;
    const ps = this.flash.pageSize;
    const valid = (addr: number) => {
      if (addr + HEADER_BYTES > this.flash.size) return -1;
      const word = (b[addr] | (b[addr + 1] << 8) | (b[addr + 2] << 16) | (b[addr + 3] << 24)) >>> 0;
      const size = word & 0xffffff;
      return word === EMPTY_SIZE || word === 0 || addr + HEADER_BYTES + size > this.flash.size ? -1 : size;
    };
    let addr = 0;
    let size = valid(0);
    while (size >= 0) {
      const raw = String.fromCharCode(...b.subarray(addr + 4, addr + 4 + MAX_NAME));
      const zero = raw.indexOf("\0");
      out.push({ addr, size, name: zero < 0 ? raw : raw.slice(0, zero), raw, trash: b[addr + 4] === 0 && b[addr + 5] === 0 && b[addr + 6] === 0 && b[addr + 7] === 0 });
      addr = align(addr + HEADER_BYTES + size);
      size = valid(addr);
      if (size < 0) {
        addr = addr + HEADER_BYTES > this.flash.size ? this.flash.size : (Math.floor(addr / ps) + 1) * ps;
        size = addr < this.flash.size ? valid(addr) : -1;
      }
    }
    this.walkStop = Math.min(addr, this.flash.size);
    this.walked = out;
    this.walkedAt = this.flash.changes;
    return out;
  }

  private walkStop = 0;
  private walked: Entry[] | null = null;
  private walkedAt = -1;

  private endOfFiles(): number {
    const e = this.entries();
    if (e.length === 0) return 0;
    const last = e[e.length - 1];
    return align(last.addr + HEADER_BYTES + last.size);
  }

  /**
   * The first live file whose 28 name bytes equal the name padded with zeros, as 2v29's
   * jsfFindFile compares them: a header torn inside the padding after a name is listed under
   * that name but never found by it (nor erased, nor replaced).
   */
  private find(name: string): Entry | undefined {
    if (name.length === 0 || name.length > MAX_NAME) return undefined;
    const raw = String.fromCharCode(...nameBytes(name));
    return this.entries().find((e) => !e.trash && e.raw === raw);
  }

  private isErased(addr: number, len: number): boolean {
    const b = this.flash.bytes;
    for (let i = 0; i < len; i++) if (b[addr + i] !== 0xff) return false;
    return true;
  }

  read(name: string, offset = 0, length?: number): Uint8Array | undefined {
    const e = this.find(name);
    if (!e) return undefined;
    const start = Math.min(Math.max(0, offset), e.size);
    const len = length === undefined ? e.size - start : Math.max(0, Math.min(length, e.size - start));
    return this.flash.read(e.addr + HEADER_BYTES + start, len);
  }

  write(name: string, data: Uint8Array, offset = 0, size = 0): true {
    if (offset < 0 || size < 0) throw new StorageError("Invalid offset or size");
    const nb = nameBytes(name);
    if (size === 0) size = data.length;
    if (size === 0) throw new StorageError("Can't create zero length file");
    let e = this.find(name);
    const replace = (!e && offset === 0) || (e && offset === 0 && (size !== e.size || !this.isErased(e.addr + HEADER_BYTES, e.size)));
    if (replace) {
      if (e && size === e.size && data.length === size && this.equalAt(e.addr + HEADER_BYTES, data)) return true;
      if (e) this.eraseEntry(e);
      e = this.create(nb, name, size);
    }
    if (!e) throw new StorageError("Unable to find or create file");
    if (offset + data.length > e.size) throw new StorageError("Too much data for file size");
    const at = e.addr + HEADER_BYTES + offset;
    if (!this.isErased(at, data.length)) throw new StorageError("File already written with different data");
    if (data.length) this.flash.write(at, data);
    return true;
  }

  erase(name: string): void {
    const e = this.find(name);
    if (e) this.eraseEntry(e);
  }

  list(): string[] {
    return this.entries().filter((e) => !e.trash).map((e) => e.name);
  }

  getFree(): number {
    return this.flash.size - this.endOfFiles();
  }

  getStats(): StorageStats {
    let fileBytes = 0, fileCount = 0, trashBytes = 0, trashCount = 0;
    for (const e of this.entries()) {
      const bytes = align(HEADER_BYTES + e.size);
      if (e.trash) { trashBytes += bytes; trashCount++; } else { fileBytes += bytes; fileCount++; }
    }
    return { totalBytes: this.flash.size, freeBytes: this.getFree(), fileBytes, fileCount, trashBytes, trashCount };
  }

  /**
   * Espruino 2v29's jsfCompactInternal, step for step: live files are streamed in order
   * through a circular RAM buffer of min(live bytes, page + header) bytes and written back
   * from the start of the area. A page is erased only when the read position has passed it
   * and its new content is then programmed from the buffer; pages after the last written one
   * are erased at the end, up to where the walk over the live files gave up (2v29 erases
   * [write end, walk stop) and nothing after it: bytes past a gap the walk could not cross stay
   * as they are). Even page 0 is erased and rewritten, so a power cut after a page's erase
   * loses whatever the buffer held for it (the first files included), and the files after the
   * cut are found again only if a header sits at a page start.
   */
  compact(): void {
    const entries = this.entries();
    const stop = this.walkStop;
    const live = entries.filter((e) => !e.trash);
    const stats = this.getStats();
    if (stats.trashCount === 0) return;
    const ps = this.flash.pageSize;
    const bufSize = Math.min(stats.fileBytes, ps + HEADER_BYTES);
    const buf = new Uint8Array(Math.max(1, bufSize));
    let head = 0, tail = 0, used = 0;
    let writeAddr = 0;
    this.compactions++;
    const nextPage = (addr: number) => Math.min(this.flash.size, (Math.floor(addr / ps) + 1) * ps);
    const drain = (readAddr: number) => {
      while (used > 0) {
        let n = used;
        if (tail + n > buf.length) n = buf.length - tail;
        const pageEnd = nextPage(writeAddr);
        if (writeAddr + n > pageEnd) n = pageEnd - writeAddr;
        if (readAddr < pageEnd) return; // still reading from the page that would be erased
        if (writeAddr % ps === 0) this.flash.erasePage(writeAddr / ps);
        let last = n;
        while (last > 0 && buf[tail + last - 1] === 0xff) last--; // erased bytes need no programming
        if (last > 0) this.flash.write(writeAddr, buf.slice(tail, tail + last));
        writeAddr += n;
        tail = (tail + n) % buf.length;
        used -= n;
      }
    };
    const push = (src: Uint8Array, readAddr: number) => {
      for (let i = 0; i < src.length; i++) {
        if (used === buf.length) throw new StorageError("compact: no space left in swap buffer");
        buf[head] = src[i];
        head = (head + 1) % buf.length;
        used++;
      }
      drain(readAddr);
    };
    for (const e of live) {
      push(this.flash.read(e.addr, HEADER_BYTES), e.addr + HEADER_BYTES);
      const aligned = align(e.size);
      let ptr = e.addr + HEADER_BYTES;
      let left = aligned;
      while (left > 0) {
        let n = buf.length - used;
        if (n > left) n = left;
        if (n === 0) throw new StorageError("compact: no space left in swap buffer");
        const chunk = new Uint8Array(n).fill(0xff);
        const real = Math.max(0, Math.min(n, e.addr + HEADER_BYTES + e.size - ptr));
        if (real > 0) chunk.set(this.flash.read(ptr, real));
        ptr += n;
        left -= n;
        push(chunk, ptr);
      }
    }
    drain(this.flash.size);
    // erase the pages after the last one written, up to the walk's stop
    let page = writeAddr === 0 ? 0 : Math.floor((writeAddr - 1) / ps) + 1;
    for (; page * ps < stop; page++) {
      const start = page * ps;
      if (!this.isErased(start, ps)) this.flash.erasePage(page);
    }
  }

  private equalAt(addr: number, data: Uint8Array): boolean {
    const b = this.flash.bytes;
    for (let i = 0; i < data.length; i++) if (b[addr + i] !== data[i]) return false;
    return true;
  }

  private eraseEntry(e: Entry): void {
    this.flash.write(e.addr + 4, new Uint8Array(4)); // name.firstChars = 0
  }

  private create(nb: Uint8Array, name: string, size: number): Entry | undefined {
    const need = align(HEADER_BYTES + size);
    let addr = this.endOfFiles();
    if (addr + need > this.flash.size) {
      this.compact();
      addr = this.endOfFiles();
      if (addr + need > this.flash.size) return undefined;
    }
    const header = new Uint8Array(HEADER_BYTES);
    header[0] = size & 0xff;
    header[1] = (size >>> 8) & 0xff;
    header[2] = (size >>> 16) & 0xff;
    header[3] = (size >>> 24) & 0xff;
    header.set(nb, 4);
    // 2v29's jsfCreateFile does not check that the place is erased: over a size word torn by
    // a power cut the new header is programmed anyway, and flash keeps old AND new bits
    const old = this.flash.bytes;
    for (let i = 0; i < HEADER_BYTES; i++) header[i] &= old[addr + i];
    this.flash.write(addr, header);
    this.highWater = Math.max(this.highWater, addr + need);
    return { addr, size, name, raw: String.fromCharCode(...nb), trash: false };
  }
}
