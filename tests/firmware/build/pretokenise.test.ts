// The pretokenised upload: built by espruino-tools' own step, read back by the simulator's
// detokeniser into the same token stream the minified bundle has (real bundles of both
// boards), and the real Pico firmware boots from it on the emulated board and records a scan.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenizer } from "acorn";
import { buildFirmware, type BuildReport } from "../../../firmware/build/build";
import { detokenise, PretokenisedSourceError, PRETOKENISED_TOKENS } from "../../../simulator/src/espruino/pretokenise";
import { EmulatedBoard } from "../../../simulator/src/board";

function tokens(code: string): string[] {
  const out: string[] = [];
  for (const t of tokenizer(code, { ecmaVersion: 2020 })) out.push(t.type.label + " " + code.substring(t.start, t.end));
  return out;
}

describe("detokenise", () => {
  const tk = (text: string) => String.fromCharCode(0x8a + PRETOKENISED_TOKENS.indexOf(text));

  it("leaves plain ASCII code untouched", () => {
    const code = 'function f(a){return a==="x"?/y/g:1}';
    expect(detokenise(code)).toBe(code);
  });

  it("expands keyword and operator bytes with the jslex numbering (0x8A '==', 0xC6 'of')", () => {
    expect(PRETOKENISED_TOKENS[0]).toBe("==");
    expect(PRETOKENISED_TOKENS.length).toBe(61);
    expect(0x8a + PRETOKENISED_TOKENS.indexOf("of")).toBe(0xc6);
    expect(0x8a + PRETOKENISED_TOKENS.indexOf("if")).toBe(0xa3);
    const code = `${tk("function")} f(a){${tk("if")}(a${tk("===")}1)${tk("return")} a${tk("++")};${tk("for")}(${tk("const")} x ${tk("of")} a)b+${tk("++")}c}`;
    expect(tokens(detokenise(code))).toEqual(tokens("function f(a){if(a===1)return a++;for(const x of a)b+ ++c}"));
  });

  it("copies string, template and regex literals byte for byte, as the lexer reads them", () => {
    const code = `x="\xa3'\xb6";y=\`a\${'\xa3'}\xa3\`;z=/["'\xa3]/g${tk("==")}w`;
    const plain = detokenise(code);
    expect(plain).toContain(`"\xa3'\xb6"`);
    expect(plain).toContain(`\`a\${'\xa3'}\xa3\``);
    expect(plain).toContain(`/["'\xa3]/g`);
    expect(plain.endsWith(" == w")).toBe(true);
  });

  it("reads raw string and integer tokens of the newer mode, signed as jslex reads them", () => {
    const code = `a=\xd1\x03h"\x01;b=\xd4\xfb;c=\xd5\x00\x80;d=\xd3;e=null\xd0"f"`;
    const run = new Function(detokenise(code) + ";return [a,b,c,d,e];");
    expect(run()).toEqual(['h"\x01', -5, -32768, 0, "f"]);
  });

  it("refuses a byte the lexer has no token for, a cut raw token and text read as UTF-8", () => {
    expect(() => detokenise("a=\x85")).toThrow(PretokenisedSourceError);
    expect(() => detokenise("a=\xd1\x09ab")).toThrow(/cut short/);
    expect(() => detokenise("a\ufffdb")).toThrow(/latin1/);
  });
});

describe("the real firmware, pretokenised", () => {
  let out: string;
  const built: Record<string, { upload: string; minified: string; report: BuildReport }> = {};

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "vt-fw-tok-"));
    for (const board of ["pico", "esp32"]) {
      const a = await buildFirmware({ board, outDir: join(out, board) });
      built[board] = {
        upload: readFileSync(a.uploadPath, "latin1"),
        minified: readFileSync(join(out, board, "bundle.min.js"), "latin1"),
        report: JSON.parse(readFileSync(join(out, board, "report.json"), "utf8")) as BuildReport,
      };
    }
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each(["pico", "esp32"])("%s: detokenise(upload) has exactly the minified bundle's tokens", (board) => {
    const b = built[board];
    expect(b.report.pretokenised).toBe(true);
    expect(b.upload.length).toBeLessThan(b.minified.length * 0.85);
    expect(b.upload).toMatch(/[\x8a-\xc6]/);
    const plain = detokenise(b.upload);
    expect(b.report.plainUploadBytes).toBe(plain.length);
    expect(tokens(plain)).toEqual(tokens(b.minified));
  });

  it("pico: boots from the pretokenised upload, accepts a box and refuses it the second time", async () => {
    const board = new EmulatedBoard({ board: "pico", seed: 17 });
    board.provision({ device: "tok-pico-1", secret: "5a".repeat(32), institution: "H00000000001", operator: "dr-test" });
    board.load(built.pico.upload);
    board.powerOn();
    await board.advance(3000);
    expect(board.uncaughtErrors).toBe(0);
    const feedbackAfter = async (line: string) => {
      const from = board.events.all.length;
      board.scanner.scan(line);
      await board.advance(3000);
      return board.events.all.slice(from).filter((e) => e.kind === "led" || e.kind === "buzzer");
    };
    await feedbackAfter("RX123456789");
    const first = await feedbackAfter("81234567890123456789");
    const again = await feedbackAfter("81234567890123456789");
    expect(first.length).toBeGreaterThan(0);
    expect(again.length).toBeGreaterThan(0);
    // accepted and refused sound differently (2.7 kHz for accepted, 1.8 kHz / 600 Hz otherwise)
    expect(JSON.stringify(first)).not.toEqual(JSON.stringify(again));
    expect(board.uncaughtErrors).toBe(0);
  });
});
