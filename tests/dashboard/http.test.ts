// The dashboard's HTTP side without a browser: what is served, what is refused, the JSON
// the page reads and the event stream.
import { request } from "node:http";
import { T0, cn20, dispense, waitFor } from "../gateway/helpers";
import { BoardViewsDouble } from "./board-views-double";
import { startDashboardGateway, type DashboardFixture } from "./gateway-fixture";

/** Raw GET (fetch would normalise "../" away before it reaches the server). */
function rawGet(port: number, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Reads SSE events from /api/live until `until` says enough. */
async function readEvents(base: string, until: (events: { event: string; data: unknown }[]) => boolean, ms = 8000): Promise<{ event: string; data: unknown }[]> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ms);
  const res = await fetch(base + "/api/live", { signal: ctl.signal });
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buf = "";
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let cut;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const ev = /^event: (.*)$/m.exec(block);
        const data = /^data: (.*)$/m.exec(block);
        if (ev && data) events.push({ event: ev[1], data: JSON.parse(data[1]) });
      }
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
  return events;
}

describe("dashboard HTTP", () => {
  let fx: DashboardFixture;
  beforeAll(async () => {
    fx = await startDashboardGateway("gw-dash-http-" + process.pid, [{ id: "D1", institution: "H1", operator: "op1" }]);
    await fx.sendRecords("D1", [dispense(1, cn20(1)), dispense(2, cn20(2))]);
    await waitFor(() => fx.gw.store.records.count() === 2, 10_000, "records stored");
  });
  afterAll(() => fx.stop());

  it("serves the page and its modules locally, with a CSP that allows nothing remote", async () => {
    const page = await fetch(fx.base + "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(fx.base + "/js/main.js");
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const again = await fetch(fx.base + "/js/main.js", { headers: { "if-none-match": js.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("never serves anything outside its files", async () => {
    for (const path of ["/../app.ts", "/js/../../dashboard.ts", "/%2e%2e/app.ts", "/nope.js", "/js/"]) {
      expect((await rawGet(fx.gw.ports.http!, path)).status).toBe(404);
    }
    expect((await fetch(fx.base + "/api/unknown")).status).toBe(404);
  });

  it("devices carry the gateway's ack position and the board's unsynced count", async () => {
    const devices = (await (await fetch(fx.base + "/api/devices")).json()) as Record<string, unknown>[];
    expect(devices).toEqual([expect.objectContaining({ id: "D1", gatewayAckedUpto: 2, unsynced: null })]);
    expect(devices[0]).not.toHaveProperty("secret");
  });

  it("resolves evidence keys to records and reports the rest as missing", async () => {
    const r = (await (await fetch(fx.base + "/api/records?keys=D1:2,D1:99,garbage,:3,D1:-1,D1:1.5")).json()) as { records: { key: string }[]; missing: string[] };
    expect(r.records.map((x: { key: string }) => x.key)).toEqual(["D1:2"]);
    expect(r.missing).toEqual(["D1:99", "garbage", ":3", "D1:-1", "D1:1.5"]);
    const many = Array.from({ length: 101 }, (_, i) => "D1:" + (i + 1)).join(",");
    expect((await fetch(fx.base + "/api/records?keys=" + many)).status).toBe(400);
  });

  it("boards: hidden without a source, shown with one, an error (not a crash) when it throws", async () => {
    expect(await (await fetch(fx.base + "/api/boards")).json()).toEqual({ enabled: false, boards: [] });
    const src = new BoardViewsDouble();
    src.set({ id: "D1", leds: [{ name: "LED1", colour: "green", on: true }], buzzer: null, display: null, feedback: "ok", updatedAt: T0 * 1000 });
    fx.gw.dashboard.setBoardViews(src);
    expect(((await (await fetch(fx.base + "/api/boards")).json()) as { boards: unknown[] }).boards).toHaveLength(1);
    src.failing = true;
    expect(await (await fetch(fx.base + "/api/boards")).json()).toEqual({ enabled: true, boards: [], error: "board view source failed" });
    fx.gw.dashboard.setBoardViews(null);
    expect(src.listenerCount).toBe(0);
  });

  it("samples the relay series every second and answers catch-up reads", async () => {
    await waitFor(() => fx.gw.dashboard.series.size >= 2, 5000, "two samples");
    type Series = { sampleMs: number; capacity: number; samples: { t: number; backlog: number }[] };
    const all = (await (await fetch(fx.base + "/api/series")).json()) as Series;
    expect(all.sampleMs).toBe(1000);
    expect(all.capacity).toBe(900);
    expect(all.samples.at(-1)).toMatchObject({ backlog: fx.gw.store.outbox.size() });
    const since = all.samples.at(-1)!.t;
    const later = (await (await fetch(fx.base + "/api/series?since=" + since)).json()) as Series;
    expect(later.samples.every((s) => s.t > since)).toBe(true);
  });

  it("streams ticks, alerts, devices and progress to a live client", async () => {
    const got = readEvents(fx.base, (ev) => ["hello", "tick", "devices", "alert", "progress"].every((k) => ev.some((e) => e.event === k)));
    await waitFor(() => fx.gw.dashboard.liveClients === 1, 5000, "live client attached");
    fx.gw.alerts.raise({ kind: "odd-hours", severity: "info", device: "D1", reason: "test", evidence: { records: ["D1:1"] } });
    fx.gw.dashboard.progress.start("job", 3);
    const events = await got;
    expect(events[0].event).toBe("hello");
    expect(events.find((e) => e.event === "alert")!.data).toMatchObject({ kind: "odd-hours", device: "D1" });
    expect(events.find((e) => e.event === "tick")!.data).toMatchObject({ status: { records: 2 } });
    expect(events.find((e) => e.event === "progress")!.data).toEqual([expect.objectContaining({ name: "job", total: 3, done: 0 })]);
    await waitFor(() => fx.gw.dashboard.liveClients === 0, 5000, "closed client dropped");
  });
});
