import { EV_NOCODE, EV_UNDO } from "../../../protocol/src/record";
import { businessDay, computeFeatures, FEATURE_NAMES } from "../../../gateway/src/fraud/features";
import { fitNormaliser, normalise } from "../../../gateway/src/fraud/normalise";
import { cn20, cst, RowBuilder } from "./rows";

const feature = (values: number[], name: (typeof FEATURE_NAMES)[number]) => values[FEATURE_NAMES.indexOf(name)];
const prices = new Map([["8300001", { price: 10 }], ["8300002", { price: 200 }], ["8300003", { price: 5 }]]);
const priceOf = (p: string) => prices.get(p);

describe("features on hand-made rows", () => {
  // clinic H1 on Monday 2025-09-01: three sessions, one at 23:30; dev2 (H2) resells a box of H1
  const b = new RowBuilder();
  b.session("dev1", cst("2025-09-01 09:00"), [cn20("8300001", 1), cn20("8300002", 2)], { patient: "pa" });
  b.session("dev1", cst("2025-09-01 10:00"), [cn20("8300001", 3)], { patient: "pa", splits: [{ code: cn20("8300003", 4), units: 5, perPack: 20 }] });
  const late = b.session("dev1", cst("2025-09-01 23:30"), [cn20("8300002", 5)]);
  b.add("dev1", cst("2025-09-01 23:31"), { event: EV_NOCODE, session: late[0].seq, code: "XN8300001", units: 2 });
  b.add("dev1", cst("2025-09-01 23:32"), { event: EV_UNDO, session: late[0].seq, ref: late[1].seq }, { trusted: false });
  b.session("dev2", cst("2025-09-02 09:00"), [cn20("8300001", 1)], { patient: "pb" });
  const vs = computeFeatures(b.rows, { scope: "clinic-day", priceOf });

  it("gives one vector per clinic and business day, the 23:30 session with its day", () => {
    expect(vs.map((v) => `${v.entity} ${v.day} ${v.sessions}`)).toEqual(["H1 2025-09-01 3", "H2 2025-09-02 1"]);
    expect(businessDay(cst("2025-09-02 04:59"))).toBe("2025-09-01");
    expect(businessDay(cst("2025-09-02 05:00"))).toBe("2025-09-02");
    expect(vs[0].sessionKeys).toEqual(["dev1:1", "dev1:5", "dev1:9"]);
  });

  it("computes every figure of the clinic-day", () => {
    const v = vs[0].values;
    expect(v).toHaveLength(FEATURE_NAMES.length);
    expect(feature(v, "sessions_log")).toBeCloseTo(Math.log(4));
    expect(feature(v, "sessions_vs_usual")).toBe(0); // no history yet
    expect(feature(v, "items_per_session")).toBeCloseTo(6 / 3); // 4 boxes, 1 split take, 1 no-code
    expect(feature(v, "max_items_log")).toBeCloseTo(Math.log(3));
    expect(feature(v, "high_price_share")).toBeCloseTo(2 / 6);
    // 10 + 200 + 10 + 5 * 5/20 + 200 + 0 (no-code items carry no box price) = 421.25 over 3 sessions
    expect(feature(v, "value_per_session_log")).toBeCloseTo(Math.log1p(421.25 / 3));
    expect(feature(v, "night_share")).toBeCloseTo(1 / 3);
    expect(feature(v, "night_sessions_log")).toBeCloseTo(Math.log(2));
    expect(feature(v, "split_share")).toBeCloseTo(1 / 6);
    expect(feature(v, "nocode_share")).toBeCloseTo(1 / 6);
    expect(feature(v, "voucher_share")).toBeCloseTo(2 / 3);
    expect(feature(v, "distinct_patient_ratio")).toBeCloseTo(1 / 2);
    expect(feature(v, "returning_patient_share")).toBe(0);
    expect(feature(v, "duplicate_hits_log")).toBe(0);
    expect(feature(v, "undo_share")).toBeCloseTo(1 / 6);
    expect(feature(v, "upload_delay_log")).toBeCloseTo(Math.log1p(60 / 3600));
    expect(feature(v, "untrusted_share")).toBeCloseTo(1 / 13); // 13 records, the undo unstamped
    expect(feature(v, "new_devices")).toBe(0); // first day of data: every device is new, none counted
    expect(feature(v, "weekend")).toBe(0);
  });

  it("counts the resold box, the new device and the trailing figures on the next day", () => {
    const v = vs[1].values;
    expect(feature(v, "duplicate_hits_log")).toBeCloseTo(Math.log(2));
    expect(feature(v, "new_devices")).toBe(1);
    // H2's first day: no history of its own yet
    expect(feature(v, "sessions_vs_usual")).toBe(0);
  });

  it("scores doctor-days apart from clinic-days and ignores retransmitted records", () => {
    const again = computeFeatures([...b.rows, ...b.rows.slice(0, 4)], { scope: "doctor-day", priceOf });
    expect(again.map((v) => v.entity)).toEqual(["dr-dev1", "dr-dev2"]);
    expect(again[0].values).toEqual(computeFeatures(b.rows, { scope: "doctor-day", priceOf })[0].values);
  });

  it("marks returning patients from the previous fourteen days", () => {
    const c = new RowBuilder();
    c.session("dev1", cst("2025-09-01 09:00"), [cn20("8300001", 1)], { patient: "pa" });
    c.session("dev1", cst("2025-09-06 09:00"), [cn20("8300001", 2)], { patient: "pa" });
    c.session("dev1", cst("2025-09-06 10:00"), [cn20("8300001", 3)], { patient: "pc" });
    const sat = computeFeatures(c.rows, { scope: "clinic-day", fromDay: "2025-09-06" });
    expect(sat).toHaveLength(1);
    expect(feature(sat[0].values, "returning_patient_share")).toBeCloseTo(1 / 2);
    expect(feature(sat[0].values, "weekend")).toBe(1);
    // usual = median of 4 quiet days (0) and one day with a session -> 0
    expect(feature(sat[0].values, "sessions_vs_usual")).toBeCloseTo(Math.log(3));
  });
});

describe("normaliser", () => {
  it("standardises on training statistics, floors the spread and clips", () => {
    const n = fitNormaliser([[0, 5], [2, 5], [4, 5]], 10);
    expect(n.mean).toEqual([2, 5]);
    expect(normalise(n, [2 + Math.sqrt(8 / 3), 5])[0]).toBeCloseTo(1);
    expect(normalise(n, [2, 6])[1]).toBe(10); // spread 0 floored, then clipped
    expect(normalise(n, [NaN, 5])).toEqual([0, 0]);
    expect(() => normalise(n, [1])).toThrow(/features/);
  });
});
