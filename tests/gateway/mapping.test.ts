import { chinaTime, expiryDate, toPlatformSale } from "../../gateway/src/relay/mapping";
import type { StoredRecord } from "../../gateway/src/store/types";
import { EV_CLOSE, EV_OPEN, EV_SPLIT, EV_UNDO, OPEN_BY_VOUCHER } from "../../protocol/src/record";

function stored(seq: number, extra: Partial<StoredRecord>): StoredRecord {
  return { id: seq, device: "D", key: "D:" + seq, seq, time: 0, trusted: true, boot: 1, uptime: 0, event: EV_SPLIT, session: 0, fixedTime: 1_700_000_000, timeTrusted: true, institution: "H1", operator: "Dr Li", receivedAt: 0, relayedAt: null, relayError: null, ...extra };
}

describe("record -> PlatformSale", () => {
  it("formats times in China Standard Time and GS1 expiry dates", () => {
    expect(chinaTime(0)).toBe("1970-01-01 08:00:00");
    expect(chinaTime(1_700_000_000)).toBe("2023-11-15 06:13:20");
    expect(expiryDate("271231")).toBe("2027-12-31");
    expect(expiryDate("240200")).toBe("2024-02-29"); // day 00: end of month, leap year
    expect(expiryDate("241301")).toBeUndefined();
  });

  it("maps a split sale with its session's patient and GS1 batch", () => {
    const open = stored(1, { event: EV_OPEN, openBy: OPEN_BY_VOUCHER, patient: "0123456789abcdef" });
    const sale = toPlatformSale(stored(2, { session: 1, code: "0109506000134352", units: 2, perPack: 10, batch: "A1B2", expiry: "271200" }), { open, undone: null });
    expect(sale).toEqual({
      key: "D:2", device: "D", seq: 2, kind: "sale", fixmedins_code: "H1", trdn_flag: 1, sel_retn_cnt: 2, pack_units: 10,
      sel_retn_time: "2023-11-15 06:13:20", time_trusted: true, sel_retn_opter_name: "Dr Li",
      drug_trac_codg: "0109506000134352", drugtracinfo: [{ drug_trac_codg: "0109506000134352" }],
      manu_lotnum: "A1B2", expy_end: "2027-12-31", session_key: "D:1", psn_token_hash: "0123456789abcdef",
    });
  });

  it("maps an undo to a return of the withdrawn item and skips session markers", () => {
    const undone = stored(2, { code: "83857930000879766660", units: 3, perPack: 10 });
    const ret = toPlatformSale(stored(3, { event: EV_UNDO, ref: 2 }), { open: null, undone });
    expect(ret).toMatchObject({ kind: "return", ref_key: "D:2", drug_trac_codg: "83857930000879766660", trdn_flag: 1, sel_retn_cnt: 3 });
    expect(toPlatformSale(stored(4, { event: EV_CLOSE }), { open: null, undone: null })).toBeNull();
  });
});
