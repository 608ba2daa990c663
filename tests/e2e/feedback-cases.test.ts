// Firmware acceptance: each feedback case happens for its input, on the build's upload file,
// read back from the LEDs and buzzer as a doctor would see and hear them. The warn list comes
// from the real gateway over MQTT.
import { EmulatedBoard } from "../../simulator/src/board/index";
import { decodeFeedback } from "../../simulator/src/fleet/feedback-decoder";
import { parseCode } from "../../protocol/src/code/index";
import { countyOnTestBroker, esp32OnCounty, feedbackOf, runPrefix, uploadFiles } from "./helpers";

jest.setTimeout(120_000);

const SECRET = "5a".repeat(32);

/** Feeds one read and returns the first feedback kind it produced. */
async function read(b: EmulatedBoard, raw: string): Promise<string> {
  const sig = await feedbackOf(b, raw);
  return sig.length ? sig[0].kinds.join("|") : "(none)";
}

test("accepted, not a code, same box twice, warn list from the gateway, already dispensed", async () => {
  const county = await countyOnTestBroker(3);
  try {
    const b = await esp32OnCounty(county, runPrefix("fb"), SECRET, 3);
    await b.advance(3000);

    const flagged = "83857930000000000777";
    const key = parseCode(flagged);
    if (!key.ok) throw new Error("test code does not parse");
    county.gateway.alerts.raise({ kind: "warn-list", severity: "critical", code: key.code.key, reason: "reported stolen batch", evidence: {} });
    // The warn-list command travels to the board and is stored there.
    await b.advance(5000);

    expect(await read(b, "RX2026030200010001")).toBe("session-opened");
    expect(await read(b, "83857930000000000001")).toBe("accepted");
    expect(await read(b, "6901234567892")).toBe("not-a-code"); // a retail EAN-13
    expect(await read(b, "83857930000000000001")).toBe("same-box-twice");
    expect(await read(b, flagged)).toBe("warn-list");
    expect(await read(b, "RX2026030200010002")).toMatch(/session-closed/); // next patient: close, then open
    expect(await read(b, "83857930000000000001")).toBe("already-dispensed");
    expect(b.uncaughtErrors).toBe(0);
  } finally {
    await county.stop();
  }
});

test("storage nearly full: below 20 % free the board warns when a patient is opened", async () => {
  const files = await uploadFiles();
  const b = new EmulatedBoard({ board: "pico", seed: 4 });
  b.load(files.pico.source);
  b.provision({ device: "fb-full", secret: SECRET, institution: "H51012200001", operator: "Dr Li" });
  b.powerOn();
  await b.advance(500);
  // No link: every record stays in the Pico's journal until it is nearly full.
  const kinds: string[] = [];
  let box = 0;
  for (let session = 0; session < 400 && !kinds.includes("storage-low"); session++) {
    const from = b.events.all.length;
    b.scanner.scan("RX20260302" + String(session).padStart(8, "0"), { terminator: "\r" });
    b.clock.runUntil(b.clock.now + 2000);
    for (let i = 0; i < 8; i++) {
      b.scanner.scan("8385793" + String(++box).padStart(13, "0"), { terminator: "\r" });
      b.clock.runUntil(b.clock.now + 1500);
    }
    b.pressButton(150);
    b.clock.runUntil(b.clock.now + 1500);
    for (const s of decodeFeedback(b.events.all.slice(from), b.facts.buzzerPin)) kinds.push(s.kinds[0]);
  }
  expect(kinds).toContain("storage-low");
  // Up to the warning every box was accepted: nothing was refused for space.
  expect(kinds.slice(0, kinds.indexOf("storage-low"))).not.toContain("storage-full");
  expect(b.uncaughtErrors).toBe(0);
});
