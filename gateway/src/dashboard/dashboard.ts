// The operators' dashboard behind the gateway's HTTP server: static page, JSON for what it
// shows, the 1 Hz relay series, progress of long jobs, simulated boards' views and the
// /api/live event stream. The simulator and training jobs reach it via `handle.dashboard`.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayBus } from "../bus/events";
import type { Logger } from "../log/logger";
import { statusSummary } from "../status/summary";
import type { GatewayStore } from "../store/store";
import type { StoredRecord } from "../store/types";
import type { BoardView, BoardViewSource } from "./board-views";
import { deviceRows } from "./device-rows";
import { LiveHub } from "./live";
import { ProgressRegistry } from "./progress";
import { StaticFiles } from "./static-files";
import { DEFAULT_SERIES_CAPACITY, RateCounter, RingSeries } from "./timeseries";

export interface LiveFacts {
  platformOnline: boolean;
  diskAlarm: boolean;
  relayInFlight: number;
}

export interface DashboardDeps {
  store: GatewayStore;
  bus: GatewayBus;
  log: Logger;
  live: () => LiveFacts;
  /** Sampling period of the relay series (1 s in production). */
  sampleMs?: number;
  capacity?: number;
}

/** Most evidence keys one /api/records call resolves. */
export const MAX_EVIDENCE_KEYS = 100;
/** Devices are re-sent at least this often (last-seen times move without any event). */
const DEVICES_EVERY_TICKS = 5;
/** Board and progress changes are coalesced to at most one event per this many ms. */
const COALESCE_MS = 200;

export class Dashboard {
  readonly progress = new ProgressRegistry();
  readonly series: RingSeries;
  readonly sampleMs: number;
  private readonly hub = new LiveHub();
  private readonly files = new StaticFiles();
  private readonly rate: RateCounter;
  private readonly unsubscribe: (() => void)[] = [];
  private boardSource: BoardViewSource | null = null;
  private unsubscribeBoards: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private devicesDirty = true;
  private pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: DashboardDeps) {
    this.sampleMs = deps.sampleMs ?? 1000;
    this.series = new RingSeries(deps.capacity ?? DEFAULT_SERIES_CAPACITY);
    this.rate = new RateCounter(Date.now());
    const { bus } = deps;
    this.unsubscribe.push(
      bus.on("records-stored", (records) => this.rate.addIn(records.length)),
      bus.on("relay-delivered", (n) => this.rate.addRelayed(n)),
      bus.on("alert-raised", (a) => this.hub.broadcast("alert", a)),
      bus.on("frame-acked", () => { this.devicesDirty = true; }),
      bus.on("device-connected", () => { this.devicesDirty = true; }),
      // A status frame changes the board's unsynced count and health: show it at once.
      bus.on("device-status", () => { if (this.hub.size > 0) this.soon("devices", () => deviceRows(this.deps.store)); }),
    );
    this.unsubscribe.push(this.progress.on(() => this.soon("progress", () => this.progress.list())));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.sampleMs);
    this.timer.unref();
  }

  /** Plugs in (or, with null, removes) the simulated boards' views. */
  setBoardViews(source: BoardViewSource | null): void {
    this.unsubscribeBoards?.();
    this.unsubscribeBoards = null;
    this.boardSource = source;
    if (source) this.unsubscribeBoards = source.on(() => this.soon("boards", () => this.boardsPayload()));
    this.hub.broadcast("boards", this.boardsPayload());
  }

  /** Live page connections right now. */
  get liveClients(): number {
    return this.hub.size;
  }

  /** Routes the dashboard owns; false leaves the request to the rest of the server. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    switch (url.pathname) {
      case "/api/live":
        this.hub.attach(req, res, [{ event: "hello", data: { serverTime: Date.now(), sampleMs: this.sampleMs } }]);
        return true;
      case "/api/series": {
        const since = Number(url.searchParams.get("since"));
        json(res, 200, { sampleMs: this.sampleMs, capacity: this.series.capacity, samples: this.series.toArray(Number.isFinite(since) && since > 0 ? since : undefined) });
        return true;
      }
      case "/api/boards":
        json(res, 200, this.boardsPayload());
        return true;
      case "/api/progress":
        json(res, 200, this.progress.list());
        return true;
      case "/api/records":
        return this.records(res, url);
      default:
        return this.files.serve(req, res, url.pathname);
    }
  }

  /** One sample of the relay series; with pages open, also their once-a-second refresh. */
  tick(now = Date.now()): void {
    try {
      const sample = this.rate.sample(now, this.deps.store.outbox.size());
      this.series.push(sample);
      this.ticks++;
      if (this.hub.size === 0) return;
      this.hub.broadcast("tick", { sample, status: { ...statusSummary(this.deps.store), ...this.deps.live() } });
      if (this.devicesDirty || this.ticks % DEVICES_EVERY_TICKS === 0) {
        this.devicesDirty = false;
        this.hub.broadcast("devices", deviceRows(this.deps.store));
      }
    } catch (err) {
      this.deps.log.error({ err: String(err) }, "dashboard sample failed");
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const u of this.unsubscribe) u();
    this.unsubscribeBoards?.();
    this.hub.close();
  }

  private boardsPayload(): { enabled: boolean; boards: BoardView[]; error?: string } {
    if (!this.boardSource) return { enabled: false, boards: [] };
    try {
      return { enabled: true, boards: this.boardSource.list() };
    } catch (err) {
      // A faulty source costs the panel, never the gateway.
      this.deps.log.warn({ err: String(err) }, "board view source failed");
      return { enabled: true, boards: [], error: "board view source failed" };
    }
  }

  private records(res: ServerResponse, url: URL): boolean {
    const keys = (url.searchParams.get("keys") ?? "").split(",").map((k) => k.trim()).filter(Boolean);
    if (keys.length > MAX_EVIDENCE_KEYS) {
      json(res, 400, { error: "at most " + MAX_EVIDENCE_KEYS + " keys" });
      return true;
    }
    const found: StoredRecord[] = [];
    const missing: string[] = [];
    for (const key of keys) {
      const at = key.lastIndexOf(":");
      const seq = Number(key.slice(at + 1));
      const rec = at > 0 && Number.isSafeInteger(seq) && seq > 0 ? this.deps.store.records.get(key.slice(0, at), seq) : null;
      if (rec) found.push(rec);
      else missing.push(key);
    }
    json(res, 200, { records: found, missing });
    return true;
  }

  /** Sends `event` once within COALESCE_MS however many changes arrive. */
  private soon(event: string, payload: () => unknown): void {
    if (this.pending.has(event)) return;
    const t = setTimeout(() => {
      this.pending.delete(event);
      this.hub.broadcast(event, payload());
    }, COALESCE_MS);
    t.unref();
    this.pending.set(event, t);
  }
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
