// The real upload files, built from firmware/src once for this file, boot unmodified on the
// emulated Pico and ESP32, answer scans with the feedback of the firmware's table, survive a
// power cut in the middle of a journal write, and (Pico) talk on the USB serial line.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFirmware } from "../../../firmware/build/build";
import { EmulatedBoard, BOARDS, LoadRefused, type BoardId } from "../../../simulator/src/board";

const uploads: Partial<Record<BoardId, string>> = {};
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vt-real-fw-"));
  for (const board of ["pico", "esp32"] as BoardId[]) {
    const a = await buildFirmware({ board, outDir: join(dir, board) });
    uploads[board] = readFileSync(a.uploadPath, "latin1");
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOX = "81234567890123456789";
const ACCEPTED_HZ = 2700;
const REFUSED_HZ = 600;

function boot(board: BoardId, seed = 11): EmulatedBoard {
  const b = new EmulatedBoard({ board, seed });
  const link = BOARDS[board].hasNet ? { mqtt: { host: "127.0.0.1", port: 1 }, wifi: { ssid: "none", password: "none" } } : {};
  b.provision({ device: `sim-${board}-1`, secret: "5a".repeat(32), institution: "H00000000001", operator: "dr-test", ...link });
  if (b.net) b.setLinkUp(false);
  b.load(uploads[board] as string);
  b.powerOn();
  return b;
}

/** Tones (Hz) and LED switch-ons played after event index `from`. */
function feedback(b: EmulatedBoard, from: number): { tones: number[]; leds: string[] } {
  const tones: number[] = [];
  const leds: string[] = [];
  for (const e of b.events.all.slice(from)) {
    if (e.kind === "buzzer" && e.duty > 0) tones.push(e.freq);
    if (e.kind === "led" && e.on) leds.push(e.led);
  }
  return { tones, leds };
}

async function scan(b: EmulatedBoard, line: string): Promise<{ tones: number[]; leds: string[] }> {
  const mark = b.events.all.length;
  b.scanner.scan(line);
  await b.advance(2500);
  return feedback(b, mark);
}

describe.each(["pico", "esp32"] as BoardId[])("the real %s firmware on the emulated board", (board) => {
  it("boots, accepts a box in a session with green and the high tone, and refuses a retail barcode", async () => {
    const b = boot(board);
    await b.advance(3000);
    expect(b.uncaughtErrors).toBe(0);
    expect(b.powered).toBe(true);
    await scan(b, "RX202506150001001");
    const ok = await scan(b, BOX);
    expect(ok.tones).toContain(ACCEPTED_HZ);
    expect(ok.leds).toContain("LED2");
    const retail = await scan(b, "6901234567892");
    expect(retail.tones).toContain(REFUSED_HZ);
    expect(retail.tones).not.toContain(ACCEPTED_HZ);
    expect(retail.leds).toContain("LED1");
    expect(b.uncaughtErrors).toBe(0);
    const m = b.memoryUsage();
    expect(m.usage).toBeGreaterThan(0);
    expect(m.total).toBe(BOARDS[board].totalVars);
  });

  it("keeps what it accepted across a power cut in the middle of a journal write", async () => {
    const b = boot(board, 23);
    await b.advance(3000);
    await scan(b, "RX202506150001002");
    expect((await scan(b, BOX)).tones).toContain(ACCEPTED_HZ);
    b.armPowerCut({ afterBytes: 5 }); // the next record dies half-written
    b.scanner.scan("81234567890123450001");
    await b.advance(2500);
    expect(b.powered).toBe(false);
    b.powerOn();
    await b.advance(3000);
    expect(b.uncaughtErrors).toBe(0);
    await scan(b, "RX202506150001003");
    // the box accepted before the cut is on record: a second sale is refused
    const again = await scan(b, BOX);
    expect(again.tones).not.toContain(ACCEPTED_HZ);
    expect(again.tones).toContain(REFUSED_HZ);
    // and the journal still takes new boxes
    expect((await scan(b, "81234567890123450002")).tones).toContain(ACCEPTED_HZ);
  });
});

describe("the Pico's USB line and crypto", () => {
  it("moves the console off USB and says hello on it; the host's probe is answered", async () => {
    const b = boot("pico");
    const usb = b.usb!;
    const lines: string[] = [];
    usb.onLine((l) => lines.push(l));
    await b.advance(3000);
    expect(usb.consoleOnUsb).toBe(false);
    expect(usb.output).toContain("\nVT!sim-pico-1\n"); // said at boot, before anyone listened
    usb.write("VT?\n");
    await b.advance(100);
    expect(lines).toContain("VT!sim-pico-1");
    expect(usb.counts.toBoard).toBe(4);
  });

  it("has no USB object on the ESP32 and SHA256 on both", () => {
    const esp = boot("esp32");
    expect(esp.usb).toBeNull();
    expect(esp.evaluate("typeof USB")).toBe("undefined");
    const pico = boot("pico");
    const hex = pico.evaluate(`var d = new Uint8Array(require("crypto").SHA256("abc")); var s = ""; for (var i = 0; i < d.length; i++) s += (d[i] < 16 ? "0" : "") + d[i].toString(16); s`);
    expect(hex).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(pico.evaluate(`require("crypto").SHA1("abc").byteLength`)).toBe(20);
  });

  it("drops input to the console while USB still is the console, as the REPL takes it", async () => {
    const b = new EmulatedBoard({ board: "pico", seed: 3 });
    b.load(`USB.on("data", function (d) { print("got " + d); });`);
    b.powerOn();
    b.usb!.write("hello\n");
    await b.advance(10);
    expect(b.usb!.counts.toConsole).toBe(6);
    b.evaluate(`LoopbackA.setConsole(true)`);
    b.usb!.write("x");
    await b.advance(10);
    expect(b.events.all.some((e) => e.kind === "console" && e.text === "got x")).toBe(true);
  });
});

describe("what the board would not run", () => {
  it.each([
    ["new Map()", `(function(){ var seen = new Map(); Serial1.on("data", function (d) { seen.set(d, 1); }); })();`],
    ["a counted regex quantifier", `(function(){ Serial1.on("data", function (d) { if (/^[0-9]{20}$/.test(d)) print("ok"); }); })();`],
  ])("refuses a firmware-like upload using %s at load", (_what, src) => {
    const b = new EmulatedBoard({ board: "pico", seed: 1 });
    expect(() => b.load(src)).toThrow(LoadRefused);
  });
});
