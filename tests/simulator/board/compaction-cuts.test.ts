// Storage compaction as Espruino 2v29 runs it (jsfCompactInternal): page 0 is erased and
// rewritten too, so a cut there loses the first files; pages not yet reached stay intact.
import { Flash } from "../../../simulator/src/espruino/flash";
import { Storage } from "../../../simulator/src/espruino/storage";
import { isPowerCut } from "../../../simulator/src/espruino/power-cut";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : String.fromCharCode(...b));

function filled(): { flash: Flash; s: Storage } {
  const flash = new Flash(4 * 1024, 1024);
  const s = new Storage(flash);
  s.write("cfg", bytes("config!"));
  s.write("old", new Uint8Array(600).fill(1));
  s.write("keep", new Uint8Array(900).fill(2));
  s.erase("old");
  return { flash, s };
}

test("a finished compaction keeps every live file and frees the trash", () => {
  const { s } = filled();
  s.compact();
  expect(s.getStats()).toMatchObject({ trashCount: 0, fileCount: 2 });
  expect(text(s.read("cfg"))).toBe("config!");
  expect(s.read("keep")).toEqual(new Uint8Array(900).fill(2));
});

test("a cut inside page 0's rewrite loses the first file even though it never moved", () => {
  const { flash, s } = filled();
  const erasesBefore = flash.stats().erasesPerPage[0];
  flash.armPowerCut({ afterBytes: 36 }); // the first header is whole, its data is torn
  let cut = false;
  try {
    s.compact();
  } catch (e) {
    cut = isPowerCut(e);
  }
  expect(cut).toBe(true);
  expect(flash.stats().erasesPerPage[0]).toBe(erasesBefore + 1);
  flash.restorePower();
  const after = new Storage(flash);
  expect(text(after.read("cfg"))).not.toBe("config!");
});

test("a cut inside the first header's size word makes the whole area read as empty", () => {
  const { flash, s } = filled();
  flash.armPowerCut({ afterBytes: 2 });
  expect(() => s.compact()).toThrow();
  flash.restorePower();
  expect(new Storage(flash).list()).toEqual([]);
});

test("a new file goes over a size word torn by a cut without compaction, keeping old AND new bits", () => {
  const flash = new Flash(4 * 1024, 1024);
  const s = new Storage(flash);
  s.write("cfg", bytes("config!"));
  flash.armPowerCut({ afterBytes: 2 }); // two bytes of the next header's size word
  expect(() => s.write("page", new Uint8Array(8).fill(3))).toThrow();
  flash.restorePower();
  const after = new Storage(flash);
  expect(after.list()).toEqual(["cfg"]);
  after.write("page", new Uint8Array(8).fill(4)); // same size: the AND changes nothing
  expect(after.compactions).toBe(0);
  expect(after.read("page")).toEqual(new Uint8Array(8).fill(4));
  expect(text(after.read("cfg"))).toBe("config!");
});

test("compaction erases only up to where its walk stopped: bytes past a gap it could not cross stay, as on 2v29", () => {
  const flash = new Flash(4 * 1024, 1024);
  const s = new Storage(flash);
  s.write("cfg", bytes("config!"));
  s.write("old", new Uint8Array(600).fill(1));
  s.erase("old");
  // left over in page 3 by an earlier cut: the walk stops at page 1 (erased) and never reaches it
  flash.write(3 * 1024 + 100, new Uint8Array(16).fill(0x5a));
  s.compact();
  expect(text(s.read("cfg"))).toBe("config!");
  expect(s.getStats()).toMatchObject({ trashCount: 0, fileCount: 1 });
  expect(flash.read(3 * 1024 + 100, 16)).toEqual(new Uint8Array(16).fill(0x5a));
});

test("a header torn inside the zero padding after its name is listed under that name but never found by it, as 2v29 compares all 28 name bytes", () => {
  const flash = new Flash(4 * 1024, 1024);
  const s = new Storage(flash);
  s.write("cfg", bytes("config!"));
  flash.armPowerCut({ afterBytes: 4 + 4 + 2 }); // size word, "page", two of the padding zeros
  expect(() => s.write("page", new Uint8Array(8).fill(3))).toThrow();
  flash.restorePower();
  const after = new Storage(flash);
  expect(after.list()).toEqual(["cfg", "page"]);
  expect(after.read("page")).toBeUndefined();
  after.erase("page"); // finds nothing to erase
  after.write("page", new Uint8Array(8).fill(4)); // a second entry, after the torn one
  expect(after.list()).toEqual(["cfg", "page", "page"]);
  expect(after.read("page")).toEqual(new Uint8Array(8).fill(4));
  expect(after.getStats()).toMatchObject({ fileCount: 3, trashCount: 0 });
});
