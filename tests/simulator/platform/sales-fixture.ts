// Well-formed platform sales and uploads to start each platform test from.
import type { PlatformSale, PlatformUpload } from "../../../protocol/src/platform";

export function dispenseSale(device: string, seq: number, code: string): PlatformSale {
  return {
    key: device + ":" + seq,
    device,
    seq,
    kind: "sale",
    fixmedins_code: "H51012200001",
    drug_trac_codg: code,
    trdn_flag: 0,
    sel_retn_cnt: 1,
    sel_retn_time: "2026-03-02 09:15:00",
    time_trusted: true,
    sel_retn_opter_name: "Dr Li",
    session_key: device + ":1",
  };
}

export function upload(gateway: string, msgId: string, sales: unknown[]): PlatformUpload {
  return { v: 1, gateway, msgId, sentAt: "2026-03-02T01:20:00Z", sales: sales as PlatformSale[] };
}
