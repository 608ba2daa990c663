// Firmware acceptance: a board whose journal pages are lost (what a cut while Storage compacts
// can do: the journal compacts only when everything is acked) restarts its seq at 1, while the
// gateway keys records by (device, seq) and absorbs a known key as a retransmission. On the
// build's upload file, against the real gateway and platform: no seq is reused and every
// record the board accepted reaches the platform once, whether the board can tell at boot
// (its vtstate survived: it refuses new patients until the gateway places its seq) or not (its
// vtstate went too: what it records offline is renumbered past the gateway's ack).
import { EmulatedBoard } from "../../simulator/src/board/index";
import type { County } from "../../simulator/src/fleet/county";
import { countyOnTestBroker, esp32OnCounty, feedbackOf, runPrefix } from "./helpers";

jest.setTimeout(180_000);

const SECRET = "6b".repeat(32);

/** Feeds one read and returns the feedback kinds it produced. */
async function read(b: EmulatedBoard, raw: string): Promise<string> {
  const sig = await feedbackOf(b, raw);
  return sig.map((s) => s.kinds.join("|")).join(",") || "(none)";
}

async function close(b: EmulatedBoard): Promise<void> {
  b.pressButton(150);
  await b.advance(2500);
}

/** A patient with these boxes, then closed: 2 + boxes records. */
async function patient(b: EmulatedBoard, rx: string, boxes: string[]): Promise<void> {
  expect(await read(b, rx)).toBe("session-opened");
  for (const c of boxes) expect(await read(b, c)).toBe("accepted");
  await close(b);
}

async function board(county: County, tag: string): Promise<{ b: EmulatedBoard; device: string }> {
  const device = runPrefix(tag);
  const b = await esp32OnCounty(county, device, SECRET, 21);
  // Other files fill Storage until the ring no longer fits whole: the journal then compacts
  // Storage on an ack that leaves nothing unacked (the moment a cut can lose its pages).
  b.storage.write("filler", new Uint8Array(780 * 1024).fill(0x55));
  await b.advance(3000);
  return { b, device };
}

/** Syncs until the gateway holds `upto` and the board has had its ack. */
async function sync(b: EmulatedBoard, county: County, device: string, upto: number): Promise<void> {
  b.setLinkUp(true);
  expect(await b.advanceUntil(() => county.view.ackedUpto(device) >= upto, 120_000, 500)).toBe(true);
  await b.advance(10_000);
}

/** Erases Storage files as a cut compaction can lose them, then restarts the board. */
function lose(b: EmulatedBoard, names: RegExp): void {
  const gone = b.storage.list().filter((n) => names.test(n));
  expect(gone.length).toBeGreaterThan(0);
  for (const n of gone) b.storage.erase(n);
  b.reboot();
}

/** The platform's sales of this device, once everything the gateway holds went out. */
async function sales(county: County, device: string): Promise<{ seq: number; code: string }[]> {
  const until = Date.now() + 30_000;
  while (!county.view.relayDrained() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return county
    .sales()
    .filter((s) => s.device === device)
    .map((s) => ({ seq: s.seq, code: s.drug_trac_codg ?? "" }))
    .sort((x, y) => x.seq - y.seq);
}

const A = ["83857930000000041001", "83857930000000041002", "83857930000000041003"];
const B = ["83857930000000042001", "83857930000000042002"];
/** What the platform must hold in both cases: patient A's boxes at seqs 2-4, patient B's after the gateway's 5 (seqs 7-8). */
const SOLD_ONCE = [
  { seq: 2, code: A[0] },
  { seq: 3, code: A[1] },
  { seq: 4, code: A[2] },
  { seq: 7, code: B[0] },
  { seq: 8, code: B[1] },
];

test("a synced board that lost its journal refuses new patients until the gateway places its seq; nothing is reused or lost", async () => {
  const county = await countyOnTestBroker(21);
  try {
    const { b, device } = await board(county, "lsa");
    await patient(b, "RX2026030200410001", A); // seqs 1..5
    await sync(b, county, device, 5);
    // the journal compacted Storage, its mark written first
    expect(b.storage.list().filter((n) => n.startsWith("vtjs"))).toHaveLength(1);
    b.setLinkUp(false);
    lose(b, /^vtj\d/); // the pages; the mark written before the compaction survives
    await b.advance(3000);
    expect(b.events.consoleText()).toMatch(/boot 1: seq 0 acked 0/);

    // Offline, it cannot know where its seq stands: no new patient, and the doctor is told.
    const from = b.events.all.length;
    expect(await read(b, "RX2026030200410002")).toBe("storage-full");
    const shown = b.events.all.slice(from).flatMap((e) => (e.kind === "display" ? e.lines : []));
    expect(shown.join(" ")).toContain("Sync to free space");
    expect(await read(b, B[0])).toBe("no-session");
    // A reboot does not forget it.
    b.reboot();
    await b.advance(3000);
    expect(await read(b, "RX2026030200410002")).toBe("storage-full");

    // The gateway's welcome ack places it after what the gateway holds.
    // (no welcome over a shared broker: the board's empty frame asks for the ack)
    const mark = b.events.all.length;
    b.setLinkUp(true);
    expect(await b.advanceUntil(() => b.events.all.slice(mark).some((e) => e.kind === "console" && e.text.includes("link up")), 60_000, 500)).toBe(true);
    await b.advance(10_000);
    await patient(b, "RX2026030200410003", B); // seqs 6..9
    await sync(b, county, device, 9);
    const got = await sales(county, device);
    expect(got).toEqual(SOLD_ONCE);
    expect(county.view.ackedUpto(device)).toBe(9);
    expect(b.uncaughtErrors).toBe(0);
  } finally {
    await county.stop();
  }
});

test("a board that lost its vtstate too records offline; its records are renumbered past the gateway's ack and none is lost", async () => {
  const county = await countyOnTestBroker(22);
  try {
    const { b, device } = await board(county, "lsb");
    await patient(b, "RX2026030200420001", A); // seqs 1..5
    await sync(b, county, device, 5);
    b.setLinkUp(false);
    lose(b, /^(vtj|vtstate)/); // the mark and the renumbering state too: the board cannot tell
    await b.advance(3000);

    // It looks brand-new to itself: it works offline, under seqs 1..4 the gateway holds.
    await patient(b, "RX2026030200420002", B);
    expect(b.events.consoleText()).not.toMatch(/journal full/);
    b.reboot(); // and a reboot before the link changes nothing
    await b.advance(3000);

    await sync(b, county, device, 9);
    const got = await sales(county, device);
    expect(got).toEqual(SOLD_ONCE);
    // Its next record follows, through a reboot (the renumbering is stored).
    b.reboot();
    await b.advance(3000);
    expect(await read(b, "RX2026030200420003")).toBe("session-opened");
    await close(b);
    await sync(b, county, device, 11);
    expect(county.view.ackedUpto(device)).toBe(11);
    expect(b.uncaughtErrors).toBe(0);
  } finally {
    await county.stop();
  }
});
