// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit
// that crosses its threshold, on the committing thread: it copies the WAL into the main
// file and fsyncs it, and with ingest writing thousands of pages per commit that was part
// of nearly every commit. Here a worker thread with its own connection checkpoints
// (PASSIVE: never waits for, nor blocks, the writer) every few hundred ms, and the main
// connection keeps a much higher automatic threshold only as a backstop.
import { Worker } from "node:worker_threads";
import type { Logger } from "../log/logger";
import type { Db } from "./open";

/** Pages the WAL may grow to before the main connection checkpoints by itself (backstop). */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 20_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = " + workerData.synchronous);
let failures = 0;
function checkpoint() {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (err) {
    if (failures++ === 0) parentPort.postMessage({ err: String(err) });
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(db: Db, file: string, synchronous: "FULL" | "NORMAL", log: Logger, intervalMs = 250): Checkpointer {
  db.pragma("wal_autocheckpoint = " + BACKSTOP_AUTOCHECKPOINT_PAGES);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, synchronous, intervalMs, driver: require.resolve("better-sqlite3") } });
  let alive = true;
  const restoreAuto = () => {
    // Without the worker the main connection checkpoints as SQLite does by default.
    if (db.open) db.pragma("wal_autocheckpoint = 1000");
  };
  worker.on("message", (m: { err?: string }) => {
    if (m.err) log.warn({ err: m.err }, "WAL checkpoint failed; retrying");
  });
  worker.on("error", (err) => {
    log.error({ err: String(err) }, "WAL checkpoint worker failed; the store checkpoints on commit again");
    restoreAuto();
  });
  worker.on("exit", () => {
    alive = false;
  });
  worker.unref();
  return {
    async stop() {
      if (!alive) return;
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once("exit", done);
        worker.once("message", (m: { stopped?: boolean }) => {
          if (m.stopped) void worker.terminate();
        });
        worker.postMessage("stop");
        setTimeout(() => void worker.terminate(), 2000).unref();
      });
      restoreAuto();
    },
  };
}
