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
  name: string;
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

  /** Every header in order, trash included; stops at the first empty or impossible header. */
  private entries(): Entry[] {
    const out: Entry[] = [];
    let addr = 0;
    const b = this.flash.bytes;
    while (addr + HEADER_BYTES <= this.flash.size) {
      const size = (b[addr] | (b[addr + 1] << 8) | (b[addr + 2] << 16) | (b[addr + 3] << 24)) >>> 0;
      if (size === EMPTY_SIZE) break;
      if (addr + HEADER_BYTES + size > this.flash.size) break; // torn or corrupt header: Espruino stops here too
      let name = "";
      for (let i = 0; i < MAX_NAME && b[addr + 4 + i] !== 0; i++) name += String.fromCharCode(b[addr + 4 + i]);
      const trash = b[addr + 4] === 0;
      out.push({ addr, size, name, trash });
      addr = align(addr + HEADER_BYTES + size);
    }
    return out;
  }

  private endOfFiles(): number {
    const e = this.entries();
    if (e.length === 0) return 0;
    const last = e[e.length - 1];
    return align(last.addr + HEADER_BYTES + last.size);
  }

  private find(name: string): Entry | undefined {
    return this.entries().find((e) => !e.trash && e.name === name);
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
   * Moves live files down over the trash. Like the board, the live files are held in RAM
   * while their pages are erased and rewritten, so a cut in the middle can lose files.
   */
  compact(): void {
    const entries = this.entries();
    const filesEnd = this.endOfFiles();
    const oldEnd = Math.max(filesEnd, this.dirtyEnd());
    if (!entries.some((e) => e.trash) && oldEnd === filesEnd) return;
    const image = new Uint8Array(oldEnd).fill(0xff);
    let at = 0;
    for (const e of entries) {
      if (e.trash) continue;
      const len = HEADER_BYTES + e.size;
      image.set(this.flash.bytes.subarray(e.addr, e.addr + len), at);
      at = align(at + len);
    }
    this.compactions++;
    const ps = this.flash.pageSize;
    const firstChanged = this.firstDifference(image, oldEnd);
    if (firstChanged < 0) return;
    for (let page = Math.floor(firstChanged / ps); page * ps < oldEnd; page++) {
      const start = page * ps;
      this.flash.erasePage(page);
      const end = Math.min(start + ps, at);
      if (end <= start) continue;
      let last = end;
      while (last > start && image[last - 1] === 0xff) last--; // nothing to program in erased tail
      if (last > start) this.flash.write(start, image.subarray(start, last));
    }
  }

  /** End of the last programmed byte: beyond the files when a cut tore a header. */
  private dirtyEnd(): number {
    const b = this.flash.bytes;
    let i = this.flash.size;
    while (i > 0 && b[i - 1] === 0xff) i--;
    return i;
  }

  private firstDifference(image: Uint8Array, len: number): number {
    for (let i = 0; i < len; i++) if (image[i] !== this.flash.bytes[i]) return i;
    return -1;
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
    // a header torn by a power cut may sit where the new one goes: compact it away first
    if (!this.isErased(addr, need)) {
      this.compact();
      addr = this.endOfFiles();
      if (addr + need > this.flash.size || !this.isErased(addr, need)) return undefined;
    }
    const header = new Uint8Array(HEADER_BYTES);
    header[0] = size & 0xff;
    header[1] = (size >>> 8) & 0xff;
    header[2] = (size >>> 16) & 0xff;
    header[3] = (size >>> 24) & 0xff;
    header.set(nb, 4);
    this.flash.write(addr, header);
    this.highWater = Math.max(this.highWater, addr + need);
    return { addr, size, name, trash: false };
  }
}
