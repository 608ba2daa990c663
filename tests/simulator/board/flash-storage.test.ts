// Flash follows NOR rules, Storage follows Espruino's layout and write rules, and a power cut
// at any byte of any write keeps exactly the bytes written before it.
import { EmulatedBoard, PowerCut } from "../../../simulator/src/board";
import { Flash, FlashError } from "../../../simulator/src/espruino/flash";
import { Storage, HEADER_BYTES } from "../../../simulator/src/espruino/storage";
import { bytesOf, stringOf } from "../../../simulator/src/board";
import { fixture } from "./helpers";

const b = (s: string) => bytesOf(s);

describe("flash", () => {
  it("erases a page to 0xFF and counts it", () => {
    const f = new Flash(4096, 1024);
    f.write(1024, new Uint8Array([0x00, 0x0f]));
    f.erasePage(1);
    expect(Array.from(f.read(1024, 2))).toEqual([0xff, 0xff]);
    expect(f.stats().erasesPerPage).toEqual([0, 1, 0, 0]);
  });

  it("only clears bits: writing a 1 over a 0 is refused and changes nothing", () => {
    const f = new Flash(4096, 1024);
    f.write(0, new Uint8Array([0xf0]));
    f.write(0, new Uint8Array([0x30])); // clears more bits: fine
    expect(() => f.write(0, new Uint8Array([0x0f]))).toThrow(FlashError);
    expect(f.read(0, 1)[0]).toBe(0x30);
  });

  it("cuts power inside a write at the chosen byte and refuses everything after", () => {
    const f = new Flash(4096, 1024);
    f.armPowerCut({ atWrite: 1, byte: 3 });
    f.write(0, b("abcd"));
    expect(() => f.write(10, b("efghij"))).toThrow(PowerCut);
    expect(stringOf(f.read(10, 6))).toBe("efg\xff\xff\xff");
    expect(() => f.write(100, b("x"))).toThrow(PowerCut);
  });

  it("cuts power inside an erase, leaving the page half erased", () => {
    const f = new Flash(2048, 1024);
    f.write(0, new Uint8Array(1024));
    f.armPowerCut({ atErase: 0, byte: 100 });
    expect(() => f.erasePage(0)).toThrow(PowerCut);
    expect(f.bytes[99]).toBe(0xff);
    expect(f.bytes[100]).toBe(0);
    expect(f.erasesPerPage[0]).toBe(0);
  });
});

describe("Storage on flash", () => {
  const fresh = () => new Storage(new Flash(48 * 1024, 16 * 1024));

  it("creates a sized file whose unwritten bytes read 0xFF and fills it in place", () => {
    const s = fresh();
    s.write("j", b("ab"), 0, 8);
    expect(stringOf(s.read("j")!)).toBe("ab\xff\xff\xff\xff\xff\xff");
    s.write("j", b("cd"), 4);
    expect(stringOf(s.read("j", 2, 4)!)).toBe("\xff\xffcd");
    expect(() => s.write("j", b("zz"), 0)).not.toThrow(); // offset 0 without size: replaces
    expect(stringOf(s.read("j")!)).toBe("zz");
  });

  it("refuses to write over bytes already written, as jsfWriteFile does", () => {
    const s = fresh();
    s.write("j", b("ab"), 0, 8);
    expect(() => s.write("j", b("x"), 1)).toThrow("File already written with different data");
    expect(() => s.write("j", b("xyz"), 6)).toThrow("Too much data for file size");
  });

  it("replaces a file by leaving trash and reports it in getStats", () => {
    const s = fresh();
    s.write("a", b("hello"));
    s.write("a", b("world!"));
    expect(stringOf(s.read("a")!)).toBe("world!");
    expect(s.list()).toEqual(["a"]);
    expect(s.getStats()).toMatchObject({ fileCount: 1, trashCount: 1, fileBytes: HEADER_BYTES + 8, trashBytes: HEADER_BYTES + 8 });
    s.write("a", b("world!")); // same content: nothing written
    expect(s.getStats().trashCount).toBe(1);
  });

  it("compacts with page erases when a new file does not fit, keeping every live file", () => {
    const s = fresh();
    const big = new Uint8Array(15000).fill(0x41);
    s.write("keep", b("kept"));
    s.write("x", big);
    s.write("x", new Uint8Array(15000).fill(0x42)); // replaced: 15 KB of trash
    s.write("y", big);
    s.write("z", big); // does not fit after y without compaction
    expect(s.compactions).toBe(1);
    expect(s.list().sort()).toEqual(["keep", "x", "y", "z"]);
    expect(stringOf(s.read("keep")!)).toBe("kept");
    expect(s.read("y")!.every((v) => v === 0x41)).toBe(true);
    expect(s.getStats().trashCount).toBe(0);
  });

  it("refuses names over 28 chars and throws when the area is full", () => {
    const s = fresh();
    expect(() => s.write("x".repeat(29), b("a"))).toThrow(/too long/);
    s.write("a", new Uint8Array(40000));
    expect(() => s.write("b", new Uint8Array(10000))).toThrow("Unable to find or create file");
  });
});

