import { EV_DISPENSE, EV_UNDO } from "../../../protocol/src/record";
import { expiredPacks, expiryDay } from "../../../gateway/src/fraud/rules/expired-pack";
import { oddHourSessions } from "../../../gateway/src/fraud/rules/odd-hours";
import { patientMultiClinic } from "../../../gateway/src/fraud/rules/patient-multi-clinic";
import { replays } from "../../../gateway/src/fraud/rules/replay";
import { warnListHits } from "../../../gateway/src/fraud/rules/warn-list";
import { runRules } from "../../../gateway/src/fraud/rules";
import { generateHistory } from "../../../simulator/src/history";
import { cn20, cst, RowBuilder } from "./rows";

const A = cn20("8300001", 1);
const B = cn20("8300001", 2);
const GS1 = "(01)09506000134352(21)SN1";

describe("warn list", () => {
  it("fires on a dispensed code on the list and names the record", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [A, B]);
    const alerts = warnListHits(b.rows, new Set([B]));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "warn-list", code: B, device: "dev1", evidence: { records: ["dev1:3"] } });
  });
  it("stays silent when no code is on the list", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [A, B]);
    expect(warnListHits(b.rows, new Set([cn20("8300001", 9)]))).toEqual([]);
  });
});

describe("expired pack", () => {
  it("reads day 00 as the last day of the month, leap years included", () => {
    expect(expiryDay("240200")).toBe("2024-02-29");
    expect(expiryDay("250200")).toBe("2025-02-28");
    expect(expiryDay("251131")).toBeNull();
    expect(expiryDay("25x101")).toBeNull();
  });
  it("fires on a pack sold after its expiry day", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [GS1], { expiry: "250800" });
    const alerts = expiredPacks(b.rows);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "expired-pack", severity: "critical", evidence: { lastGoodDay: "2025-08-31", daysLate: 1, records: ["dev1:2"] } });
  });
  it("stays silent through the whole last good day (local time) and for packs without expiry", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-08-31 23:50"), [GS1], { expiry: "250800" });
    b.session("dev1", cst("2025-09-01 09:00"), [A]);
    expect(expiredPacks(b.rows)).toEqual([]);
  });
});

describe("patient at several clinics", () => {
  it("fires when one token opens sessions at two clinics on one day", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [A], { patient: "p1" });
    b.session("dev2", cst("2025-09-01 15:00"), [B], { patient: "p1" });
    const alerts = patientMultiClinic(b.rows);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "patient-multi-clinic", evidence: { clinics: ["H1", "H2"], day: "2025-09-01", records: ["dev1:1", "dev2:1"] } });
  });
  it("stays silent for visits on different days or to one clinic", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [A], { patient: "p1" });
    b.session("dev1", cst("2025-09-01 17:00"), [], { patient: "p1" });
    b.session("dev2", cst("2025-09-02 09:00"), [B], { patient: "p1" });
    expect(patientMultiClinic(b.rows)).toEqual([]);
  });
});

describe("odd hours", () => {
  it("groups a night's sessions across midnight into one alert", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 23:30"), [A]);
    b.session("dev1", cst("2025-09-02 02:10"), [B]);
    const alerts = oddHourSessions(b.rows);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "odd-hours", evidence: { night: "2025-09-01", sessions: 2, times: ["23:30", "02:10"] } });
  });
  it("stays silent in opening hours and honours per-clinic hours", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 08:00"), [A]);
    b.session("dev1", cst("2025-09-01 22:59"), [B]);
    b.session("dev2", cst("2025-09-02 01:00"), [cn20("8300001", 3)]);
    expect(oddHourSessions(b.rows, { byInstitution: { H2: { nightStart: 2 * 60, nightEnd: 5 * 60 } } })).toEqual([]);
    expect(oddHourSessions(b.rows)).toHaveLength(1);
  });
});

describe("replay", () => {
  it("fires on a code this device sold long ago", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [A]);
    const history = b.rows.slice();
    b.session("dev1", cst("2025-09-20 09:00"), [A]);
    const alerts = replays(b.rows.slice(history.length), history);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "replay", severity: "critical", code: A, evidence: { records: ["dev1:2", "dev1:5"], days: 19 } });
  });
  it("fires on a sequence number sent again with other content, and on seq going backwards", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [A, B]);
    const forged = { ...b.rows[1], code: cn20("8300001", 7) };
    const older = { ...b.rows[1], seq: 2, code: B };
    expect(replays([...b.rows, forged])).toHaveLength(1);
    const back = replays([b.rows[0], b.rows[2], b.rows[3], { ...older, seq: 2 }]);
    expect(back.map((a) => a.reason)).toEqual([expect.stringContaining("went backwards")]);
  });
  it("stays silent on identical retransmissions, split series and undone sales", () => {
    const b = new RowBuilder();
    b.session("dev1", cst("2025-09-01 09:00"), [A], { splits: [{ code: B, units: 2, perPack: 20 }] });
    const undo = b.add("dev1", cst("2025-09-01 09:10"), { event: EV_UNDO, ref: 2 });
    expect(undo.ref).toBe(2);
    b.session("dev1", cst("2025-09-20 09:00"), [A], { splits: [{ code: B, units: 2, perPack: 20 }] });
    expect(replays([...b.rows, ...b.rows.slice(0, 3)])).toEqual([]);
  });
});

describe("all rules on a generated normal history", () => {
  it("raise nothing but the after-hours emergency visits", () => {
    const h = generateHistory({ seed: 7, clinics: 8, days: 21 });
    const alerts = runRules(h.rows, [], { warned: new Set() });
    expect(alerts.filter((a) => a.kind !== "odd-hours")).toEqual([]);
    // emergencies are single late sessions, never a night's worth of them
    for (const a of alerts) expect(a.evidence.sessions).toBe(1);
  });
  it("catch the injected replay and patient hopping, on the injected records", () => {
    const h = generateHistory({ seed: 8, clinics: 8, days: 21, fraud: { "replay-device": 2, "patient-hopping": 2 } });
    const alerts = runRules(h.rows, []);
    for (const l of h.labels) {
      const kind = l.pattern === "replay-device" ? "replay" : "patient-multi-clinic";
      const hit = alerts.some((a) => a.kind === kind && (a.evidence.records as string[]).some((k) => l.records.includes(k)));
      expect(hit).toBe(true);
    }
    expect(h.rows.filter((r) => r.event === EV_DISPENSE).length).toBeGreaterThan(1000);
  });
});
