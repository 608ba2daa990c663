// fast-check generators for valid records and frames (contiguous seqs, sessions pointing
// back, undo refs to earlier records, codes of every shape the wire distinguishes).
import fc from "fast-check";
import type { ScanRecord } from "../../../protocol/src/record";
import type { AckFrame, BatchFrame, CommandFrame, StatusFrame } from "../../../protocol/src/frame";

const U32 = 0xffffffff;
const printable = (min: number, max: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });
const digits = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });

export const cn20 = digits(19).map((d) => "8" + d);
export const gs1Key = fc.tuple(digits(14), printable(1, 20)).map(([g, s]) => "(01)" + g + "(21)" + s);
/** Every shape: packed cn20, packed GS1, and text (including near misses of both). */
export const anyCode = fc.oneof(cn20, gs1Key, printable(1, 64), digits(20), fc.tuple(digits(14), printable(21, 30)).map(([g, s]) => "(01)" + g + "(21)" + s));

interface Shape {
  event: 1 | 2 | 3 | 4 | 5 | 6;
  dt: number;
  trusted: boolean;
  newBoot: boolean;
  clockJump: number;
  sessionPick: number;
  code: string;
  batch?: string;
  expiry?: string;
  units: number;
  perPack: number;
  openBy: 1 | 2;
  patient: string;
  rx: string;
  refPick: number;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  event: fc.constantFrom(1, 2, 2, 2, 3, 4, 5, 6) as fc.Arbitrary<Shape["event"]>,
  dt: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -100000, max: 100000 })),
  trusted: fc.boolean(),
  newBoot: fc.boolean().map((b) => b && Math.random() < 0.2),
  clockJump: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -5000, max: 5000 })),
  sessionPick: fc.integer({ min: 0, max: 1000 }),
  code: anyCode,
  batch: fc.option(printable(1, 20), { nil: undefined }),
  expiry: fc.option(digits(6), { nil: undefined }),
  units: fc.integer({ min: 1, max: 65535 }),
  perPack: fc.integer({ min: 1, max: 65535 }),
  openBy: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>,
  patient: fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 16, maxLength: 16 }),
  rx: printable(1, 40),
  refPick: fc.integer({ min: 0, max: 1000 }),
});

const clamp = (v: number) => Math.max(0, Math.min(U32, v));

/** Turns shapes into valid records starting at `first`, clock state starting at the header's. */
export function buildRecords(first: number, start: { time: number; boot: number; uptime: number }, shapes: Shape[]): ScanRecord[] {
  const out: ScanRecord[] = [];
  let time = start.time;
  let boot = start.boot;
  let uptime = start.uptime;
  let session = 0;
  shapes.forEach((s, i) => {
    const seq = first + i;
    time = clamp(time + s.dt);
    if (s.newBoot) {
      boot = Math.min(U32, boot + 1);
      uptime = s.sessionPick;
    } else uptime = clamp(uptime + s.dt + s.clockJump);
    const r: ScanRecord = { seq, time, trusted: s.trusted, boot, uptime, event: s.event, session: 0 };
    if (s.event === 1) {
      session = seq;
      r.openBy = s.openBy;
      if (s.openBy === 1) r.patient = s.patient;
      else r.rx = s.rx;
    } else if (s.event === 6) session = s.sessionPick % 3 === 0 ? session : 0;
    // mostly the current session, sometimes none, sometimes an arbitrary earlier seq
    r.session = s.sessionPick % 7 === 0 ? 0 : s.sessionPick % 11 === 0 ? Math.max(1, seq - s.sessionPick) : Math.min(session, seq);
    if (s.event === 1) r.session = seq;
    if (s.event === 2 || s.event === 3 || s.event === 5) r.code = s.code;
    if (s.event === 2 || s.event === 3) {
      if (s.batch !== undefined) r.batch = s.batch;
      if (s.expiry !== undefined) r.expiry = s.expiry;
    }
    if (s.event === 3) {
      r.perPack = s.perPack;
      r.units = 1 + (s.units % s.perPack);
    }
    if (s.event === 5) r.units = s.units;
    if (s.event === 4) {
      if (seq === 1) r.event = 6;
      else r.ref = Math.max(1, seq - 1 - (s.refPick % Math.min(seq - 1, 1000)));
    }
    out.push(r);
  });
  return out;
}

