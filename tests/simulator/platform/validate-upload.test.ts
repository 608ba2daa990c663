import {
  INFCODE_BAD_SCHEMA,
  INFCODE_MALFORMED,
  INFCODE_TOO_LARGE,
  INFCODE_TOPIC_MISMATCH,
  isPlatformTime,
  parseSaleKey,
  validateAlert,
  validateEnvelope,
  validateSale,
} from "../../../simulator/src/platform/validate-upload";
import { dispenseSale, upload } from "./sales-fixture";

const CODE = "83857930000879766660";

function errorOf(sale: unknown): string {
  const v = validateSale(sale);
  if (v.ok) throw new Error("expected the sale to be refused");
  return v.err_msg;
}

describe("platform upload envelope", () => {
  it("accepts a well-formed upload", () => {
    const v = validateEnvelope(upload("gw1", "m1", [dispenseSale("d1", 2, CODE)]), "gw1");
    expect(v.ok).toBe(true);
  });

  it.each([
    ["not an object", [1, 2], INFCODE_MALFORMED],
    ["missing msgId", { ...upload("gw1", "m1", []), msgId: undefined }, INFCODE_BAD_SCHEMA],
    ["wrong version", { ...upload("gw1", "m1", []), v: 2 }, INFCODE_BAD_SCHEMA],
    ["gateway not the topic's", upload("gw2", "m1", []), INFCODE_TOPIC_MISMATCH],
    ["unparseable sentAt", { ...upload("gw1", "m1", []), sentAt: "yesterday" }, INFCODE_BAD_SCHEMA],
    ["sales not an array", { ...upload("gw1", "m1", []), sales: {} }, INFCODE_BAD_SCHEMA],
    ["too many sales", upload("gw1", "m1", new Array(1001).fill(0)), INFCODE_TOO_LARGE],
  ])("refuses %s", (_name, msg, infcode) => {
    const v = validateEnvelope(msg, "gw1");
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.infcode).toBe(infcode);
      expect(v.err_msg.length).toBeGreaterThan(0);
    }
  });

  it("keeps the msgId of a refused upload so the ack can name it", () => {
    const v = validateEnvelope({ ...upload("gw1", "m7", []), v: 9 }, "gw1");
    expect(v.ok === false && v.msgId).toBe("m7");
  });
});

describe("platform sale validation", () => {
  it("accepts whole-box, split, no-code and return sales", () => {
    expect(validateSale(dispenseSale("d1", 2, CODE)).ok).toBe(true);
    expect(validateSale({ ...dispenseSale("d1", 3, CODE), trdn_flag: 1, sel_retn_cnt: 2, pack_units: 10 }).ok).toBe(true);
    const noCode = { ...dispenseSale("d1", 4, CODE), med_list_codg: "XA02BCA211A001010104321", sel_retn_cnt: 3 };
    delete (noCode as { drug_trac_codg?: string }).drug_trac_codg;
    expect(validateSale(noCode).ok).toBe(true);
    expect(validateSale({ ...dispenseSale("d1", 5, CODE), kind: "return", ref_key: "d1:2" }).ok).toBe(true);
    expect(validateSale({ ...dispenseSale("d1", 6, CODE), drug_trac_codg: undefined, drugtracinfo: [{ drug_trac_codg: CODE }] }).ok).toBe(true);
  });

  it.each([
    ["key without seq", { key: "d1" }, /key/],
    ["key with seq 0", { key: "d1:0", seq: 0 }, /key/],
    ["device not the key's", { device: "d2" }, /device/],
    ["seq not the key's", { seq: 3 }, /seq/],
    ["unknown kind", { kind: "gift" }, /kind/],
    ["missing institution", { fixmedins_code: "" }, /fixmedins_code/],
    ["trdn_flag as string", { trdn_flag: "0" }, /trdn_flag/],
    ["zero quantity", { sel_retn_cnt: 0 }, /sel_retn_cnt/],
    ["ISO time", { sel_retn_time: "2026-03-02T09:15:00" }, /sel_retn_time/],
    ["impossible date", { sel_retn_time: "2026-02-30 09:15:00" }, /sel_retn_time/],
    ["hour 24", { sel_retn_time: "2026-03-02 24:00:00" }, /sel_retn_time/],
    ["time_trusted missing", { time_trusted: undefined }, /time_trusted/],
    ["no operator", { sel_retn_opter_name: undefined }, /opter/],
    ["code too long", { drug_trac_codg: "8".repeat(43) }, /drug_trac_codg/],
    ["two boxes on one code", { sel_retn_cnt: 2 }, /one box, one code/],
    ["split without pack_units", { trdn_flag: 1, sel_retn_cnt: 2 }, /pack_units/],
    ["split over the pack", { trdn_flag: 1, sel_retn_cnt: 11, pack_units: 10 }, /exceeds pack_units/],
    ["trace code and catalogue code", { med_list_codg: "X1" }, /not both/],
    ["neither code", { drug_trac_codg: undefined }, /needs drug_trac_codg/],
    ["disagreeing drugtracinfo", { drugtracinfo: [{ drug_trac_codg: "8".repeat(20) }] }, /differs/],
    ["return without ref_key", { kind: "return" }, /ref_key/],
    ["return of a later record", { kind: "return", ref_key: "d1:9" }, /earlier record/],
    ["return of another device", { kind: "return", ref_key: "d2:1" }, /earlier record/],
    ["ref_key on a sale", { ref_key: "d1:1" }, /only for returns/],
    ["bad expiry", { expy_end: "2026-13-01" }, /expy_end/],
  ])("refuses %s with a clear message", (_name, patch, pattern) => {
    expect(errorOf({ ...dispenseSale("d1", 5, CODE), ...patch })).toMatch(pattern);
  });

  it("never throws on arbitrary input", () => {
    for (const junk of [null, undefined, 7, "x", [], [1], { key: {} }, { key: "a:1", device: "a", seq: 1, kind: "sale", trdn_flag: 1 }]) {
      expect(validateSale(junk).ok).toBe(false);
    }
  });
});

describe("platform formats", () => {
  it("parses sale keys", () => {
    expect(parseSaleKey("c001-e1:42")).toEqual({ device: "c001-e1", seq: 42 });
    expect(parseSaleKey("a:b:1")).toBeNull();
    expect(parseSaleKey("a/b:1")).toBeNull();
    expect(parseSaleKey(":1")).toBeNull();
  });

  it("checks platform times", () => {
    expect(isPlatformTime("2028-02-29 23:59:59")).toBe(true);
    expect(isPlatformTime("2027-02-29 00:00:00")).toBe(false);
    expect(isPlatformTime("2026-3-2 9:15:00")).toBe(false);
  });

  it("validates alerts", () => {
    const alert = { v: 1, gateway: "gw1", id: "a1", kind: "duplicate-sale", severity: "critical", at: "2026-03-02T01:00:00Z", reason: "sold twice", evidence: { keys: ["d1:2", "d2:5"] } };
    expect(validateAlert(alert, "gw1").ok).toBe(true);
    expect(validateAlert({ ...alert, kind: "gossip" }, "gw1").ok).toBe(false);
    expect(validateAlert({ ...alert, evidence: "x" }, "gw1").ok).toBe(false);
    expect(validateAlert(alert, "gw2").ok).toBe(false);
  });
});
