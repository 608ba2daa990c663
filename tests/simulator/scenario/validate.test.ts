/* eslint-disable @typescript-eslint/no-explicit-any -- these cases mutate scenario JSON into deliberately invalid shapes */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadScenarioFile, parseScenarioText, validateScenario } from "../../../simulator/src/scenario";

const DIR = join(__dirname, "../../../simulator/scenarios");
const small = () => JSON.parse(readFileSync(join(DIR, "small.json"), "utf8"));

function errorsOf(s: unknown): string[] {
  const v = validateScenario(s);
  if (v.ok) throw new Error("expected the scenario to be refused");
  return v.errors;
}

describe("scenario validation", () => {
  it.each(["small.json", "ci.json", "county.json"])("accepts the shipped %s", (f) => {
    const v = loadScenarioFile(join(DIR, f));
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  it("fills dispensing defaults", () => {
    const s = small();
    delete s.dispensing.awayShare;
    const v = validateScenario(s);
    expect(v.ok && v.scenario.dispensing.awayShare).toBe(0.05);
  });

  it.each([
    ["a GTIN with a wrong check digit", (s: any) => (s.catalogue[4].gtin = "09506000134353"), /catalogue\[4\]\.gtin: 14 digits with a correct GS1 check digit/],
    ["a 20-digit prefix not starting with 8", (s: any) => (s.catalogue[0].cn20Prefix = "6385793"), /catalogue\[0\]\.cn20Prefix/],
    ["a coded drug with both codes", (s: any) => (s.catalogue[0].gtin = "09506000134352"), /exactly one of gtin or cn20Prefix/],
    ["a split pack of one unit", (s: any) => (s.catalogue[0].packUnits = 1), /at least 2 units/],
    ["a duplicate catalogue code", (s: any) => (s.catalogue[1].catalogue = s.catalogue[0].catalogue), /duplicate catalogue code/],
    ["an impossible start date", (s: any) => (s.startDate = "2026-02-30"), /startDate/],
    ["zero days", (s: any) => (s.days = 0), /days/],
    ["an unknown distribution", (s: any) => (s.dispensing.sessionsPerDay = { kind: "normal", mean: 3 }), /sessionsPerDay\.kind: one of/],
    ["a uniform with min > max", (s: any) => (s.dispensing.boxesPerSession = { kind: "uniform", min: 5, max: 2 }), /min must not exceed max/],
    ["a malformed opening window", (s: any) => (s.dispensing.openingHours = ["8:00-12:00"]), /openingHours\[0\]/],
    ["a share above 1", (s: any) => (s.dispensing.splitShare = 1.5), /splitShare: a share/],
    ["an unknown dispensing setting", (s: any) => (s.dispensing.splitshare = 0.2), /splitshare: unknown setting/],
    ["a duplicate clinic id", (s: any) => (s.clinics[1].id = "shangba"), /duplicate clinic id/],
    ["an unknown board kind", (s: any) => (s.clinics[0].boards[0].kind = "arduino"), /boards\[0\]\.kind/],
    ["a clinic without doctors", (s: any) => (s.clinics[0].doctors = []), /doctors/],
    ["a link that never comes up", (s: any) => (s.link = { outages: [] }), /link: needs always/],
    ["a fraud pattern at an unknown clinic", (s: any) => (s.fraud[1].clinic = "nowhere"), /fraud\[1\]\.clinic/],
    ["an unknown fraud pattern", (s: any) => (s.fraud[0].kind = "forgery"), /fraud\[0\]\.kind/],
    ["a replay on day 0", (s: any) => (s.fraud[3].day = 0), /fraud\[3\]\.day/],
    ["a fixed power cut at a bad time", (s: any) => (s.power.at[0].time = "25:00"), /power\.at\[0\]\.time/],
    ["neither clinics nor generate", (s: any) => delete s.clinics, /clinics: give clinics/],
  ])("refuses %s with a clear message", (_name, mutate, pattern) => {
    const s = small();
    mutate(s);
    expect(errorsOf(s).join("\n")).toMatch(pattern);
  });

  it("reports every problem at once", () => {
    const s = small();
    s.days = -1;
    s.catalogue[0].price = "cheap";
    s.clinics[0].patients = 0;
    expect(errorsOf(s).length).toBeGreaterThanOrEqual(3);
  });

  it("never throws on arbitrary input", () => {
    for (const junk of [null, 1, "x", [], {}, { catalogue: [null] }, { clinics: [1], generate: 2, fraud: [null], link: [], dispensing: { openingHours: 5 } }, { catalogue: "x", power: { at: "x" } }]) {
      expect(validateScenario(junk).ok).toBe(false);
    }
  });

  it("names the file and the JSON error for unreadable input", () => {
    const v = parseScenarioText("{ nope", "bad.json");
    expect(v.ok === false && v.errors[0]).toMatch(/^bad\.json: not valid JSON/);
    const missing = loadScenarioFile("/nonexistent/scenario.json");
    expect(missing.ok === false && missing.errors[0]).toMatch(/cannot read \(ENOENT\)/);
  });
});
