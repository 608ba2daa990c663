// Frame size per record (the radio and flash budget) and encode/decode throughput of the
// board's hand-written CBOR against cbor-x, both measured here in the same run.
import type { Bench, BenchRow } from "./types";
import { median } from "./types";
import { encodeBatch, decodeDown, encodeAckFrame } from "../protocol/src/frame";
import type { BatchFrame } from "../protocol/src/frame";
import type { ScanRecord } from "../protocol/src/record";
import { decodeBatch, encodeBatchNode, nodeHashing } from "../protocol/src/node";
import { decodeBatchReference } from "../protocol/src/node/decode-batch";
import { pureHashing } from "../protocol/src/crypto";
import { encodeItem } from "../protocol/src/cbor/writer";
import { decodeItem } from "../protocol/src/cbor/reader";
import { batchTree } from "../protocol/src/frame/layout";
import { cborxDecode, cborxEncode } from "../protocol/src/node/cbor";
import { build } from "esbuild";
import { join } from "node:path";

/** What the firmware imports from the protocol (by name, so the bundler drops the rest). */
const BOARD_ENTRY = [
  'import { encodeBatch, fitRecords, encodeStatus, decodeDown, recordFault } from "./protocol/src/frame/index";',
  'import { pureHashing, crc32 } from "./protocol/src/crypto/index";',
  'import { mqttPassword } from "./protocol/src/auth";',
  "globalThis.P = [encodeBatch, fitRecords, encodeStatus, decodeDown, recordFault, pureHashing, crc32, mqttPassword];",
].join("\n");

/** Minified size (esbuild, iife, no gzip) of a bundle of `contents`, resolved from the repository root. */
async function minifiedBytes(contents: string): Promise<number> {
  const out = await build({ stdin: { contents, resolveDir: join(__dirname, ".."), loader: "ts" }, bundle: true, minify: true, format: "iife", target: "es2017", write: false, logLevel: "silent" });
  return out.outputFiles[0].contents.length;
}

const KEY = new Uint8Array(32).fill(0x5a);

function lcg(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** One session: an open, then 99 dispenses a few seconds to a few minutes apart. */
function frame100(seed: number, code: (rnd: () => number) => string, extras: (r: ScanRecord, rnd: () => number) => void): BatchFrame {
  const rnd = lcg(seed);
  const first = 1 + Math.floor(rnd() * 1e6);
  let time = 1751328000 + Math.floor(rnd() * 1e7);
  let uptime = 1000 + Math.floor(rnd() * 1e5);
  const records: ScanRecord[] = [{ seq: first, time, trusted: true, boot: 7, uptime, event: 1, session: first, openBy: 2, rx: "RX2025070100123" }];
  for (let i = 1; i < 100; i++) {
    const dt = 3 + Math.floor(rnd() * 180);
    time += dt;
    uptime += dt;
    const r: ScanRecord = { seq: first + i, time, trusted: true, boot: 7, uptime, event: 2, session: first, code: code(rnd) };
    extras(r, rnd);
    records.push(r);
  }
  return { device: "clinic-0042", boot: 7, uptime: uptime + 20, time: time + 20, trusted: true, records };
}

const digits = (rnd: () => number, n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 10);
  return s;
};
const cn20 = (seed: number) => frame100(seed, (rnd) => "8" + digits(rnd, 19), () => {});
const gs1 = (seed: number) =>
  frame100(seed, (rnd) => "(01)0" + digits(rnd, 13) + "(21)" + digits(rnd, 10), (r, rnd) => {
    r.batch = "L" + digits(rnd, 5);
    r.expiry = "27" + digits(rnd, 2).replace(/^(\d)/, "0") + "15";
  });

