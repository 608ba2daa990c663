// The store writer thread (store-writer.ts): its own connection to the gateway's file, one
// request at a time, in order, each answered on the port it came from. After each answer it
// bumps the shared signal, which wakes a drainSync waiting on the main thread.
import { workerData, type MessagePort } from "node:worker_threads";
import { openDatabase } from "../store/open";
import { BACKSTOP_AUTOCHECKPOINT_PAGES } from "../store/checkpointer";
import { GatewayStore } from "../store/store";
import { runRequest, type WriterReply, type WriterRequest } from "./store-writer";

const data = workerData as { file: string; synchronous: "FULL" | "NORMAL"; cacheMiB: number; port: MessagePort; signal: Int32Array };
const store = new GatewayStore(openDatabase(data.file, data.synchronous), data.synchronous);
store.db.pragma("cache_size = -" + Math.round(data.cacheMiB * 1024));
// Checkpoints are the checkpointer thread's job; this connection keeps only the backstop.
store.db.pragma("wal_autocheckpoint = " + BACKSTOP_AUTOCHECKPOINT_PAGES);

function reply(m: WriterReply): void {
  data.port.postMessage(m);
  Atomics.add(data.signal, 0, 1);
  Atomics.notify(data.signal, 0);
}

reply({ id: 0, ok: true, value: "ready" });

data.port.on("message", (r: WriterRequest) => {
  if (r.op === "stop") {
    store.close();
    reply({ id: r.id, ok: true, value: null });
    data.port.close();
    return;
  }
  const res = runRequest(store, r);
  reply(res.ok ? { id: r.id, ok: true, value: res.value } : { id: r.id, ok: false, error: res.error });
});
