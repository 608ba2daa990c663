// A tiny HTTP endpoint to steer and inspect a running platform emulator from outside the
// process (a tester's shell, a CI script): GET /stats, /mode, /alerts, /sales?code=...,
// POST /mode with a JSON body such as {"down": true} or {"ackDelayMs": 2000}.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PlatformEmulator, PlatformMode } from "./emulator";

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4096;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Parses a mode change; returns an error line for anything but known fields of the right type. */
export function parseModeChange(text: string): { ok: true; mode: Partial<PlatformMode> } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: "body is not JSON" };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ok: false, error: "body must be a JSON object" };
  const mode: Partial<PlatformMode> = {};
  for (const [k, v] of Object.entries(raw)) {
    if ((k === "down" || k === "withholdAcks") && typeof v === "boolean") mode[k] = v;
    else if (k === "ackDelayMs" && typeof v === "number" && v >= 0) mode.ackDelayMs = v;
    else if (k === "rejectRate" && typeof v === "number" && v >= 0 && v <= 1) mode.rejectRate = v;
    else return { ok: false, error: "unknown field or bad value: " + k };
  }
  return { ok: true, mode };
}

export async function startControlServer(platform: PlatformEmulator, port = 0, host = "127.0.0.1"): Promise<ControlServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://control");
    const route = (req.method ?? "GET") + " " + url.pathname;
    void (async () => {
      if (route === "GET /stats") return reply(res, 200, platform.stats());
      if (route === "GET /mode") return reply(res, 200, platform.mode());
      if (route === "GET /alerts") return reply(res, 200, platform.alerts());
      if (route === "GET /sales") {
        const code = url.searchParams.get("code");
        if (!code) return reply(res, 400, { error: "query parameter code is required" });
        return reply(res, 200, platform.salesForCode(code));
      }
      if (route === "POST /mode") {
        const parsed = parseModeChange(await readBody(req));
        if (!parsed.ok) return reply(res, 400, { error: parsed.error });
        await platform.setMode(parsed.mode);
        return reply(res, 200, platform.mode());
      }
      reply(res, 404, { error: "no such route: " + route });
    })().catch((err) => reply(res, 500, { error: String(err && err.message ? err.message : err) }));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address() as AddressInfo;
  return {
    url: "http://" + host + ":" + addr.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
