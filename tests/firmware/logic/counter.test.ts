import { Journal } from "../../../firmware/src/journal/journal";
import { DispenseHistory } from "../../../firmware/src/journal/history";
import { WarnList } from "../../../firmware/src/store/warn-list";
import { Counter, type CounterSettings } from "../../../firmware/src/session/counter";
import { interpretScan, type ScanClassLike, type ScanInput } from "../../../firmware/src/scanner/scan-input";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, EV_CLOSE, OPEN_BY_VOUCHER, OPEN_BY_RX, type ScanRecord } from "../../../protocol/src/record";
import { KINDS } from "../../../firmware/src/feedback/patterns";
import { FakeFlash, crc32Str } from "./fake-flash";

const SETTINGS: CounterSettings = { sessionTimeout: 600, warnFreePct: 20, reserveBytes: 200, splitArmSeconds: 30 };

// A stand-in for the protocol's classifier, enough to drive the counter: 20 digits from 8 are
// codes, "EV" tokens are vouchers, "RX" prescriptions, anything else is rejected.
function classify(raw: string): ScanClassLike {
  if (/^8[0-9]+$/.test(raw) && raw.length === 20) return { type: "code", code: { kind: "cn20", key: raw, product: raw.substr(0, 7), serial: raw.substr(7) } };
  if (raw.startsWith("EV")) return { type: "voucher", token: raw };
  if (raw.startsWith("RX")) return { type: "rx", rx: raw };
  return { type: "reject", reason: "retail-ean13", message: "Retail barcode, not a trace code" };
}

function rig(flash = new FakeFlash(64 * 1024), pages = 4, pageSize = 1024) {
  let now = 100;
  const heard: string[] = [];
  const details: string[] = [];
  const journal = new Journal(flash, { prefix: "vtj", pages, pageSize, crc32: crc32Str, ackPersistEvery: 16 });
  const history = new DispenseHistory(journal, 256, crc32Str);
  const warn = new WarnList(flash, crc32Str);
  warn.load();
  const counter = new Counter(
    journal, history, warn,
    (k, d) => { heard.push(KINDS[k]); details.push(d); },
    () => now,
    (t) => crc32Str(t).toString(16).padStart(8, "0") + "00000000",
    () => {},
    { ...SETTINGS },
  );
  journal.open((r) => { history.replay(r); counter.replay(r); });
  journal.markBoot(1_700_000_000, now);
  counter.resumed();
  const scan = (raw: string) => counter.onScan(interpretScan(raw, classify) as ScanInput);
  const records = () => { const out: ScanRecord[] = []; journal.read(1, 1e9, (r) => { out.push({ ...r }); }); return out; };
  const last = () => heard[heard.length - 1];
  return { flash, journal, history, warn, counter, heard, details, scan, records, last, advance: (s: number) => { now += s; } };
}

const BOX1 = "83857930000879766660";
const BOX2 = "83857930000879766661";
const BOX3 = "81234560000000000003";

