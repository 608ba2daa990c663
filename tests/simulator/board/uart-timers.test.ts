// The scanner's bytes arrive at the baud rate's pace in chunks split anywhere; timers and the
// button run in virtual time, in order.
import { scanChunks } from "../../../simulator/src/espruino/uart";
import { seededRng } from "../../../simulator/src/espruino/random";
import { VirtualTimers } from "../../../simulator/src/espruino/virtual-timers";
import { bootWith, fixture } from "./helpers";

const CODE = "81234567890123456789";

describe("UART scanner", () => {
  it("sends the line plus CRLF, 10 bits per byte, split into random chunks", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { chunks, durationMs } = scanChunks(CODE, {}, 9600, seededRng(seed));
      expect(chunks.map((c) => c.data).join("")).toBe(CODE + "\r\n");
      expect(durationMs).toBeCloseTo((22 * 10000) / 9600, 6);
      expect(chunks.every((c, i) => i === 0 || c.atMs > chunks[i - 1].atMs)).toBe(true);
    }
    expect(scanChunks(CODE, { chunking: "bytes" }, 9600, seededRng(1)).chunks).toHaveLength(22);
  });

  it("reproduces field faults: lost GS, doubled reads, noise", () => {
    const gs1 = "]d20109506000134352172712311" + "0A1B2\x1d21SN123";
    expect(scanChunks(gs1, { dropGS: true, chunking: "whole" }, 9600, seededRng(1)).chunks[0].data).toBe(gs1.replace("\x1d", "") + "\r\n");
    expect(scanChunks(CODE, { doubled: true, chunking: "whole" }, 9600, seededRng(1)).chunks[0].data).toBe((CODE + "\r\n").repeat(2));
    const noisy = scanChunks(CODE, { noise: 3, chunking: "whole" }, 9600, seededRng(1)).chunks[0].data;
    expect(noisy).toHaveLength(25);
    expect(noisy.endsWith(CODE + "\r\n")).toBe(true);
  });

  it("delivers to the firmware's Serial handler whatever the chunking", async () => {
    const b = bootWith(fixture("echo-scanner.js"), { seed: 99 });
    for (const chunking of ["random", "bytes", "whole", 3] as const) b.scanner.scan(CODE, { chunking });
    await b.advance(200);
    expect(b.events.ofKind("console").filter((e) => e.text === "line:" + CODE)).toHaveLength(4);
    // the first line is complete only once its last byte has crossed the wire
    const first = b.events.ofKind("console").find((e) => e.text.startsWith("line:"))!;
    expect(first.t).toBeCloseTo((22 * 10000) / 9600, 6);
    // the green LED lit at the first line and went out 100 ms after the last one
    const leds = b.events.ofKind("led");
    expect(leds[0]).toMatchObject({ led: "LED2", on: true, t: first.t });
    expect(leds[leds.length - 1]).toMatchObject({ led: "LED2", on: false });
  });

  it("loses the bytes when the UART is not set up at the module's baud rate", async () => {
    const b = bootWith(fixture("echo-scanner.js"));
    b.scanner.scan(CODE, { baud: 115200 });
    await b.advance(100);
    expect(b.uartDroppedBytes).toBe(22);
    expect(b.events.consoleText()).not.toContain("line:");
  });
});

describe("virtual time", () => {
  it("fires timers in virtual-time order, ties in the order they were set", () => {
    const t = new VirtualTimers();
    const got: string[] = [];
    t.schedule(30, () => got.push("c"));
    t.schedule(10, () => got.push("a"));
    t.schedule(10, () => got.push("b"));
    const i = t.schedule(25, () => got.push("i"), 25);
    t.runUntil(60);
    t.cancel(i);
    t.runUntil(200);
    expect(got).toEqual(["a", "b", "i", "c", "i"]);
    expect(t.now).toBe(200);
  });

  it("runs firmware timers and getTime on the virtual clock only", async () => {
    const b = bootWith(`var n = 0; var id = setInterval(function () { n++; if (n === 3) { clearInterval(id); print("t=" + getTime()); } }, 1000); setTimeout(function (a, c) { print(a + c); }, 500, "x", "y");`);
    const wall = Date.now();
    await b.advance(10_000);
    expect(Date.now() - wall).toBeLessThan(2000);
    expect(b.events.consoleText()).toBe("xy\nt=3");
  });

  it("reports a press through setWatch with its duration (time - lastTime)", async () => {
    const b = bootWith(fixture("echo-scanner.js"));
    b.pressButton(30); // shorter than the 50 ms debounce? the release still settles
    await b.advance(500);
    b.pressButton(1500);
    await b.advance(2000);
    expect(b.events.ofKind("buzzer")).toHaveLength(1);
    expect(b.events.ofKind("buzzer")[0]).toMatchObject({ pin: "B3", duty: 0.5, freq: 2000 });
  });

  it("an uncaught error in a callback is reported and the board keeps running", async () => {
    const b = bootWith(`setTimeout(function () { null.x; }, 10); setTimeout(function () { print("alive"); }, 20);`);
    await b.advance(50);
    expect(b.uncaughtErrors).toBe(1);
    expect(b.events.consoleText()).toContain("alive");
  });
});