describe("power cuts at every byte of a journal's writes", () => {
  const program = fixture("record-log.js");
  const RECORDS = 6;

  it("keeps exactly the bytes written before the cut, and the next boot finds every intact record", () => {
    const ref = new EmulatedBoard({ board: "pico", seed: 1 });
    ref.load(program);
    ref.powerOn();
    expect(ref.events.consoleText()).toContain("done:" + RECORDS);
    const total = ref.flashStats().bytesWritten;
    const finalImage = ref.flashImage();
    expect(total).toBe(HEADER_BYTES + RECORDS * 8);

    for (let n = 0; n < total; n++) {
      const board = new EmulatedBoard({ board: "pico", seed: 1 });
      board.load(program);
      board.armPowerCut({ afterBytes: n });
      board.powerOn();
      expect(board.powered).toBe(false);
      // flash = the reference image for the first n programmed bytes, 0xFF after them
      const img = board.flashImage();
      for (let i = 0; i < total; i++) expect([i, img[i]]).toEqual([i, i < n ? finalImage[i] : 0xff]);
      // the next power-on resumes from flash alone
      board.events.clear();
      board.powerOn();
      const dataBytes = Math.max(0, n - HEADER_BYTES);
      const intact = n < 4 ? 0 : Math.floor(dataBytes / 8);
      expect(board.events.consoleText()).toContain("intact:" + intact);
      expect(board.events.consoleText()).toContain("done:" + RECORDS);
    }
  });

  it("a firmware that catches the PowerCut is still switched off", () => {
    const board = new EmulatedBoard({ board: "pico", seed: 1 });
    board.load(`try { require("Storage").write("a", "abcdef"); } catch (e) { print("survived"); } print("after");`);
    board.armPowerCut({ afterBytes: 10 });
    board.powerOn();
    expect(board.powered).toBe(false);
    expect(board.events.consoleText()).not.toContain("after");
    expect(board.events.consoleText()).not.toContain("survived");
  });

  it("reboot keeps flash, loses RAM and resets the unbacked clock", async () => {
    const board = new EmulatedBoard({ board: "pico", seed: 1 });
    board.load(`var S = require("Storage"); var n = (S.readJSON("boots", true) || 0) + 1; S.writeJSON("boots", n); setTime(1751328000); print("boot " + n + " ram " + typeof globalThis.leftover); globalThis.leftover = 1;`);
    board.powerOn();
    await board.advance(5000);
    expect(board.getTime()).toBeCloseTo(1751328005, 3);
    board.reboot();
    expect(board.events.consoleText()).toContain("boot 2 ram undefined");
    board.powerCut();
    board.powerOn();
    expect(board.events.consoleText()).toContain("boot 3");
    expect(board.flashStats().fileCount).toBe(1);
  });

  it("a random cut from a seed is reproducible", () => {
    const runs = [1, 2].map(() => {
      const board = new EmulatedBoard({ board: "pico", seed: 1 });
      board.load(program);
      const at = board.armRandomPowerCut(42, 80);
      board.powerOn();
      return [at, Buffer.from(board.flashImage().subarray(0, 100)).toString("hex")];
    });
    expect(runs[0]).toEqual(runs[1]);
  });
});