describe("dispensing counter", () => {
  test("voucher opens, boxes dispense, button closes; every record durable before its signal", () => {
    const r = rig();
    r.scan(BOX1);
    expect(r.last()).toBe("no-session");
    r.scan("EVTOKEN-123");
    expect(r.last()).toBe("session-opened");
    r.scan(BOX1);
    expect(r.last()).toBe("accepted");
    expect(r.journal.lastSeq).toBe(2); // on flash by the time the beep was played
    r.scan(BOX2);
    r.counter.onButton(200);
    expect(r.last()).toBe("session-closed");
    const recs = r.records();
    expect(recs.map((x) => x.event)).toEqual([EV_OPEN, EV_DISPENSE, EV_DISPENSE, EV_CLOSE]);
    expect(recs[0]).toMatchObject({ openBy: OPEN_BY_VOUCHER, patient: expect.stringMatching(/^[0-9a-f]{16}$/), session: 1 });
    expect(recs.every((x) => x.session === 1)).toBe(true);
    r.counter.onButton(200);
    expect(r.last()).toBe("no-session");
  });

  test("not-a-code shows the parser's message and records nothing", () => {
    const r = rig();
    r.scan("RX-0042");
    r.scan("6901234567892");
    expect(r.last()).toBe("not-a-code");
    expect(r.details[r.details.length - 1]).toBe("Retail barcode, not a trace code");
    expect(r.records().length).toBe(1);
    expect(r.records()[0]).toMatchObject({ openBy: OPEN_BY_RX, rx: "RX-0042" });
  });

  test("same box twice in one session, and already dispensed in an earlier session, survive a reboot", () => {
    const r = rig();
    r.scan("EVA");
    r.scan(BOX1);
    r.scan(BOX1);
    expect(r.last()).toBe("same-box-twice");
    r.scan("EVB"); // next patient closes the previous session
    expect(r.last()).toBe("session-opened");
    r.scan(BOX1);
    expect(r.last()).toBe("already-dispensed");
    // Reboot: the open session and the history come back from flash alone.
    const r2 = rig(r.flash);
    expect(r2.counter.session).toBe(r.counter.session);
    r2.scan(BOX1);
    expect(r2.last()).toBe("already-dispensed");
    r2.scan(BOX2);
    expect(r2.last()).toBe("accepted");
    r2.scan(BOX2);
    expect(r2.last()).toBe("same-box-twice");
    expect(r2.records().filter((x) => x.event === EV_DISPENSE).length).toBe(2);
  });

  test("warn-listed codes are refused with their own signal", () => {
    const r = rig();
    expect(r.warn.apply([BOX3], true)).toBe(true);
    r.scan("EVA");
    r.scan(BOX3);
    expect(r.last()).toBe("warn-list");
    const r2 = rig(r.flash);
    r2.scan(BOX3);
    expect(r2.last()).toBe("warn-list");
    expect(r2.records().some((x) => x.event === EV_DISPENSE)).toBe(false);
  });

  test("undo by card and by long press withdraws the latest items, then nothing is left", () => {
    const r = rig();
    r.scan("EVA");
    r.scan(BOX1);
    r.scan(BOX2);
    r.scan("VT:UNDO");
    expect(r.last()).toBe("undone");
    r.counter.onButton(1500);
    expect(r.last()).toBe("undone");
    r.counter.onButton(1500);
    expect(r.last()).toBe("nothing-to-undo");
    const undos = r.records().filter((x) => x.event === EV_UNDO);
    expect(undos.map((x) => x.ref)).toEqual([3, 2]);
    // An undone box is no longer "already dispensed".
    r.scan(BOX1);
    expect(r.last()).toBe("accepted");
  });

  test("split card: units of a box across sessions never exceed the pack", () => {
    const r = rig();
    r.scan("EVA");
    r.scan("VT:SPLIT:4/10");
    expect(r.last()).toBe("split-armed");
    r.scan(BOX1);
    expect(r.last()).toBe("accepted");
    r.scan("EVB");
    r.scan("VT:SPLIT:6/10");
    r.scan(BOX1);
    expect(r.last()).toBe("accepted");
    r.scan("EVC");
    r.scan("VT:SPLIT:1/10");
    r.scan(BOX1);
    expect(r.last()).toBe("already-dispensed");
    r.scan(BOX2); // the arm was used up by the refused scan: a whole box
    const splits = r.records().filter((x) => x.event === EV_SPLIT);
    expect(splits.map((x) => [x.units, x.perPack])).toEqual([[4, 10], [6, 10]]);
    expect(r.records().filter((x) => x.event === EV_DISPENSE).map((x) => x.code)).toEqual([BOX2]);
    // An arm expires.
    r.scan("VT:SPLIT:1/10");
    r.advance(31);
    r.scan(BOX3);
    expect(r.records().filter((x) => x.event === EV_DISPENSE).length).toBe(2);
  });

  test("no-code card records the catalogue item; a bad card is rejected", () => {
    const r = rig();
    r.scan("EVA");
    r.scan("NC:XA01BAC039A001*3");
    expect(r.last()).toBe("accepted");
    r.scan("NC:!!");
    expect(r.last()).toBe("not-a-code");
    expect(r.records()[1]).toMatchObject({ event: EV_NOCODE, code: "XA01BAC039A001", units: 3 });
  });

  test("an idle session closes after the timeout; close card works", () => {
    const r = rig();
    r.scan("EVA");
    r.advance(599);
    r.counter.tick();
    expect(r.counter.session).not.toBe(0);
    r.advance(1);
    r.counter.tick();
    expect(r.counter.session).toBe(0);
    expect(r.last()).toBe("session-closed");
    r.scan("EVB");
    r.scan("VT:CLOSE");
    expect(r.last()).toBe("session-closed");
  });

  test("near full: warns early, the open session finishes and can always close, then no new session", () => {
    const r = rig(new FakeFlash(64 * 1024), 2, 512);
    let serial = 0;
    const box = () => r.scan("8" + String(serial++).padStart(19, "0"));
    r.scan("EVA");
    let warnedAt = -1;
    while (r.last() !== "storage-full") {
      box();
      if (warnedAt < 0 && r.details[r.details.length - 1] === "Storage low: sync") warnedAt = r.journal.freeBytes();
    }
    // The warning came early (about 20 % left), long before the refusal.
    expect(warnedAt).toBeGreaterThan(100);
    expect(r.details[r.details.length - 1]).toBe("Sync to free space");
    const seq = r.journal.lastSeq;
    r.counter.onButton(100);
    expect(r.last()).toBe("session-closed");
    expect(r.journal.lastSeq).toBe(seq + 1);
    r.scan("EVNEW");
    expect(r.last()).toBe("storage-full");
    expect(r.details[r.details.length - 1]).toBe("No new patient");
    expect(r.journal.lastSeq).toBe(seq + 1);
    // After the gateway acks, room comes back.
    r.journal.ack(r.journal.lastSeq, 0);
    r.scan("EVNEW");
    expect(r.last()).toBe("session-opened");
  });
});
