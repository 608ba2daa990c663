// Who runs the gateway's hot writes: the commits of ingest, board status reports and the
// relay's settles. Inline (on the caller's connection, done before the call returns) for an
// in-memory store; otherwise a worker thread with its own connection to the same file, so
// that SQLite's work (about half of the gateway's CPU per record) runs beside the event loop
// that reads the boards' frames, verifies them, acks and relays. Writes go to the worker in
// order and it answers them in order; a caller learns the outcome in its callback, on the
// event loop. drainSync waits (blocking) for everything sent: at shutdown, and for callers
// that need the store current now.
//
// If the worker fails, whatever it had not answered fails (frames are not acked: the boards
// send them again; settles leave their spans owed: they are sent again) and every later
// write runs inline.
import { join } from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { BatchFrame, StatusFrame } from "../../../protocol/src/frame/types";
import { readByStrictReader, readCanonicalBatch } from "../../../protocol/src/node/fast-batch";
import type { Logger } from "../log/logger";
import type { GatewayStore } from "../store/store";
import { settleSpans, type SettleFailure, type SettlePart } from "../relay/settle";
import { commitFrames, commitStatus, type AcceptedFrame, type CommitOutcome } from "./commit";

export type WriteResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface StoreWriter {
  /** Whether callbacks come later, on the event loop (a thread), or before the call returns (inline). */
  readonly async: boolean;
  commit(accepted: AcceptedFrame[], nowSec: number, done: (r: WriteResult<CommitOutcome>) => void): void;
  status(device: string, status: StatusFrame, nowSec: number, done: (r: WriteResult<null>) => void): void;
  settle(parts: SettlePart[], failed: SettleFailure[], nowSec: number, done: (r: WriteResult<null>) => void): void;
  /** Blocks until every write sent so far is answered (its callback has run). */
  drainSync(): void;
  /** Resolves once writes can start at once (the thread has loaded and opened the store). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** A device as a commit reads it: its secret stays on the main thread. */
type CommitDevice = Pick<AcceptedFrame["device"], "id" | "institution" | "operator">;

/**
 * A frame as it crosses to the writer thread: as its bytes (at..at+len of the request's
 * `bytes`, which the strict reader reads again there) when the strict reader produced it,
 * else as the decoded frame. Copying a few kilobytes of frame is far cheaper than a
 * structured clone of its hundred decoded records on both sides.
 */
export type WireFrame = { device: CommitDevice; at: number; len: number } | { device: CommitDevice; frame: BatchFrame };

/** A request as the worker takes it (devices stripped to what a commit reads). */
export type WriterRequest =
  | { op: "commit"; id: number; accepted: AcceptedFrame[]; nowSec: number }
  | { op: "commit-wire"; id: number; frames: WireFrame[]; bytes: Uint8Array; nowSec: number }
  | { op: "status"; id: number; device: string; status: StatusFrame; nowSec: number }
  | { op: "settle"; id: number; parts: SettlePart[]; failed: SettleFailure[]; nowSec: number }
  | { op: "stop"; id: number };

export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

function attempt<T>(fn: () => T): WriteResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    return { ok: false, error: String(err) };
  }
}

/** Runs one request against a store: the worker's loop, and the inline writer. */
export function runRequest(store: GatewayStore, r: WriterRequest): WriteResult<unknown> {
  if (r.op === "commit") return attempt(() => commitFrames(store, r.accepted, r.nowSec));
  if (r.op === "commit-wire") return attempt(() => commitFrames(store, fromWire(r.frames, r.bytes), r.nowSec));
  if (r.op === "status") return attempt(() => (commitStatus(store, r.device, r.status, r.nowSec), null));
  if (r.op === "settle") return attempt(() => (settleSpans(store, r.parts, r.failed, r.nowSec), null));
  return { ok: true, value: null };
}

/** Frames for the writer thread: strictly read ones as their bytes, packed into one buffer (transferred, not copied). */
export function toWire(accepted: AcceptedFrame[]): { frames: WireFrame[]; bytes: Uint8Array } {
  const wire = accepted.map((a) => (a.bytes && readByStrictReader(a.frame) ? a.bytes : null));
  let total = 0;
  for (const b of wire) if (b) total += b.length;
  const bytes = new Uint8Array(total);
  let at = 0;
  const frames = accepted.map((a, i): WireFrame => {
    const device = { id: a.device.id, institution: a.device.institution, operator: a.device.operator };
    const b = wire[i];
    if (!b) return { device, frame: a.frame };
    bytes.set(b, at);
    const w = { device, at, len: b.length };
    at += b.length;
    return w;
  });
  return { frames, bytes };
}

/** The frames again, on the writer thread. A frame that does not read back is an error: the commit fails and nothing is acked. */
export function fromWire(frames: WireFrame[], bytes: Uint8Array): AcceptedFrame[] {
  return frames.map((w) => {
    if ("frame" in w) return { frame: w.frame, device: w.device } as AcceptedFrame;
    const frame = readCanonicalBatch(bytes.subarray(w.at, w.at + w.len));
    if (frame === null) throw new Error("a strictly read frame of " + w.device.id + " did not read again on the writer thread");
    return { frame, device: w.device } as AcceptedFrame;
  });
}

