import type { PlatformSale } from "../../../protocol/src/platform";
import { EV_CLOSE, EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import { auditExactlyOnce, type AcceptedScan } from "../../../simulator/src/platform/audit";
import { dispenseSale } from "./sales-fixture";

const C1 = "83857930000879766660";
const C2 = "0109506000134352" + "21SN123";

const truth: AcceptedScan[] = [
  { device: "d1", seq: 1, event: EV_OPEN },
  { device: "d1", seq: 2, event: EV_DISPENSE, code: C1 },
  { device: "d1", seq: 3, event: EV_SPLIT, code: C2, units: 2 },
  { device: "d1", seq: 4, event: EV_NOCODE, code: "XA02", units: 3 },
  { device: "d1", seq: 5, event: EV_UNDO, ref: 2 },
  { device: "d1", seq: 6, event: EV_CLOSE },
];

function platformCopy(): PlatformSale[] {
  const split: PlatformSale = { ...dispenseSale("d1", 3, C2), trdn_flag: 1, sel_retn_cnt: 2, pack_units: 10 };
  const noCode: PlatformSale = { ...dispenseSale("d1", 4, C1), drug_trac_codg: undefined, med_list_codg: "XA02", sel_retn_cnt: 3 };
  const undo: PlatformSale = { ...dispenseSale("d1", 5, C1), kind: "return", ref_key: "d1:2" };
  return [dispenseSale("d1", 2, C1), split, noCode, undo];
}

describe("exactly-once audit", () => {
  it("passes when every accepted sale arrived once with its content", () => {
    const r = auditExactlyOnce(truth, platformCopy());
    expect(r).toMatchObject({ passed: true, expected: 4, received: 4, matched: 4, missing: 0, duplicated: 0, phantom: 0, mismatched: 0 });
  });

  it("counts a missing sale", () => {
    const r = auditExactlyOnce(truth, platformCopy().filter((s) => s.key !== "d1:3"));
    expect(r).toMatchObject({ passed: false, missing: 1 });
    expect(r.examples.missing).toEqual(["d1:3"]);
  });

  it("counts a key stored twice and a scan stored again under a new key as duplicated", () => {
    const twice = auditExactlyOnce(truth, [...platformCopy(), dispenseSale("d1", 2, C1)]);
    expect(twice).toMatchObject({ passed: false, duplicated: 1, phantom: 0 });
    const rekeyed = auditExactlyOnce(truth, [...platformCopy(), dispenseSale("d1", 9, C1)]);
    expect(rekeyed).toMatchObject({ passed: false, duplicated: 1, phantom: 0 });
    expect(rekeyed.examples.duplicated).toEqual(["d1:9"]);
  });

  it("counts a sale nobody scanned as phantom, and so a session record uploaded as a sale", () => {
    const r = auditExactlyOnce(truth, [...platformCopy(), dispenseSale("d7", 2, C1), dispenseSale("d1", 6, C2)]);
    expect(r).toMatchObject({ passed: false, phantom: 2, duplicated: 0 });
    expect(r.examples.phantom.sort()).toEqual(["d1:6", "d7:2"]);
  });

  it("reports field mismatches on code, event, quantity and undo reference", () => {
    const sales = platformCopy();
    sales[0] = dispenseSale("d1", 2, "83857930000000000001");
    sales[1] = { ...sales[1], sel_retn_cnt: 3 };
    sales[2] = { ...sales[2], kind: "return", ref_key: "d1:1" };
    sales[3] = { ...sales[3], ref_key: "d1:3" };
    const r = auditExactlyOnce(truth, sales);
    expect(r).toMatchObject({ passed: false, mismatched: 4, matched: 0 });
    expect(r.examples.mismatches.map((m) => m.key + "/" + m.field).sort()).toEqual(["d1:2/code", "d1:3/quantity", "d1:4/event", "d1:5/ref"]);
  });

  it("keeps examples bounded on a large failure", () => {
    const many: AcceptedScan[] = [];
    for (let i = 1; i <= 500; i++) many.push({ device: "d1", seq: i, event: EV_DISPENSE, code: "8" + String(i).padStart(19, "0") });
    const r = auditExactlyOnce(many, [], 5);
    expect(r.missing).toBe(500);
    expect(r.examples.missing).toHaveLength(5);
  });
});
