// A board whose journal pages were lost (a cut while Storage compacted) restarts its seq at 1
// while the gateway already holds those seqs for it and would absorb new records under them as
// retransmissions. The journal must never reuse a seq the gateway holds: a board known to have
// synced refuses to write until a gateway says where its seq stands, and records written under
// reused seqs (a board that could not tell) are renumbered past the gateway's ack, never taken
// as acked by it.
import { Journal, type JournalOptions } from "../../../firmware/src/journal/journal";
import type { Entry } from "../../../firmware/src/journal/record-codec";
import { EV_OPEN, EV_DISPENSE, EV_UNDO, EV_CLOSE, OPEN_BY_RX, type ScanRecord } from "../../../protocol/src/record";
import { FakeFlash, crc32Str } from "./fake-flash";

function opts(): JournalOptions {
  return { prefix: "vtj", pages: 4, pageSize: 1024, crc32: crc32Str, ackPersistEvery: 8 };
}

function all(j: Journal, from = 1): ScanRecord[] {
  const out: ScanRecord[] = [];
  j.read(from, 1e9, (r) => {
    out.push({ ...r });
  });
  return out;
}

/** A session: open by rx, `boxes` dispenses, an undo of the last box, close. */
function session(j: Journal, tag: number, boxes: number, t: number): number[] {
  const seqs = [j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX" + tag } as Entry, t)];
  for (let i = 0; i < boxes; i++) seqs.push(j.append({ event: EV_DISPENSE, code: "8385793" + String(tag * 100 + i).padStart(13, "0") }, t + 1 + i));
  seqs.push(j.append({ event: EV_UNDO, ref: seqs[seqs.length - 1] }, t + 20));
  seqs.push(j.append({ event: EV_CLOSE }, t + 21));
  return seqs;
}

/** The mark the journal writes before it first compacts Storage with records acked. */
const MARK = ("vtjs" + "~".repeat(28)).substr(0, 28);

/** Erases the journal's page files, as a cut during Storage's compaction can. */
function losePages(flash: FakeFlash): void {
  for (const n of flash.list()) if (/^vtj\d/.test(n)) flash.erase(n);
}

const strip = (r: ScanRecord) => ({ ...r, seq: 0, session: 0, ref: r.ref === undefined ? undefined : 0 });

describe("a lost seq is never reused", () => {
  test("a synced board that finds no journal writes nothing until an ack places its seq past what the gateway holds", () => {
    const flash = new FakeFlash(64 * 1024);
    let j = new Journal(flash, opts());
    j.open();
    j.markBoot(1000, 0);
    session(j, 1, 3, 10);
    expect(j.lastSeq).toBe(6);
    let kept: number[] | undefined;
    const keep = (m: number[]) => ((kept = m), true);
    j.ack(6, 40, keep);
    expect(kept).toBeUndefined(); // an ordinary ack: nothing to renumber
    flash.write(MARK, "1"); // (this stand-in for Storage never compacts)
    losePages(flash);

    j = new Journal(flash, opts());
    j.open();
    expect(j.lastSeq).toBe(0);
    j.markBoot(2000, 0);
    // held: nothing is written, so a reboot still knows the seq is unconfirmed
    expect(j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX9" }, 5)).toBe(0);
    expect(flash.list().filter((n) => /^vtj\d/.test(n))).toEqual([]);
    j = new Journal(flash, opts());
    j.open();
    expect(j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX9" }, 5)).toBe(0);

    // a refused renumbering (its state not stored) leaves the board held
    expect(j.ack(6, 6, () => false)).toBe(0);
    expect(j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX9" }, 5)).toBe(0);
    // the gateway's welcome ack: it holds 1..6
    expect(j.ack(6, 7, keep)).toBe(6);
    expect(kept).toEqual([0, 6]);
    expect(session(j, 2, 2, 8)).toEqual([7, 8, 9, 10, 11]);
    // and a reboot keeps it (the renumbering is stored; the page written after it is not shifted)
    j = new Journal(flash, opts());
    j.open(undefined, kept);
    expect(j.lastSeq).toBe(11);
    expect(j.acked).toBe(6);
    expect(all(j).map((r) => r.seq)).toEqual([7, 8, 9, 10, 11]);
  });

  test("a synced board whose gateway holds nothing for it is confirmed at seq 1 by an ack of 0", () => {
    const flash = new FakeFlash(64 * 1024);
    flash.write(MARK, "1");
    const j = new Journal(flash, opts());
    j.open();
    expect(j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX9" }, 5)).toBe(0);
    expect(j.ack(0, 6, () => true)).toBe(0);
    expect(j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX9" }, 7)).toBe(1);
  });

  test("a board that could not tell (brand-new to itself) has its records renumbered after the gateway's, unchanged otherwise, through reboots", () => {
    const flash = new FakeFlash(64 * 1024);
    let j = new Journal(flash, opts());
    j.open(); // never synced as far as it knows (no mark): works offline
    j.markBoot(5000, 0);
    const first = session(j, 3, 90, 10); // 93 records: more than one 1 KB page
    session(j, 4, 1, 140);
    expect(j.lastSeq).toBe(97);
    const before = all(j);
    expect(flash.list().filter((n) => /^vtj\d/.test(n)).length).toBeGreaterThan(1);
    // the gateway acks up to 100 (what it holds from before the loss): 1..19 are NOT acked by it
    let kept: number[] = [];
    expect(j.ack(100, 60, (m) => ((kept = m), true))).toBe(100);
    expect(kept[1]).toBe(100);
    expect(j.lastSeq).toBe(197);
    const after = all(j, 101);
    expect(after.map((r) => r.seq)).toEqual(before.map((r) => r.seq + 100));
    expect(after.map(strip)).toEqual(before.map(strip));
    // sessions and undo references follow their records
    expect(after[0].session).toBe(101);
    expect(after[1].session).toBe(101);
    expect(after[first.length - 2].ref).toBe(first[first.length - 3] + 100);
    expect(all(j, 1)[0].seq).toBe(101); // nothing is read below the new numbering
    // new records follow
    expect(j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX77" }, 170)).toBe(198);
    // a reboot with the stored renumbering reads the same records and seqs
    j = new Journal(flash, opts());
    j.open(undefined, kept);
    expect(j.lastSeq).toBe(198);
    expect(j.acked).toBe(100);
    const again = all(j, 101);
    expect(again.slice(0, after.length)).toEqual(after);
    expect(again[again.length - 1]).toMatchObject({ seq: 198, rx: "RX77", session: 198 });
  });

  test("no renumbering while a session is open, nor over an earlier one whose pages are still read", () => {
    const flash = new FakeFlash(64 * 1024);
    let j = new Journal(flash, opts());
    j.open();
    j.markBoot(1000, 0);
    j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX1" }, 1);
    let calls = 0;
    const keep = () => (calls++, true);
    expect(j.ack(50, 2, keep)).toBe(0);
    expect(calls).toBe(0);
    expect(j.lastSeq).toBe(1);
    j.append({ event: EV_CLOSE }, 3);
    expect(j.ack(50, 4, keep)).toBe(50);
    expect(j.lastSeq).toBe(52);
    const m = [1, 50];
    j = new Journal(flash, opts());
    j.open(undefined, m);
    expect(all(j, 51).map((r) => r.seq)).toEqual([51, 52]);
    // a second one while the first one's page is still in the ring would need both shifts
    expect(j.ack(80, 5, keep)).toBe(50);
    expect(calls).toBe(1);
    expect(j.lastSeq).toBe(52);
  });

  test("pages written after the renumbered ones were lost are never read through the stale renumbering", () => {
    const flash = new FakeFlash(64 * 1024);
    // the device state kept [3, 500] from an earlier renumbering; the pages it named are gone
    let j = new Journal(flash, opts());
    j.open(undefined, [3, 500]);
    j.markBoot(1000, 0);
    session(j, 5, 2, 10);
    expect(j.lastSeq).toBe(5);
    j = new Journal(flash, opts());
    j.open(undefined, [3, 500]);
    expect(j.lastSeq).toBe(5);
    expect(all(j).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});