function perSecond(n: number, runs: number, fn: () => void): number {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    rates.push(n / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return median(rates);
}

const bench: Bench = {
  name: "protocol",
  async run({ quick }) {
    const rows: BenchRow[] = [];
    const board = await minifiedBytes(BOARD_ENTRY);
    const everything = await minifiedBytes('export * from "./protocol/src/frame/index"; export * from "./protocol/src/crypto/index"; export { mqttPassword } from "./protocol/src/auth";');
    rows.push({ area: "protocol", metric: "board protocol minified size", value: board, unit: "B", baseline: "every frame+crypto export " + everything + " B", ratio: board / everything, note: "encodeBatch, fitRecords, encodeStatus, decodeDown, recordFault, pureHashing, crc32, mqttPassword; esbuild minify, iife, no gzip; what the board pays for is judged in the firmware's upload-size row" });
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const size = (make: (s: number) => BatchFrame) => seeds.reduce((a, s) => a + encodeBatch(make(s), KEY, pureHashing).length, 0) / seeds.length / 100;
    const cn = size(cn20);
    rows.push({ area: "protocol", metric: "bytes per record, 100 cn20 dispenses in one frame", value: cn, unit: "B/record", target: "<= 16", pass: cn <= 16, note: "frame overhead included, mean of 20 frames" });
    const g = size(gs1);
    rows.push({ area: "protocol", metric: "bytes per record, 100 GS1 dispenses (10-char serial, batch, expiry)", value: g, unit: "B/record", note: "frame overhead included" });

    const f = cn20(99);
    const n = f.records.length;
    const reps = quick ? 20 : 200;
    const runs = quick ? 5 : 11;
    const tree = batchTree(f);
    // CBOR alone: the hand writer/reader against cbor-x on the same tree
    const cborxRate = perSecond(n * reps, runs, () => { for (let i = 0; i < reps; i++) cborxEncode(tree); });
    const handRate = perSecond(n * reps, runs, () => { for (let i = 0; i < reps; i++) encodeItem(tree); });
    rows.push({ area: "protocol", metric: "CBOR encode, hand writer", value: Math.round(handRate), unit: "records/s", baseline: "cbor-x " + Math.round(cborxRate), ratio: handRate / cborxRate });
    const body = encodeItem(tree);
    const cborxRead = perSecond(n * reps, runs, () => { for (let i = 0; i < reps; i++) cborxDecode(body); });
    const handRead = perSecond(n * reps, runs, () => { for (let i = 0; i < reps; i++) decodeItem(body); });
    rows.push({ area: "protocol", metric: "CBOR decode, hand reader", value: Math.round(handRead), unit: "records/s", baseline: "cbor-x " + Math.round(cborxRead), ratio: handRead / cborxRead });
    // Whole frames: record mapping, CRC and HMAC included
    const nodeEnc = perSecond(n * reps, runs, () => { for (let i = 0; i < reps; i++) encodeBatchNode(f, KEY, nodeHashing); });
    const boardEnc = perSecond(n * reps, runs, () => { for (let i = 0; i < reps; i++) encodeBatch(f, KEY, pureHashing); });
    rows.push({ area: "protocol", metric: "encodeBatch (hand CBOR, pure-JS SHA-256)", value: Math.round(boardEnc), unit: "records/s", baseline: "encodeBatchNode (cbor-x, node:crypto) " + Math.round(nodeEnc), ratio: boardEnc / nodeEnc, note: "on Node; a board is far slower" });
    const bytes = encodeBatch(f, KEY, pureHashing);
    // the strict canonical reader against the full path it short-cuts, interleaved so both see the same machine load
    const decRates: number[] = [];
    const refRates: number[] = [];
    for (let r = 0; r < runs; r++) {
      refRates.push(perSecond(n * reps, 1, () => { for (let i = 0; i < reps; i++) decodeBatchReference(bytes, () => KEY, nodeHashing); }));
      decRates.push(perSecond(n * reps, 1, () => { for (let i = 0; i < reps; i++) decodeBatch(bytes, () => KEY, nodeHashing); }));
    }
    const dec = median(decRates);
    const decRef = median(refRates);
    rows.push({ area: "protocol", metric: "decodeBatch (strict canonical reader, CRC, HMAC)", value: Math.round(dec), unit: "records/s", baseline: "full path (cbor-x, validation, re-encode) " + Math.round(decRef), ratio: dec / decRef, note: "gateway side; same frame, same run" });
    const ack = encodeAckFrame({ device: "clinic-0042", upto: 123456, time: 1751328000 }, KEY, pureHashing);
    const acks = perSecond(reps * 10, runs, () => { for (let i = 0; i < reps * 10; i++) decodeDown(ack, KEY, pureHashing); });
    rows.push({ area: "protocol", metric: "decodeDown of an ack (pure-JS SHA-256)", value: Math.round(acks), unit: "frames/s", note: "board code on Node" });
    return rows;
  },
};

export default bench;
