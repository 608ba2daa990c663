// Checks a scenario file and fills in defaults. Every problem is reported with its path, all
// at once; nothing here throws, whatever the input.
import { distErrors } from "./dist";
import { localMidnightMs, parseHhMm, parseWindow } from "./clock";
import { isValidGtin14 } from "./codes";
import type { DispensingPattern, Scenario } from "./types";

/** Id of the i-th (1-based) generated clinic: "c" + "001". */
export function generatedClinicId(prefix: string, i: number): string {
  return prefix + String(i).padStart(3, "0");
}

export type ScenarioVerdict = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

export const MAX_DAYS = 60;
export const MAX_CLINICS = 5000;
export const MAX_BOARDS_PER_CLINIC = 20;

const DISPENSING_DEFAULTS: Omit<DispensingPattern, "sessionsPerDay" | "boxesPerSession" | "openingHours"> = {
  splitShare: 0,
  noCodeShare: 0,
  undoShare: 0,
  voucherShare: 0.7,
  buttonCloseShare: 0.8,
  retailMisscanShare: 0,
  awayShare: 0.05,
};

const ID_RE = /^[a-z0-9]{1,12}$/;
const FRAUD_KINDS = ["two-clinic-sale", "night-phantom", "bulk-doctor", "replay-device"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isShare = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;
const isCount = (v: unknown, min = 0) => typeof v === "number" && Number.isInteger(v) && v >= min;
const isText = (v: unknown, max = 100) => typeof v === "string" && v.length > 0 && v.length <= max;

class Checker {
  readonly errors: string[] = [];
  need(cond: boolean, path: string, msg: string): boolean {
    if (!cond) this.errors.push(path + ": " + msg);
    return cond;
  }
  dist(v: unknown, path: string): void {
    this.errors.push(...distErrors(v, path));
  }
  windows(v: unknown, path: string): void {
    if (!this.need(Array.isArray(v), path, "an array of \"HH:MM-HH:MM\" windows")) return;
    (v as unknown[]).forEach((w, i) => this.need(parseWindow(w as string) !== null, path + "[" + i + "]", "expected \"HH:MM-HH:MM\", got " + JSON.stringify(w)));
  }
  link(v: unknown, path: string): void {
    if (!this.need(isObj(v), path, "an object such as {\"daily\": [\"20:00-21:00\"]}")) return;
    const l = v as Obj;
    if (l.always !== undefined) this.need(typeof l.always === "boolean", path + ".always", "true or false");
    if (l.daily !== undefined) this.windows(l.daily, path + ".daily");
    if (l.outages !== undefined) {
      if (this.need(Array.isArray(l.outages), path + ".outages", "an array")) {
        (l.outages as unknown[]).forEach((o, i) => {
          const p = path + ".outages[" + i + "]";
          if (this.need(isObj(o), p, "{fromDay, days}")) {
            this.need(isCount((o as Obj).fromDay), p + ".fromDay", "an integer >= 0");
            this.need(isCount((o as Obj).days, 1), p + ".days", "an integer >= 1");
          }
        });
      }
    }
    this.need(l.always === true || l.daily !== undefined, path, "needs always: true or daily windows (a board with no link at all cannot deliver)");
  }
  power(v: unknown, path: string): void {
    if (!this.need(isObj(v), path, "an object")) return;
    const p = v as Obj;
    if (p.cutsPerDay !== undefined) this.need(typeof p.cutsPerDay === "number" && p.cutsPerDay >= 0 && p.cutsPerDay <= 50, path + ".cutsPerDay", "a number in 0..50");
    if (p.cutSeconds !== undefined) this.dist(p.cutSeconds, path + ".cutSeconds");
    if (p.at !== undefined && this.need(Array.isArray(p.at), path + ".at", "an array")) {
      (p.at as unknown[]).forEach((c, i) => {
        const q = path + ".at[" + i + "]";
        if (!this.need(isObj(c), q, "{day, time, seconds}")) return;
        const o = c as Obj;
        this.need(isCount(o.day), q + ".day", "an integer >= 0");
        this.need(typeof o.time === "string" && !Number.isNaN(parseHhMm(o.time)), q + ".time", "\"HH:MM\"");
        this.need(isCount(o.seconds, 1), q + ".seconds", "an integer >= 1");
        if (o.clinic !== undefined) this.need(isText(o.clinic), q + ".clinic", "a clinic id");
      });
    }
  }
  dispensing(v: unknown, path: string, partial: boolean): void {
    if (!this.need(isObj(v), path, "an object")) return;
    const d = v as Obj;
    for (const k of ["sessionsPerDay", "boxesPerSession"]) {
      if (d[k] !== undefined) this.dist(d[k], path + "." + k);
      else this.need(partial, path + "." + k, "required");
    }
    if (d.openingHours !== undefined) this.windows(d.openingHours, path + ".openingHours");
    else this.need(partial, path + ".openingHours", "required");
    for (const k of Object.keys(DISPENSING_DEFAULTS)) {
      if (d[k] !== undefined) this.need(isShare(d[k]), path + "." + k, "a share in 0..1");
    }
    for (const k of Object.keys(d)) {
      this.need(k in DISPENSING_DEFAULTS || k === "sessionsPerDay" || k === "boxesPerSession" || k === "openingHours", path + "." + k, "unknown setting");
    }
  }
}

export function validateScenario(raw: unknown): ScenarioVerdict {
  const c = new Checker();
  if (!isObj(raw)) return { ok: false, errors: ["scenario: expected a JSON object"] };
  const s = raw;
  c.need(isText(s.name), "name", "required text");
  if (s.seed !== undefined) c.need(isCount(s.seed) && (s.seed as number) <= 0xffffffff, "seed", "an integer in 0..2^32-1");
  c.need(typeof s.startDate === "string" && !Number.isNaN(localMidnightMs(s.startDate)), "startDate", "a real date \"YYYY-MM-DD\"");
  c.need(isCount(s.days, 1) && (s.days as number) <= MAX_DAYS, "days", "an integer in 1.." + MAX_DAYS);

  // Catalogue.
  const catalogues = new Set<string>();
  if (c.need(Array.isArray(s.catalogue) && s.catalogue.length > 0, "catalogue", "a non-empty array of drugs")) {
    (s.catalogue as unknown[]).forEach((d, i) => {
      const p = "catalogue[" + i + "]";
      if (!c.need(isObj(d), p, "a drug object")) return;
      const o = d as Obj;
      if (c.need(isText(o.catalogue, 50), p + ".catalogue", "required catalogue code")) {
        c.need(!catalogues.has(o.catalogue as string), p + ".catalogue", "duplicate catalogue code " + o.catalogue);
        catalogues.add(o.catalogue as string);
      }
      c.need(isText(o.name), p + ".name", "required");
      c.need(typeof o.price === "number" && o.price > 0, p + ".price", "a positive number (yuan)");
      c.need(isCount(o.packUnits, 1), p + ".packUnits", "an integer >= 1");
      c.need(typeof o.splittable === "boolean", p + ".splittable", "true or false");
      c.need(typeof o.noCode === "boolean", p + ".noCode", "true or false");
      if (o.weight !== undefined) c.need(typeof o.weight === "number" && o.weight > 0, p + ".weight", "a positive number");
      if (o.splittable === true) c.need(isCount(o.packUnits, 2), p + ".packUnits", "a splittable pack needs at least 2 units");
      if (o.gtin !== undefined) c.need(typeof o.gtin === "string" && isValidGtin14(o.gtin), p + ".gtin", "14 digits with a correct GS1 check digit, got " + JSON.stringify(o.gtin));
      if (o.cn20Prefix !== undefined) c.need(typeof o.cn20Prefix === "string" && /^8\d{6}$/.test(o.cn20Prefix), p + ".cn20Prefix", "7 digits starting with 8, got " + JSON.stringify(o.cn20Prefix));
      if (o.noCode !== true) c.need((o.gtin === undefined) !== (o.cn20Prefix === undefined), p, "a coded drug needs exactly one of gtin or cn20Prefix");
      else c.need(o.gtin === undefined && o.cn20Prefix === undefined && o.splittable !== true, p, "a no-code-list drug has no gtin, no cn20Prefix and is not split");
    });
  }

  if (c.need(s.dispensing !== undefined, "dispensing", "required")) c.dispensing(s.dispensing, "dispensing", false);
  if (c.need(s.link !== undefined, "link", "required")) c.link(s.link, "link");
  if (s.power !== undefined) c.power(s.power, "power");

  // Clinics: explicit, generated, or both.
  const clinicIds = new Set<string>();
  c.need(s.clinics !== undefined || s.generate !== undefined, "clinics", "give clinics, generate, or both");
  if (s.clinics !== undefined && c.need(Array.isArray(s.clinics), "clinics", "an array")) {
    (s.clinics as unknown[]).forEach((cl, i) => {
      const p = "clinics[" + i + "]";
      if (!c.need(isObj(cl), p, "a clinic object")) return;
      const o = cl as Obj;
      if (c.need(typeof o.id === "string" && ID_RE.test(o.id), p + ".id", "1..12 of a-z, 0-9")) {
        c.need(!clinicIds.has(o.id as string), p + ".id", "duplicate clinic id " + o.id);
        clinicIds.add(o.id as string);
      }
      c.need(isText(o.institution, 30), p + ".institution", "required institution code");
      c.need(isText(o.village), p + ".village", "required");
      c.need(Array.isArray(o.doctors) && o.doctors.length > 0 && o.doctors.every((d) => isText(d, 50)), p + ".doctors", "a non-empty array of names");
      c.need(isCount(o.patients, 1), p + ".patients", "an integer >= 1");
      if (c.need(Array.isArray(o.boards) && o.boards.length > 0, p + ".boards", "a non-empty array of {kind, count}")) {
        let n = 0;
        (o.boards as unknown[]).forEach((b, j) => {
          const q = p + ".boards[" + j + "]";
          if (!c.need(isObj(b), q, "{kind, count}")) return;
          const bo = b as Obj;
          c.need(bo.kind === "pico" || bo.kind === "esp32", q + ".kind", "\"pico\" or \"esp32\"");
          if (bo.count !== undefined) c.need(isCount(bo.count, 1), q + ".count", "an integer >= 1");
          n += typeof bo.count === "number" ? bo.count : 1;
        });
        c.need(n <= MAX_BOARDS_PER_CLINIC, p + ".boards", "at most " + MAX_BOARDS_PER_CLINIC + " boards per clinic");
      }
      if (o.dispensing !== undefined) c.dispensing(o.dispensing, p + ".dispensing", true);
      if (o.link !== undefined) c.link(o.link, p + ".link");
      if (o.power !== undefined) c.power(o.power, p + ".power");
    });
  }
  if (s.generate !== undefined && c.need(isObj(s.generate), "generate", "an object")) {
    const g = s.generate as Obj;
    c.need(isCount(g.count, 1) && (g.count as number) <= MAX_CLINICS, "generate.count", "an integer in 1.." + MAX_CLINICS);
    c.need(typeof g.idPrefix === "string" && /^[a-z]{1,4}$/.test(g.idPrefix), "generate.idPrefix", "1..4 of a-z");
    c.need(typeof g.institutionPrefix === "string" && /^[A-Z0-9]{1,20}$/.test(g.institutionPrefix), "generate.institutionPrefix", "1..20 of A-Z, 0-9");
    for (const k of ["picoBoards", "esp32Boards", "doctors", "patients"]) c.dist(g[k], "generate." + k);
    if (g.linkVariants !== undefined && c.need(Array.isArray(g.linkVariants), "generate.linkVariants", "an array")) {
      (g.linkVariants as unknown[]).forEach((v, i) => {
        const p = "generate.linkVariants[" + i + "]";
        if (!c.need(isObj(v), p, "{share, link}")) return;
        c.need(isShare((v as Obj).share), p + ".share", "a share in 0..1");
        c.link((v as Obj).link, p + ".link");
      });
    }
  }

  const generatedIds = new Set<string>();
  if (isObj(s.generate) && isCount(s.generate.count, 1) && (s.generate.count as number) <= MAX_CLINICS && typeof s.generate.idPrefix === "string") {
    for (let i = 1; i <= (s.generate.count as number); i++) generatedIds.add(generatedClinicId(s.generate.idPrefix, i));
  }
  for (const id of generatedIds) c.need(!clinicIds.has(id), "generate", "generated clinic id " + id + " clashes with an explicit clinic");

  if (s.fraud !== undefined && c.need(Array.isArray(s.fraud), "fraud", "an array")) {
    (s.fraud as unknown[]).forEach((f, i) => {
      const p = "fraud[" + i + "]";
      if (!c.need(isObj(f), p, "a fraud pattern object")) return;
      const o = f as Obj;
      if (!c.need(FRAUD_KINDS.includes(o.kind as string), p + ".kind", "one of " + FRAUD_KINDS.join(", "))) return;
      if (o.clinic !== undefined) c.need(typeof o.clinic === "string" && (clinicIds.has(o.clinic) || generatedIds.has(o.clinic)), p + ".clinic", "an existing clinic id, got " + JSON.stringify(o.clinic));
      if (o.day !== undefined) c.need(isCount(o.day) && (o.day as number) < (s.days as number), p + ".day", "a day of the scenario (0-based)");
      if (o.kind === "bulk-doctor") {
        c.need(isCount(o.sessions, 1), p + ".sessions", "an integer >= 1");
        c.need(isCount(o.boxesPerSession, 1), p + ".boxesPerSession", "an integer >= 1");
      } else {
        c.need(isCount(o.count, 1), p + ".count", "an integer >= 1");
      }
      if (o.kind === "replay-device" && o.day !== undefined) c.need((o.day as number) >= 1, p + ".day", "a replay needs an earlier day to replay from (>= 1)");
      if (o.kind === "replay-device") c.need(isCount(s.days, 2), p, "needs a scenario of at least 2 days");
      if (o.kind === "two-clinic-sale") c.need(clinicIds.size + generatedIds.size >= 2, p, "needs at least 2 clinics");
    });
  }

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  const scenario = JSON.parse(JSON.stringify(s)) as Scenario;
  scenario.dispensing = { ...DISPENSING_DEFAULTS, ...scenario.dispensing };
  return { ok: true, scenario };
}