export class InlineWriter implements StoreWriter {
  readonly async = false;
  constructor(private readonly store: GatewayStore) {}
  commit(accepted: AcceptedFrame[], nowSec: number, done: (r: WriteResult<CommitOutcome>) => void): void {
    done(runRequest(this.store, { op: "commit", id: 0, accepted, nowSec }) as WriteResult<CommitOutcome>);
  }
  status(device: string, status: StatusFrame, nowSec: number, done: (r: WriteResult<null>) => void): void {
    done(runRequest(this.store, { op: "status", id: 0, device, status, nowSec }) as WriteResult<null>);
  }
  settle(parts: SettlePart[], failed: SettleFailure[], nowSec: number, done: (r: WriteResult<null>) => void): void {
    done(runRequest(this.store, { op: "settle", id: 0, parts, failed, nowSec }) as WriteResult<null>);
  }
  drainSync(): void {}
  async ready(): Promise<void> {}
  async close(): Promise<void> {}
}

export interface WorkerWriterOptions {
  file: string;
  synchronous: "FULL" | "NORMAL";
  cacheMiB: number;
  log: Logger;
  /** Longest drainSync waits for the worker before failing what it has not answered. */
  drainTimeoutMs?: number;
}

/** The worker's entry: TypeScript, loaded through tsx's CommonJS hook (worker threads do not inherit the parent's loader). */
function bootSource(): string {
  return `const { register } = require(${JSON.stringify(require.resolve("tsx/cjs/api"))}); register(); require(${JSON.stringify(join(__dirname, "writer-thread.ts"))});`;
}

export class WorkerWriter implements StoreWriter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** Bumped by the worker after every reply, so drainSync can sleep until one is there. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, (r: WriteResult<unknown>) => void>();
  private nextId = 1;
  private failed = false;
  private readonly inline: InlineWriter;
  private readonly started: Promise<void>;
  private markStarted: () => void = () => undefined;

  get async(): boolean {
    return !this.failed;
  }

  constructor(store: GatewayStore, private readonly o: WorkerWriterOptions) {
    this.inline = new InlineWriter(store);
    this.started = new Promise<void>((resolve) => (this.markStarted = resolve));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(bootSource(), {
      eval: true,
      workerData: { file: o.file, synchronous: o.synchronous, cacheMiB: o.cacheMiB, port: port2, signal: this.signal },
      transferList: [port2],
    });
    this.port.on("message", (m: WriterReply) => this.answer(m));
    this.worker.on("error", (err) => this.fail("store writer thread failed: " + String(err)));
    this.worker.on("exit", (code) => {
      if (!this.failed && this.pending.size) this.fail("store writer thread exited (" + code + ")");
    });
    this.worker.unref();
  }

  commit(accepted: AcceptedFrame[], nowSec: number, done: (r: WriteResult<CommitOutcome>) => void): void {
    if (this.failed) return this.inline.commit(accepted, nowSec, done);
    // The worker reads a device's id, institution and operator; its secret stays here.
    const { frames, bytes } = toWire(accepted);
    this.send({ op: "commit-wire", id: 0, frames, bytes, nowSec }, done as (r: WriteResult<unknown>) => void, [bytes.buffer as ArrayBuffer]);
  }

  status(device: string, status: StatusFrame, nowSec: number, done: (r: WriteResult<null>) => void): void {
    if (this.failed) return this.inline.status(device, status, nowSec, done);
    this.send({ op: "status", id: 0, device, status, nowSec }, done as (r: WriteResult<unknown>) => void);
  }

  settle(parts: SettlePart[], failed: SettleFailure[], nowSec: number, done: (r: WriteResult<null>) => void): void {
    if (this.failed) return this.inline.settle(parts, failed, nowSec, done);
    this.send({ op: "settle", id: 0, parts, failed, nowSec }, done as (r: WriteResult<unknown>) => void);
  }

  /** The thread answers id 0 once it has opened the store (loading it takes a moment). Resolves on failure too: writes then run inline. */
  ready(): Promise<void> {
    return this.started;
  }

  drainSync(): void {
    const deadline = Date.now() + (this.o.drainTimeoutMs ?? 30_000);
    while (this.pending.size > 0 && !this.failed) {
      const seen = Atomics.load(this.signal, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) {
        this.answer(m.message as WriterReply);
        continue;
      }
      if (Date.now() > deadline) {
        this.fail("store writer thread did not answer within " + (this.o.drainTimeoutMs ?? 30_000) + " ms");
        break;
      }
      Atomics.wait(this.signal, 0, seen, 100);
    }
  }

  async close(): Promise<void> {
    this.drainSync();
    if (this.failed) {
      await this.worker.terminate();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate(), 5000);
      this.worker.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.send({ op: "stop", id: 0 }, () => undefined);
    });
    this.port.close();
  }

  private send(r: WriterRequest, done: (r: WriteResult<unknown>) => void, transfer: ArrayBuffer[] = []): void {
    r.id = this.nextId++;
    this.pending.set(r.id, done);
    this.port.postMessage(r, transfer);
  }

  private answer(m: WriterReply): void {
    if (m.id === 0) return this.markStarted();
    const done = this.pending.get(m.id);
    if (!done) return;
    this.pending.delete(m.id);
    done(m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error });
  }

  /** Fails every unanswered write and runs later ones inline. */
  private fail(why: string): void {
    if (this.failed) return;
    this.failed = true;
    this.o.log.error({ err: why, unanswered: this.pending.size }, "store writer thread lost; writing on the main connection");
    this.markStarted();
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const done of waiting) done({ ok: false, error: why });
    void this.worker.terminate();
  }
}
