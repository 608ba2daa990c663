// Operations HTTP: Prometheus /metrics, /healthz, and a small read-only JSON API for the
// dashboard. Never exposes device secrets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "../log/logger";
import { deviceRows } from "../dashboard/device-rows";
import type { GatewayStore } from "../store/store";
import { statusSummary } from "../status/summary";

export interface HttpDeps {
  store: GatewayStore;
  registry: Registry;
  log: Logger;
  /** Extra live facts for /api/status and /healthz (links, disk alarm). */
  live: () => { platformOnline: boolean; diskAlarm: boolean; relayInFlight: number };
  /** The operators' dashboard: its page at "/" and its own /api routes; returns false when a path is not its. */
  dashboard?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET") return json(res, 405, { error: "method not allowed" });
  switch (url.pathname) {
    case "/metrics": {
      const body = await deps.registry.metrics();
      res.writeHead(200, { "content-type": deps.registry.contentType });
      res.end(body);
      return;
    }
    case "/healthz": {
      const live = deps.live();
      // Unhealthy only when the gateway cannot take frames; a platform outage is backlog, not failure.
      return json(res, live.diskAlarm ? 503 : 200, { ok: !live.diskAlarm, ...live });
    }
    case "/api/status":
      return json(res, 200, { ...statusSummary(deps.store), ...deps.live() });
    case "/api/devices":
      // Public rows plus the gateway's ack position and the board's unsynced count.
      return json(res, 200, deviceRows(deps.store));
    case "/api/alerts": {
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get("limit") ?? 100) || 100));
      return json(res, 200, deps.store.alerts.list({ limit, kind: url.searchParams.get("kind") ?? undefined }));
    }
    default:
      if (deps.dashboard?.(req, res, url)) return;
      return json(res, 404, { error: "not found" });
  }
}

export async function startHttp(host: string, port: number, deps: HttpDeps): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    route(req, res, deps).catch((err) => {
      deps.log.error({ err: String(err), url: req.url }, "http handler failed");
      if (!res.headersSent) json(res, 500, { error: "internal error" });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
