// The bundler shortens property names. A build that renamed a key kept in Storage would still
// read back its own writes, so ordinary tests would pass while every board in the field lost
// its provisioning or pushed settings at the update. Here the real Pico upload boots on files
// written the way the installer and earlier firmware wrote them, and what it writes keeps the
// same names.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFirmware } from "../../../firmware/build/build";
import { EmulatedBoard } from "../../../simulator/src/board";
import { crc32, fromHex } from "../../../protocol/src/crypto/index";
import { encodeCommandFrame } from "../../../protocol/src/frame/encode-down";
import { nodeHashing } from "../../../protocol/src/node/hashing";

const SECRET = "5a".repeat(32);
const DEVICE = "vc-stored-1";
let upload = "";
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vt-stored-names-"));
  const a = await buildFirmware({ board: "pico", outDir: join(dir, "pico") });
  upload = readFileSync(a.uploadPath, "latin1");
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "latin1"));
}

/** A durable-file slot as firmware before the wider mangling wrote it: body, "\n=<gen>:<crc>". */
function durableSlot(body: string, gen: number): Uint8Array {
  return bytes(`${body}\n=${gen}:${crc32(bytes(body))}`);
}

function boardWithFiles(vtstate: string | null): EmulatedBoard {
  const b = new EmulatedBoard({ board: "pico", seed: 5 });
  // exactly what `require("Storage").writeJSON("vtcfg", {...})` at provisioning stores
  b.storage.write("vtcfg", bytes(JSON.stringify({ device: DEVICE, secret: SECRET, institution: "H51010500001", operator: "dr-li" })));
  b.load(upload);
  if (vtstate !== null) {
    // a board that has synced has its journal too (one without is held: its seq was lost)
    b.powerOn();
    b.storage.write("vtstate0", durableSlot(vtstate, 3));
    b.reboot();
  } else b.powerOn();
  return b;
}

/** The session-closed signal (high then middle tone) played after event index `from`. */
function closedAfter(b: EmulatedBoard, from: number): boolean {
  const tones: number[] = [];
  for (const e of b.events.all.slice(from)) if (e.kind === "buzzer" && e.duty > 0) tones.push(e.freq);
  return tones.join(",").includes("2700,1800");
}

function storedState(b: EmulatedBoard): string {
  const slots = ["vtstate0", "vtstate1"].map((n) => b.storage.read(n)).filter((d): d is Uint8Array => d !== undefined);
  return slots.map((d) => Buffer.from(d).toString("latin1")).join("\n");
}

describe("names kept in Storage survive the bundler's renaming", () => {
  it("reads the installer's vtcfg: the device id from the file is the one said on USB", async () => {
    const b = boardWithFiles(null);
    await b.advance(3000);
    expect(b.uncaughtErrors).toBe(0);
    expect(b.usb!.output).toContain(`\nVT!${DEVICE}\n`);
  });

  it("honours a session timeout pushed earlier and stored in vtstate by the previous format", async () => {
    const b = boardWithFiles(`{"command":7,"config":{"sessionTimeout":120,"batchMax":5,"warnFreePct":20}}`);
    await b.advance(3000);
    b.scanner.scan("RX202506150001001");
    await b.advance(2000);
    const mark = b.events.all.length;
    await b.advance(100_000);
    expect(closedAfter(b, mark)).toBe(false); // not yet 120 s
    await b.advance(30_000);
    expect(closedAfter(b, mark)).toBe(true); // the stored 120 s, not the default 600 s
    expect(b.uncaughtErrors).toBe(0);
  });

  it("the default timeout applies without a stored state (the test above can fail)", async () => {
    const b = boardWithFiles(null);
    await b.advance(3000);
    b.scanner.scan("RX202506150001001");
    await b.advance(2000);
    const mark = b.events.all.length;
    await b.advance(130_000);
    expect(closedAfter(b, mark)).toBe(false);
  });

  it("ignores a replayed command id from the stored state and stores a newer one under the same names", async () => {
    const b = boardWithFiles(`{"command":7,"config":{"sessionTimeout":120}}`);
    await b.advance(3000);
    const key = fromHex(SECRET)!;
    const send = (id: number, sessionTimeout: number) =>
      b.usb!.write("VT<" + Buffer.from(encodeCommandFrame({ device: DEVICE, id, config: { sessionTimeout } }, key, nodeHashing)).toString("base64") + "\n");
    send(7, 300); // already applied before the update
    await b.advance(500);
    expect(storedState(b)).not.toContain(`"sessionTimeout":300`);
    send(8, 240);
    await b.advance(500);
    const stored = storedState(b);
    expect(stored).toContain(`"command":8`);
    expect(stored).toContain(`"config":{"sessionTimeout":240}`);
    expect(b.uncaughtErrors).toBe(0);
  });
});
