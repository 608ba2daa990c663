import { LineAssembler } from "../../../firmware/src/scanner/line-assembler";
import { seeded } from "./fake-flash";

function feed(chunks: string[], maxLine = 120): { lines: string[]; a: LineAssembler } {
  const lines: string[] = [];
  const a = new LineAssembler(maxLine, (l) => lines.push(l));
  for (const c of chunks) a.push(c);
  return { lines, a };
}

describe("line assembler", () => {
  const reads = ["83857930000879766660", "]d20109506000134352172712311" + "0A1B2\u001d21SN123", "6901234567892", "VT:UNDO"];

  test("CR, LF and CRLF endings all give the same reads; GS stays inside", () => {
    for (const end of ["\r", "\n", "\r\n"]) {
      const { lines } = feed([reads.join(end) + end]);
      expect(lines).toEqual(reads);
    }
  });

  test("random chunk splits never change the reads (seeded, 500 runs)", () => {
    const rnd = seeded(42);
    const endings = ["\r", "\n", "\r\n"];
    for (let run = 0; run < 500; run++) {
      let stream = "";
      const expected: string[] = [];
      for (let k = 0; k < 6; k++) {
        const r = reads[Math.floor(rnd() * reads.length)];
        expected.push(r);
        stream += r + endings[Math.floor(rnd() * 3)];
      }
      const chunks: string[] = [];
      let at = 0;
      while (at < stream.length) {
        const n = 1 + Math.floor(rnd() * 9);
        chunks.push(stream.substr(at, n));
        at += n;
      }
      expect(feed(chunks).lines).toEqual(expected);
    }
  });

  test("drops NULs and bare control bytes, counting them", () => {
    const { lines, a } = feed(["\u00008385793\u00070000879766660\u007f\r\n", "\u0000\u0000\r\n"]);
    expect(lines).toEqual(["83857930000879766660"]);
    expect(a.stats.noiseBytes).toBe(5);
  });

  test("an over-long read without terminator is discarded up to the next terminator", () => {
    const { lines, a } = feed(["x".repeat(50), "y".repeat(50), "z".repeat(50), "tail\r\n", "8385793000087976666", "0\n"], 120);
    expect(lines).toEqual(["83857930000879766660"]);
    expect(a.stats.overlong).toBe(1);
  });
});
