// The real upload file (dist/firmware/pico/upload.js from firmware/build) boots unmodified on
// the emulated Pico and answers a scan with feedback. Skipped until the build has produced it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EmulatedBoard } from "../../../simulator/src/board";

const upload = join(__dirname, "../../../dist/firmware/pico/upload.js");
const maybe = existsSync(upload) ? describe : describe.skip;

maybe("the real pico firmware on the emulated board", () => {
  it("boots without errors within budget and answers a scan with light or sound", async () => {
    const b = new EmulatedBoard({ board: "pico", seed: 11 });
    b.provision({ device: "sim-pico-1", secret: "5a".repeat(32), institution: "H00000000001", operator: "dr-test" });
    b.load(readFileSync(upload, "utf8"));
    b.powerOn();
    await b.advance(3000);
    expect(b.uncaughtErrors).toBe(0);
    expect(b.powered).toBe(true);
    const before = b.events.all.length;
    b.scanner.scan("81234567890123456789");
    await b.advance(2000);
    const feedback = b.events.all.slice(before).filter((e) => e.kind === "led" || e.kind === "buzzer");
    expect(feedback.length).toBeGreaterThan(0);
    expect(b.uncaughtErrors).toBe(0);
  });
});
