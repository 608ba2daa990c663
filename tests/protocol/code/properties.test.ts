// Property tests: bounded runs so the file stays a few seconds long.
import fc from "fast-check";
import { classifyScan, parseCode, REJECT_MESSAGES } from "../../../protocol/src/code";
import { checkDigit, GS } from "./vectors";

const RUNS = 400;

// GS1 character set 82 without "(" and ")", which the printed form cannot carry unambiguously.
const CSET82 = "!\"%&'*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const cset82Char = fc.constantFrom(...CSET82.split(""));
const field = fc.array(cset82Char, { minLength: 1, maxLength: 20 }).map((cs) => cs.join(""));
const digits = (n: number) => fc.array(fc.constantFrom(..."0123456789".split("")), { minLength: n, maxLength: n }).map((d) => d.join(""));
const gtin = digits(13).map((body) => body + checkDigit(body));
const expiry = fc
  .record({ yy: fc.integer({ min: 0, max: 99 }), mm: fc.integer({ min: 1, max: 12 }), dd: fc.integer({ min: 0, max: 28 }) })
  .map((d) => [d.yy, d.mm, d.dd].map((v) => String(v).padStart(2, "0")).join(""));

// A medicine pack: GTIN, expiry, batch and serial, plus optional AIs a parser must skip.
const pack = fc.record({
  gtin: gtin,
  expiry: expiry,
  batch: field,
  serial: field,
  weight: fc.option(digits(6), { nil: undefined }),
  extra: fc.option(fc.array(cset82Char, { minLength: 1, maxLength: 30 }).map((c) => c.join("")), { nil: undefined }),
});
type Pack = typeof pack extends fc.Arbitrary<infer P> ? P : never;

interface Element { ai: string; value: string; fixed: boolean }

function elements(p: Pack): Element[] {
  const list: Element[] = [
    { ai: "01", value: p.gtin, fixed: true },
    { ai: "17", value: p.expiry, fixed: true },
    { ai: "10", value: p.batch, fixed: false },
    { ai: "21", value: p.serial, fixed: false },
  ];
  if (p.weight !== undefined) list.push({ ai: "3103", value: p.weight, fixed: true });
  if (p.extra !== undefined) list.push({ ai: "240", value: p.extra, fixed: false });
  return list;
}

const spelling = fc.record({
  order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
  printed: fc.boolean(),
  spaces: fc.boolean(),
  prefix: fc.constantFrom("", "]d2", "]Q3", "]C1", GS),
  gsAfterFixed: fc.boolean(),
  trailingGs: fc.boolean(),
  ending: fc.constantFrom("", "\r", "\n", "\r\n"),
});
type Spelling = typeof spelling extends fc.Arbitrary<infer S> ? S : never;

function spell(p: Pack, s: Spelling): string {
  const els = elements(p)
    .map((e, i) => ({ e: e, rank: s.order[i] }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.e);
  if (s.printed) {
    return els.map((e) => "(" + e.ai + ")" + (s.spaces ? " " : "") + e.value).join(s.spaces ? " " : "") + s.ending;
  }
  let out = s.prefix;
  els.forEach((e, i) => {
    out += e.ai + e.value;
    const last = i === els.length - 1;
    if ((!e.fixed && !last) || (e.fixed && s.gsAfterFixed && !last) || (last && s.trailingGs)) out += GS;
  });
  return out + s.ending;
}

describe("properties", () => {
  test("every spelling of a valid GS1 pack parses to the same key and fields", () => {
    fc.assert(
      fc.property(pack, spelling, spelling, (p, s1, s2) => {
        const a = parseCode(spell(p, s1));
        const b = parseCode(spell(p, s2));
        expect(a).toEqual({
          ok: true,
          code: { kind: "gs1", key: "(01)" + p.gtin + "(21)" + p.serial, product: p.gtin, serial: p.serial, batch: p.batch, expiry: p.expiry },
        });
        expect(b).toEqual(a);
      }),
      { numRuns: RUNS },
    );
  });

  test("a canonical key parses back to itself", () => {
    fc.assert(
      fc.property(pack, spelling, (p, s) => {
        const r = parseCode(spell(p, s));
        const again = r.ok ? parseCode(r.code.key) : r;
        expect(again.ok && again.code.key).toBe(r.ok && r.code.key);
      }),
      { numRuns: RUNS },
    );
  });

  test("dropping the GS between batch and serial is always lost-separator", () => {
    fc.assert(
      fc.property(pack, fc.constantFrom("", "]d2"), fc.constantFrom("", "/", "0029"), (p, prefix, wedge) => {
        const s = prefix + "01" + p.gtin + "17" + p.expiry + "10" + p.batch + wedge + "21" + p.serial;
        const r = parseCode(s);
        expect(r.ok ? "ok" : r.reason).toBe("lost-separator");
      }),
      { numRuns: RUNS },
    );
  });

  test("valid 20-digit codes round-trip, spaced as printed or not", () => {
    fc.assert(
      fc.property(digits(19), fc.constantFrom("", "\r", "\n", "\r\n"), (rest, ending) => {
        const code = "8" + rest;
        const expected = { ok: true, code: { kind: "cn20", key: code, product: code.slice(0, 7), serial: code.slice(7) } };
        expect(parseCode(code + ending)).toEqual(expected);
        expect(parseCode(code.slice(0, 7) + " " + code.slice(7) + ending)).toEqual(expected);
        expect(parseCode(code)).toEqual(parseCode(expected.code.key));
      }),
      { numRuns: RUNS },
    );
  });

  test("random reads never throw and always give a code or a known reason with its message", () => {
    const noisy = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: "binary", maxLength: 80 }),
      fc.array(fc.constantFrom("0", "1", "2", "7", "8", "9", "A", "(", ")", "]", "d", GS, "\r", "/", " "), { maxLength: 60 }).map((c) => c.join("")),
      fc.tuple(pack, spelling, fc.nat(), fc.string({ maxLength: 4 })).map((t) => {
        const s = spell(t[0], t[1]);
        const cut = t[2] % (s.length + 1);
        return s.slice(0, cut) + t[3] + s.slice(cut + 1);
      }),
    );
    fc.assert(
      fc.property(noisy, (raw) => {
        const r = parseCode(raw);
        if (r.ok) {
          expect(r.code.key.length).toBeGreaterThan(0);
        } else {
          expect(Object.keys(REJECT_MESSAGES)).toContain(r.reason);
          expect(r.message.length).toBeLessThanOrEqual(40);
        }
        const c = classifyScan(raw);
        expect(["code", "voucher", "rx", "reject"]).toContain(c.type);
        if (c.type === "code") expect(r.ok && r.code.key).toBe(c.code.key);
      }),
      { numRuns: 2000 },
    );
  });
});
