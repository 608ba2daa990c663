// A faithful stand-in for Espruino's Storage on NOR flash, for tests: erased bytes read
// 0xFF, writes into a file may only clear bits, and a power cut can be armed to strike
// at any byte of any write (the byte being written comes out with only some of its bits
// cleared). After the cut the flash is dead until the test "reboots" it.
import * as zlib from "node:zlib";
import { mulberry32 } from "../../../simulator/src/scenario/prng";
import type { FlashStore } from "../../../firmware/src/hal/flash";

export class PowerCut extends Error {}

export class FakeFlash implements FlashStore {
  files = new Map<string, Uint8Array>();
  capacity: number;
  /** Bytes that may still be written before the power fails; -1: never. */
  cutAfter = -1;
  dead = false;
  bytesWritten = 0;
  private rnd: () => number;

  constructor(capacity: number, rnd: () => number = Math.random) {
    this.capacity = capacity;
    this.rnd = rnd;
  }

  /** Power back on: same bytes, the cut disarmed. */
  reboot(): void {
    this.dead = false;
    this.cutAfter = -1;
  }

  private writeByte(file: Uint8Array, at: number, value: number): void {
    if (this.dead) throw new PowerCut("flash is dead");
    if (this.cutAfter === 0) {
      this.dead = true;
      // The interrupted byte: some of the bits meant to clear did clear.
      const mask = Math.floor(this.rnd() * 256);
      file[at] = file[at] & (value | mask);
      throw new PowerCut("power cut");
    }
    if (this.cutAfter > 0) this.cutAfter--;
    if ((file[at] & value) !== value) throw new Error("flash write would set bits at " + at);
    file[at] = value;
    this.bytesWritten++;
  }

  read(name: string, offset?: number, length?: number): string | undefined {
    const f = this.files.get(name);
    if (!f) return undefined;
    const from = offset ?? 0;
    const to = length === undefined ? f.length : Math.min(f.length, from + length);
    return Buffer.from(f.buffer, f.byteOffset + from, Math.max(0, to - from)).toString("latin1");
  }

  write(name: string, data: string, offset?: number, size?: number): boolean {
    if (this.dead) throw new PowerCut("flash is dead");
    if (name.length > 28) throw new Error("name too long");
    let f = this.files.get(name);
    const at = offset ?? 0;
    if (!f || at === 0) {
      const n = size ?? data.length;
      const used = this.usedBytes() - (f ? f.length : 0);
      if (used + n > this.capacity) return false;
      // Replacing: the old file is gone before the new one is complete (worst case).
      this.files.delete(name);
      f = new Uint8Array(n).fill(0xff);
      this.files.set(name, f);
    }
    if (at + data.length > f.length) throw new Error("write past end of " + name);
    for (let i = 0; i < data.length; i++) this.writeByte(f, at + i, data.charCodeAt(i) & 255);
    return true;
  }

  erase(name: string): void {
    if (this.dead) throw new PowerCut("flash is dead");
    this.files.delete(name);
  }

  list(filter?: RegExp): string[] {
    const names = [...this.files.keys()];
    return filter ? names.filter((n) => filter.test(n)) : names;
  }

  readJSON(name: string, noExceptions: boolean): unknown {
    const s = this.read(name);
    if (s === undefined) return undefined;
    try {
      return JSON.parse(s);
    } catch (e) {
      if (noExceptions) return undefined;
      throw e;
    }
  }

  writeJSON(name: string, value: unknown): boolean {
    return this.write(name, JSON.stringify(value));
  }

  usedBytes(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.length;
    return n;
  }

  getFree(): number {
    return this.capacity - this.usedBytes();
  }
}

/** Deterministic PRNG (mulberry32) so every failure replays from its seed. */
export const seeded: (seed: number) => () => number = mulberry32;

export function crc32Str(s: string): number {
  const z = zlib as unknown as { crc32(d: Uint8Array): number };
  return z.crc32(Buffer.from(s, "latin1")) >>> 0;
}
