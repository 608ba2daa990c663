// Server-Sent Events hub for /api/live: every open page gets the same small events
// (tick, alert, devices, boards, progress). A slow or gone client is dropped, never waited on.
import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_LIVE_CLIENTS = 64;
const HEARTBEAT_MS = 15_000;
/** Bytes queued in a client's socket beyond which it is considered stuck and dropped. */
const MAX_BUFFERED = 1 << 20;

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;
  private dropped = 0;

  constructor() {
    // A comment line keeps proxies and idle-timeouts from closing quiet streams.
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Clients dropped for being too slow (for the logs and the tests). */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Takes over the response as an event stream. `hello` events go to this client only. */
  attach(req: IncomingMessage, res: ServerResponse, hello: { event: string; data: unknown }[]): boolean {
    if (this.clients.size >= MAX_LIVE_CLIENTS) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "10" });
      res.end(JSON.stringify({ error: "too many live clients" }));
      return false;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    // Browsers reconnect after this many ms when the gateway restarts.
    res.write("retry: 3000\n\n");
    for (const h of hello) res.write(frame(h.event, h.data));
    this.clients.add(res);
    const gone = () => this.clients.delete(res);
    req.on("close", gone);
    res.on("error", gone);
    return true;
  }

  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    this.write(frame(event, data));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED) {
        this.dropped++;
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(text);
    }
  }
}

/** One SSE message; JSON never contains a raw newline, so one data line suffices. */
export function frame(event: string, data: unknown): string {
  return "event: " + event + "\ndata: " + JSON.stringify(data) + "\n\n";
}
