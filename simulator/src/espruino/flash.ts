// The board's Storage flash as bytes, with the rules of NOR flash: erasing a page sets every
// byte to 0xFF, programming can only clear bits, and power can fail between any two bytes.
import { PowerCut, type PowerCutPlan } from "./power-cut";

export class FlashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlashError";
  }
}

export interface FlashStatsRaw {
  bytesWritten: number;
  writes: number;
  erases: number;
  erasesPerPage: number[];
}

export class Flash {
  readonly bytes: Uint8Array;
  readonly erasesPerPage: Uint32Array;
  private plan: PowerCutPlan | null = null;
  private armedBytes = 0;
  private armedWrites = 0;
  private armedErases = 0;
  private totalBytesWritten = 0;
  private totalWrites = 0;
  private totalErases = 0;
  /** Power has failed: nothing reaches the flash until `restorePower()`. */
  cut = false;

  constructor(readonly size: number, readonly pageSize: number, image?: Uint8Array) {
    if (size % pageSize !== 0) throw new FlashError("flash size must be a whole number of pages");
    this.bytes = new Uint8Array(size).fill(0xff);
    if (image) {
      if (image.length !== size) throw new FlashError(`flash image is ${image.length} bytes, board has ${size}`);
      this.bytes.set(image);
    }
    this.erasesPerPage = new Uint32Array(size / pageSize);
  }

  /** Grows with every write and erase (cut ones included): a cache of what flash holds is stale once it moved. */
  get changes(): number {
    return this.totalWrites + this.totalErases;
  }

  get pageCount(): number {
    return this.erasesPerPage.length;
  }

  read(addr: number, len: number): Uint8Array {
    this.checkRange(addr, len);
    return this.bytes.slice(addr, addr + len);
  }

  /** True when programming `data` at `addr` needs no 0 -> 1 transition. */
  canProgram(addr: number, data: Uint8Array): boolean {
    for (let i = 0; i < data.length; i++) if ((this.bytes[addr + i] & data[i]) !== data[i]) return false;
    return true;
  }

  /** Programs bytes one by one; a 0 -> 1 bit is refused before anything is written. */
  write(addr: number, data: Uint8Array): void {
    this.checkPower();
    this.checkRange(addr, data.length);
    if (!this.canProgram(addr, data)) throw new FlashError(`flash write at 0x${addr.toString(16)} would set bits that are 0 (erase first)`);
    const cutAt = this.cutOffsetForWrite(data.length);
    const n = cutAt < 0 ? data.length : cutAt;
    for (let i = 0; i < n; i++) this.bytes[addr + i] &= data[i];
    this.totalBytesWritten += n;
    this.armedBytes += n;
    this.armedWrites++;
    this.totalWrites++;
    if (cutAt >= 0) this.fail(`in write #${this.armedWrites - 1} after ${n} of ${data.length} bytes at 0x${addr.toString(16)}`);
  }

  /** Erases one page; a cut leaves the first `byte` bytes erased and the rest as they were. */
  erasePage(page: number): void {
    this.checkPower();
    if (page < 0 || page >= this.pageCount) throw new FlashError(`no flash page ${page}`);
    const start = page * this.pageSize;
    let n = this.pageSize;
    let cut = false;
    const p = this.plan;
    if (p && "atErase" in p && p.atErase === this.armedErases) {
      n = Math.max(0, Math.min(this.pageSize, p.byte));
      cut = true;
    }
    this.bytes.fill(0xff, start, start + n);
    this.armedErases++;
    this.totalErases++;
    if (!cut || n === this.pageSize) this.erasesPerPage[page]++;
    if (cut) this.fail(`in erase #${this.armedErases - 1} of page ${page} after ${n} bytes`);
  }

  armPowerCut(plan: PowerCutPlan): void {
    this.plan = plan;
    this.armedBytes = 0;
    this.armedWrites = 0;
    this.armedErases = 0;
  }

  disarmPowerCut(): void {
    this.plan = null;
  }

  /** A cut from outside (the host pulls the plug between two flash operations). */
  powerOff(): void {
    this.cut = true;
    this.plan = null;
  }

  restorePower(): void {
    this.cut = false;
  }

  stats(): FlashStatsRaw {
    return {
      bytesWritten: this.totalBytesWritten,
      writes: this.totalWrites,
      erases: this.totalErases,
      erasesPerPage: Array.from(this.erasesPerPage),
    };
  }

  image(): Uint8Array {
    return this.bytes.slice();
  }

  /** Byte offset inside this write at which power fails, or -1. */
  private cutOffsetForWrite(len: number): number {
    const p = this.plan;
    if (!p) return -1;
    if ("afterBytes" in p) {
      const left = p.afterBytes - this.armedBytes;
      return left < len ? Math.max(0, left) : -1;
    }
    if ("atWrite" in p && p.atWrite === this.armedWrites) return Math.max(0, Math.min(len, p.byte));
    return -1;
  }

  private fail(where: string): never {
    this.cut = true;
    this.plan = null;
    throw new PowerCut(where);
  }

  private checkPower(): void {
    if (this.cut) throw new PowerCut("(board is off)");
  }

  private checkRange(addr: number, len: number): void {
    if (addr < 0 || len < 0 || addr + len > this.size) throw new FlashError(`flash access 0x${addr.toString(16)}+${len} outside ${this.size} bytes`);
  }
}
