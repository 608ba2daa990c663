// Smoke test on the simulator's emulated Espruino board: the bundled firmware passes the
// board's 2v29 subset check, boots, takes a session of scans into flash, and comes back
// after a reboot with the same sequence. The simulator team owns the deep end-to-end tests.
import { buildSync } from "esbuild";
import { EmulatedBoard } from "../../../simulator/src/board/index";

function bundle(board: string): string {
  const r = buildSync({
    entryPoints: [`firmware/src/boards/${board}.ts`],
    bundle: true,
    format: "iife",
    target: "es2020",
    platform: "neutral",
    minify: true,
    write: false,
  });
  return r.outputFiles[0].text;
}

function consoleLines(b: EmulatedBoard): string[] {
  return b.events.all.filter((e) => e.kind === "console").map((e) => (e as { text: string }).text);
}

/** Whether the emulated pico offers require("crypto") (the Pico firmware uses its SHA256). */
function emulatedPicoHasCrypto(): boolean {
  const b = new EmulatedBoard({ board: "pico", seed: 1 });
  b.load('var c = null; try { c = require("crypto"); } catch (e) { c = null; } print(c && c.SHA256 ? "crypto yes" : "crypto no");');
  b.powerOn();
  return consoleLines(b).includes("crypto yes");
}

async function session(openCard: string): Promise<EmulatedBoard> {
  const b = new EmulatedBoard({ board: "pico", seed: 5 });
  b.load(bundle("pico"));
  b.provision({ device: "vc-emu-1", secret: "0f".repeat(32), institution: "H1", operator: "dr" });
  b.powerOn();
  await b.advance(500);
  b.scanner.scan(openCard);
  await b.advance(2000);
  for (let k = 0; k < 4; k++) {
    b.scanner.scan("8385793000087976666" + k);
    await b.advance(2000);
  }
  b.pressButton(100);
  await b.advance(2000);
  b.reboot();
  await b.advance(500);
  return b;
}

function expectSixRecordsKept(b: EmulatedBoard): void {
  const lines = consoleLines(b).filter((l) => l.includes("village-trace"));
  expect(b.uncaughtErrors).toBe(0);
  expect(lines[0]).toMatch(/boot 1: seq 0 /);
  expect(lines[1]).toMatch(/boot 2: seq 6 acked 0 torn 0/);
}

test("pico bundle boots on the emulated board, journals a prescription session and survives a reboot", async () => {
  expectSixRecordsKept(await session("RX20240611000123"));
});

test("an idle board keeps no timer pending: the tick runs only while a session is open", async () => {
  const b = new EmulatedBoard({ board: "pico", seed: 6 });
  b.load(bundle("pico"));
  b.provision({ device: "vc-emu-2", secret: "0f".repeat(32), institution: "H1", operator: "dr" });
  b.powerOn();
  await b.advance(3000);
  expect(b.firmwareTimers).toBe(0);
  b.scanner.scan("RX20240611000124");
  await b.advance(3000);
  expect(b.firmwareTimers).toBeGreaterThan(0); // the session's timeout is being watched
  await b.advance(601_000); // the default session timeout closes it, then the board goes quiet
  expect(consoleLines(b).some((l) => /closed after timeout/.test(l))).toBe(true);
  await b.advance(3000);
  expect(b.firmwareTimers).toBe(0);
  expect(b.uncaughtErrors).toBe(0);
});

// The voucher hash needs the board's built-in SHA256: run where the emulated pico has it.
const withCrypto = emulatedPicoHasCrypto() ? test : test.skip;
withCrypto("pico bundle opens a session by e-voucher with the built-in SHA256", async () => {
  expectSixRecordsKept(await session("Qm9vdGVkVm91Y2hlclRva2VuRm9yVGVzdGluZzEyMzQ1Njc4"));
});
