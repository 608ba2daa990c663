// Pins the journal's on-flash bytes (firmware/README.md, "Journal"): page headers and every
// record kind, written by a fixed sequence of calls, must come out byte for byte as boards in
// the field already hold them. Headers are read by the tests' own decoder, from the table.
import { createHash } from "node:crypto";
import { Journal } from "../../../firmware/src/journal/journal";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, EV_CLOSE, OPEN_BY_VOUCHER, OPEN_BY_RX } from "../../../protocol/src/record";
import { FakeFlash, crc32Str } from "./fake-flash";
import { readHeader as header } from "./journal-header";

const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");

function scenario(): FakeFlash {
  const flash = new FakeFlash(64 * 1024);
  const j = new Journal(flash, { prefix: "vtj", pages: 3, pageSize: 256, crc32: crc32Str, ackPersistEvery: 4 });
  j.open();
  j.markBoot(1_700_000_000, 3);
  j.append({ event: EV_OPEN, openBy: OPEN_BY_VOUCHER, patient: "0011223344556677" }, 5);
  j.append({ event: EV_DISPENSE, code: "83857930000879766660" }, 7);
  j.append({ event: EV_DISPENSE, code: "(01)09506000134352(21)SN123", batch: "A1B2", expiry: "271231" }, 40);
  j.append({ event: EV_SPLIT, code: "81234567890123456789", units: 2, perPack: 10 }, 41);
  j.append({ event: EV_SPLIT, code: "X12", batch: "B", units: 1, perPack: 3 }, 300);
  j.append({ event: EV_UNDO, ref: 3 }, 100000);
  j.append({ event: EV_NOCODE, code: "XA01BAC039A001010104445", units: 300 }, 100001);
  j.append({ event: EV_CLOSE }, 100001);
  j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX2025-0001" }, 100002);
  j.append({ event: EV_CLOSE }, 100003);
  j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX123456789" }, 100004);
  j.markTime(1_750_000_000, 100005);
  j.ack(6, 100006);
  for (let i = 0; i < 30; i++) j.append({ event: EV_DISPENSE, code: "8" + String(1000000000000000000 + i * 7919).slice(-19) }, 100010 + i);
  j.ack(20, 100050);
  j.markBoot(1_750_000_100, 0);
  j.append({ event: EV_CLOSE }, 2);
  return flash;
}

describe("journal on-flash format", () => {
  test("records of every kind have the bytes of the README's table", () => {
    const flash = scenario();
    const p0 = flash.read("vtj0" + "~".repeat(24)) as string;
    expect(header(p0)).toEqual({ trusted: 0, gen: 1, erases: 0, seq: 1, acked: 0, boot: 0, session: 0, anchor: 0, uptime: 0 });
    // boot 1 (anchor 1699999997), open by voucher, 20-digit dispense, other dispense, both splits,
    // undo (varint delta), no-code item, close, rx open as text, close, rx open as BCD digits,
    // time set, ack
    expect(hex(p0.substr(40))).toBe(EXPECTED_P0);
  });

  test("later pages start with a header snapshotting the stream", () => {
    const flash = scenario();
    const p1 = flash.read("vtj1" + "~".repeat(24)) as string;
    expect(header(p1)).toEqual(EXPECTED_H1);
    const all = [...flash.files.keys()].sort().map((n) => hex(flash.read(n) as string)).join("|");
    expect(createHash("sha256").update(all).digest("hex")).toBe(EXPECTED_ALL);
  });
});

const EXPECTED_P0 =
  "0b016553f0fd8014510011223344556677bb05235e30100034702c84c7c4f4211b28303129303935303630303031333433353228323129534e3132330441314232063237313233319b35151e24072d10018115020afaa6f683020358313201420001030b33f7f48a060392ca18175841303142414330333941303031303130313034343435ac020df8095729120b5258323032352d303030310a4519474d1d091234567890ea141c684d5adbf2631a064d1143186a000000000000125913186a000000001f401c2113186a000000003e1c141dffffffffff";
const EXPECTED_H1 = { trusted: 1, gen: 2, erases: 0, seq: 15, acked: 6, boot: 1, session: 11, anchor: 1_749_899_995, uptime: 100012 };
const EXPECTED_ALL = "e44bb23feb3f8444bcfcafa2ed8f438e9a258991749cbf00b444290392479f36";
