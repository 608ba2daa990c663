// The firmware build on fixture entries: both artefacts written, the upload made by
// espruino-tools runs and passes the gate, .bootcde commands rebuild the upload exactly,
// and a forbidden construct fails the build with the gate's list.
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { buildFirmware, FirmwareBuildError, type BuildReport } from "../../../firmware/build/build";
import { checkEspruinoSubset } from "../../../firmware/build/gate";
import { detokenise } from "../../../simulator/src/espruino/pretokenise";

const FIXTURES = join(__dirname, "fixtures");
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "vt-fw-build-"));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A fake board: Storage in a plain object, Serial1 whose data handler the test drives. */
function fakeBoard() {
  const files: Record<string, string> = {};
  const printed: string[] = [];
  let onData: ((s: string) => void) | null = null;
  const storage = {
    read: (n: string) => files[n],
    readJSON: (n: string) => (files[n] === undefined ? undefined : JSON.parse(files[n])),
    write: (n: string, data: string, offset?: number, size?: number) => {
      if (!offset) files[n] = size ? data + "\xff".repeat(size - data.length) : data;
      else files[n] = files[n].slice(0, offset) + data + files[n].slice(offset + data.length);
      return true;
    },
  };
  const context = vm.createContext({
    require: (m: string) => {
      if (m !== "Storage") throw new Error("no module " + m);
      return storage;
    },
    Serial1: { setup: () => {}, on: (_ev: string, fn: (s: string) => void) => (onData = fn) },
    B6: {},
    B7: {},
    print: (s: string) => printed.push(s),
    load: () => printed.push("load()"),
  });
  return { files, printed, context, feed: (s: string) => onData!(s) };
}

test("a fixture entry builds into bundle.js and upload.js; the upload runs and passes the gate", async () => {
  const dir = join(out, "good");
  const art = await buildFirmware({ board: "pico", entry: join(FIXTURES, "good-board.ts"), outDir: dir });
  expect(existsSync(art.bundlePath) && existsSync(art.uploadPath)).toBe(true);
  const upload = readFileSync(art.uploadPath, "latin1");
  const bundle = readFileSync(art.bundlePath, "utf8");
  expect(art.uploadBytes).toBe(upload.length);
  expect(art.uploadBytes).toBeLessThan(art.bundleBytes);
  // keywords are stored as the lexer's single-byte tokens; read back as the board reads them
  expect(upload).toMatch(/[\x8a-\xc6]/);
  const plain = detokenise(upload);
  expect(checkEspruinoSubset(plain)).toEqual([]);
  expect(checkEspruinoSubset(bundle)).toEqual([]);
  expect(plain).not.toContain("?.");
  expect(plain).not.toMatch(/__publicField|__spreadValues|__require|__async/);

  const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as BuildReport;
  expect(report).toMatchObject({ board: "pico", uploadBytes: art.uploadBytes, missingModules: [], gate: { bundle: 0, upload: 0 } });

  const board = fakeBoard();
  board.files.vtcfg = JSON.stringify({ mqtt: { port: 8883 } });
  vm.runInContext(plain, board.context);
  board.feed("0123\r45");
  board.feed("67\rx");
  expect(board.files.vtfix).toBe("0123\n4567\n");
  expect(board.printed).toEqual(["lines 1 pending 2 port 8883", "lines 2 pending 1 port 8883"]);
});

test("the .bootcde commands store exactly the upload file and load it", async () => {
  const dir = join(out, "send");
  const art = await buildFirmware({ board: "pico", entry: join(FIXTURES, "good-board.ts"), outDir: dir, sendCommands: true });
  const commands = readFileSync(join(dir, "send.js"), "latin1");
  expect(commands).toContain('require("Storage").write(".bootcde",');
  const board = fakeBoard();
  vm.runInContext(commands, board.context);
  expect(board.files[".bootcde"]).toBe(readFileSync(art.uploadPath, "latin1"));
  expect(board.printed).toEqual(["load()"]);
});

test("a fixture with forbidden constructs fails the build with every violation listed", async () => {
  let err: unknown;
  try {
    await buildFirmware({ board: "pico", entry: join(FIXTURES, "bad-board.ts"), outDir: join(out, "bad") });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FirmwareBuildError);
  const rules = (err as FirmwareBuildError).violations.map((v) => v.rule).sort();
  expect(rules).toEqual(["missing-global", "regex-counted-quantifier"]);
  expect((err as FirmwareBuildError).message).toMatch(/bundle\.js:\d+:\d+ {2}regex-counted-quantifier/);
  expect(existsSync(join(out, "bad", "report.json"))).toBe(false);
});

test("an entry that exports is refused before any helper reaches the board", async () => {
  await expect(buildFirmware({ board: "pico", entry: join(FIXTURES, "counter.ts"), outDir: join(out, "exports") })).rejects.toThrow(/counter\.ts is a board entry and must not export anything/);
});

test("an unknown board is refused", async () => {
  await expect(buildFirmware({ board: "nrf52", outDir: join(out, "x") })).rejects.toThrow(/unknown board "nrf52"/);
});
