// The build's upload files run unmodified on the emulated boards; a file that uses what the
// 2v29 profile lists as missing is refused by the board's load gate and, loaded anyway,
// fails at run time as it would on the real interpreter.
import { EmulatedBoard, LoadRefused } from "../../simulator/src/board/index";
import { uploadFiles } from "./helpers";

jest.setTimeout(60_000);

function bootLines(b: EmulatedBoard): string[] {
  return b.events.ofKind("console").map((e) => e.text).filter((t) => t.includes("village-trace"));
}

test.each(["pico", "esp32"] as const)("the %s upload file from the build boots unmodified and journals a session", async (kind) => {
  const files = await uploadFiles();
  const b = new EmulatedBoard({ board: kind, seed: 11 });
  b.load(files[kind].source); // through the subset gate
  b.provision({ device: "e2e-boot-" + kind, secret: "3c".repeat(32), institution: "H51012200001", operator: "Dr Wang" });
  b.powerOn();
  await b.advance(500);
  b.scanner.scan("RX2026030200010001\r\n", { terminator: "" });
  await b.advance(3000);
  b.scanner.scan("83857930000879766660", { terminator: "\r" });
  await b.advance(3000);
  b.pressButton(150);
  await b.advance(3000);
  b.reboot();
  await b.advance(500);
  expect(b.uncaughtErrors).toBe(0);
  expect(bootLines(b)).toHaveLength(2);
  expect(bootLines(b)[1]).toMatch(/boot 2: seq 3 /);
});

test("an upload file using Map (missing on 2v29) is refused, and fails at run time when forced on", async () => {
  const files = await uploadFiles();
  const tainted = "var seen = new Map(); seen.set('k', 1);\n" + files.pico.source;
  const b = new EmulatedBoard({ board: "pico", seed: 12 });
  expect(() => b.load(tainted)).toThrow(LoadRefused);
  b.load(tainted, { unchecked: true });
  b.provision({ device: "e2e-map", secret: "3c".repeat(32), institution: "H1", operator: "dr" });
  b.powerOn();
  await b.advance(500);
  expect(b.uncaughtErrors).toBe(1);
  expect(b.events.ofKind("error")[0].text).toMatch(/Map/);
  expect(bootLines(b)).toHaveLength(0); // the firmware never started
});

test("optional chaining, a syntax error on 2v29, is refused at load with its position", () => {
  const b = new EmulatedBoard({ board: "esp32", seed: 13 });
  const src = "var cfg = require('Storage').readJSON('vtcfg', true);\nprint(cfg?.device);";
  let refused: unknown = null;
  try {
    b.load(src);
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(LoadRefused);
  expect((refused as LoadRefused).violations[0]).toMatchObject({ line: 2 });
});
