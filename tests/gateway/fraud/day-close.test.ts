// Fraud day close inside a running gateway: stored records of a business day turn into the
// rule alerts on the store and on the platform alerts topic, once per (kind, scope, day),
// also across a restart; due days are found from the clock.
import { startGateway, type GatewayHandle } from "../../../gateway/src/app";
import { GatewayBus } from "../../../gateway/src/bus/events";
import { alertKey, FraudDayCloser } from "../../../gateway/src/fraud/day-close";
import { silentLogger } from "../../../gateway/src/log/logger";
import { GatewayStore } from "../../../gateway/src/store/store";
import { FakePlatform } from "../fake-platform";
import { secretOf, tempDir, waitFor } from "../helpers";
import { cn20, cst, RowBuilder } from "./rows";

const brokerUrl = process.env.VT_TEST_BROKER_URL!;
const DAY = "2025-09-03";
const WARNED = cn20("8300009", 1);

/** Clinic HA (devices a1, a2) and HB (b1): one patient at both clinics, a session at 01:30, a warned box. */
function storedDay(dataDir: string): void {
  const clinic = (d: string) => (d.startsWith("a") ? "HA" : "HB");
  const b = new RowBuilder(clinic);
  b.session("a1", cst("2025-09-02 10:00"), [cn20("8300001", 1)], { patient: "p-old" }); // the day before: history
  b.session("a1", cst("2025-09-03 09:00"), [cn20("8300001", 2)], { patient: "p-hop" });
  b.session("b1", cst("2025-09-03 11:00"), [cn20("8300001", 3)], { patient: "p-hop" });
  b.session("a2", cst("2025-09-03 14:00"), [WARNED], { patient: "p-2" });
  b.session("a2", cst("2025-09-04 01:30"), [cn20("8300001", 4)]); // 01:30 belongs to the 3rd's night
  b.session("b1", cst("2025-09-04 09:00"), [cn20("8300001", 5)], { patient: "p-hop" }); // the next day: not judged
  const store = GatewayStore.open(dataDir);
  for (const id of ["a1", "a2", "b1"]) store.devices.add({ id, secret: secretOf(id), institution: clinic(id), operator: "dr-" + id }, cst("2025-09-01 08:00"));
  store.transaction(() => {
    for (const r of b.rows) {
      const { device, institution, operator, receivedAt, correctedTime, ...rec } = r;
      store.records.insert(device, rec, { fixedTime: correctedTime, timeTrusted: true, institution, operator, receivedAt });
    }
  });
  store.warnList.add(WARNED, cst("2025-09-01 08:00"), null);
  store.close();
}

function start(id: string, dataDir: string): Promise<GatewayHandle> {
  return startGateway(
    { id, dataDir, devices: { mode: "external", url: brokerUrl }, http: { enabled: false }, platform: { url: brokerUrl, ackTimeoutMs: 400, retryBaseMs: 50, retryMaxMs: 400 }, fraud: { enabled: false } },
    { logger: silentLogger() },
  );
}

const fraudKinds = (kinds: string[]) => kinds.filter((k) => k !== "duplicate-sale").sort();

describe("fraud day close in the gateway", () => {
  const gwId = "gw-fraud-" + process.pid;
  let platform: FakePlatform;
  beforeAll(async () => {
    platform = await FakePlatform.start(brokerUrl, [gwId]);
  });
  afterAll(() => platform.stop());

  it("raises the day's rule alerts on the store and the platform, once, across a restart", async () => {
    const dataDir = tempDir();
    storedDay(dataDir);
    let gw = await start(gwId, dataDir);
    try {
      const first = gw.fraud.closeDay(DAY);
      expect(first).toMatchObject({ day: DAY, found: 3, raised: 3 });
      expect(first.rows).toBe(12); // four sessions (open, box, close), the 01:30 one included
      const kinds = fraudKinds(gw.store.alerts.list().map((a) => a.kind));
      expect(kinds).toEqual(["odd-hours", "patient-multi-clinic", "warn-list"]);
      const warn = gw.store.alerts.list({ kind: "warn-list" })[0];
      expect(warn.code).toBe(WARNED);
      expect(warn.evidence).toMatchObject({ day: DAY, records: ["a2:2"] }); // a2:1 opens the session, a2:2 hands the box over
      await waitFor(() => fraudKinds(platform.alerts.map((a) => a.kind)).length === 3, 10_000, "alerts at the platform");
      expect(fraudKinds(platform.alerts.map((a) => a.kind))).toEqual(kinds);

      expect(gw.fraud.closeDay(DAY)).toMatchObject({ found: 3, raised: 0 });
      await gw.stop();
      gw = await start(gwId, dataDir);
      expect(gw.fraud.closeDay(DAY)).toMatchObject({ found: 3, raised: 0 });
      expect(gw.store.alerts.list()).toHaveLength(3);
      // a day with nothing odd raises nothing
      expect(gw.fraud.closeDay("2025-09-02")).toMatchObject({ found: 0, raised: 0 });
      await new Promise((r) => setTimeout(r, 300));
      expect(platform.alerts).toHaveLength(3);
    } finally {
      await gw.stop();
    }
  });
});

describe("due days and alert keys", () => {
  it("closes each ended business day once, oldest first, after the grace period", () => {
    const dataDir = tempDir();
    storedDay(dataDir);
    const store = GatewayStore.open(dataDir);
    let now = cst("2025-09-05 05:20"); // the 4th ended at 05:00 today: still in its grace period
    const closer = new FraudDayCloser(store, new GatewayBus(), { nowSec: () => now });
    try {
      expect(closer.dueDays(3, 1800)).toEqual(["2025-09-01", "2025-09-02", "2025-09-03"]);
      expect(closer.closeDue(3, 1800).map((r) => `${r.day} ${r.raised}`)).toEqual(["2025-09-01 0", "2025-09-02 0", "2025-09-03 3"]);
      expect(closer.dueDays(3, 1800)).toEqual([]);
      now = cst("2025-09-05 05:31");
      expect(closer.dueDays(3, 1800)).toEqual(["2025-09-04"]);
      expect(closer.closedDays().map((d) => d.day)).toEqual(["2025-09-01", "2025-09-02", "2025-09-03"]);
      expect(() => closer.closeDay("3.9.2025")).toThrow(/not a day/);
    } finally {
      store.close();
    }
  });

  it("tells alerts apart by kind, what they are about and the day", () => {
    const a = { kind: "anomaly" as const, severity: "warning" as const, reason: "", evidence: { scope: "clinic-day", entity: "HA" } };
    expect(alertKey(a, DAY)).toBe("anomaly|clinic-day:HA|2025-09-03");
    expect(alertKey(a, "2025-09-04")).not.toBe(alertKey(a, DAY));
    expect(alertKey({ ...a, evidence: { scope: "doctor-day", entity: "HA" } }, DAY)).not.toBe(alertKey(a, DAY));
  });
});