export const deviceId = fc.string({ unit: fc.constantFrom(..."abcXYZ019._-"), minLength: 1, maxLength: 64 });

export const batchFrame: fc.Arbitrary<BatchFrame> = fc
  .record({
    device: deviceId,
    boot: fc.integer({ min: 0, max: 100000 }),
    uptime: fc.integer({ min: 0, max: 10000000 }),
    time: fc.oneof(fc.integer({ min: 1600000000, max: 2000000000 }), fc.integer({ min: 0, max: U32 })),
    trusted: fc.boolean(),
    first: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: U32 - 300 })),
    shapes: fc.array(shape, { maxLength: 60 }),
  })
  .map((h) => ({
    device: h.device,
    boot: h.boot,
    uptime: h.uptime,
    time: h.time,
    trusted: h.trusted,
    records: buildRecords(h.first, { time: clamp(h.time - 86400), boot: h.boot, uptime: clamp(h.uptime - 86400) }, h.shapes),
  }));

export const ackFrame: fc.Arbitrary<AckFrame> = fc.record({ device: deviceId, upto: fc.integer({ min: 0, max: U32 }), time: fc.integer({ min: 0, max: U32 }) });

export const commandFrame: fc.Arbitrary<CommandFrame> = fc.record(
  {
    device: deviceId,
    id: fc.integer({ min: 1, max: U32 }),
    time: fc.integer({ min: 0, max: U32 }),
    config: fc.record(
      { sessionTimeout: fc.integer({ min: 1, max: U32 }), batchMax: fc.integer({ min: 1, max: 250 }), warnFreePct: fc.integer({ min: 0, max: 100 }) },
      { requiredKeys: [] },
    ),
    warn: fc.array(anyCode, { maxLength: 20 }),
    warnReplace: fc.boolean(),
  },
  { requiredKeys: ["device", "id"] },
);

/** A deterministic 100-record frame of dispenses with 20-digit codes in one session. */
export function dispenseFrame100(seed: number): BatchFrame {
  let x = seed >>> 0 || 1;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const records: ScanRecord[] = [];
  let time = 1751328000 + Math.floor(rnd() * 1e6);
  let uptime = 40000;
  const first = 1000 + Math.floor(rnd() * 1e5);
  records.push({ seq: first, time, trusted: true, boot: 12, uptime, event: 1, session: first, openBy: 1, patient: "00112233445566ff" });
  for (let i = 1; i < 100; i++) {
    const dt = 3 + Math.floor(rnd() * 180);
    time += dt;
    uptime += dt;
    let code = "8";
    for (let d = 0; d < 19; d++) code += Math.floor(rnd() * 10);
    records.push({ seq: first + i, time, trusted: true, boot: 12, uptime, event: 2, session: first, code });
  }
  return { device: "clinic-0042", boot: 12, uptime: uptime + 30, time: time + 30, trusted: true, records };
}

const u32 = fc.integer({ min: 0, max: U32 });
/** Valid status frames, memUsage present or absent, boards beyond the two known names. */
export const statusFrame: fc.Arbitrary<StatusFrame> = fc
  .record({
    device: deviceId,
    boot: u32,
    uptime: u32,
    time: u32,
    trusted: fc.boolean(),
    firmware: printable(1, 40),
    board: fc.oneof(fc.constantFrom("pico", "esp32"), fc.string({ unit: fc.constantFrom(..."az09._-"), minLength: 1, maxLength: 16 })),
    seqHead: u32,
    ackedUpto: u32,
    flashUsed: u32,
    flashTotal: u32,
    memUsage: fc.option(u32, { nil: undefined }),
    sessionOpen: fc.boolean(),
  })
  .map((s) => {
    const out: StatusFrame = { ...s };
    if (out.memUsage === undefined) delete out.memUsage;
    return out;
  });
