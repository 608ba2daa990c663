// The dashboard in a real headless Chromium against a live gateway fed real sealed frames:
// the numbers on the page match the store, live updates arrive over SSE, the polling
// fallback keeps working without it, and a screenshot is saved (to docs/dashboard.png with
// VT_UPDATE_SCREENSHOT=1).
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { EV_DISPENSE } from "../../protocol/src/record";
import { FakePlatform } from "../gateway/fake-platform";
import { T0, cn20, dispense, waitFor } from "../gateway/helpers";
import { BoardViewsDouble } from "./board-views-double";
import { startDashboardGateway, type DashboardFixture } from "./gateway-fixture";

// The page functions below run in the browser; this file is compiled without the DOM lib.
declare const document: {
  querySelector(s: string): { textContent: string | null; getAttribute(name: string): string | null } | null;
  querySelectorAll(s: string): { length: number };
};

const CHROMIUM = process.env.VT_CHROMIUM ?? "/usr/bin/chromium";
const SKIP = process.env.VT_SKIP_BROWSER === "1";
// The README's picture is refreshed on request (VT_UPDATE_SCREENSHOT=1); ordinary runs leave the tree clean.
const SCREENSHOT = process.env.VT_UPDATE_SCREENSHOT === "1"
  ? join(__dirname, "..", "..", "docs", "dashboard.png")
  : join(tmpdir(), `vt-dashboard-${process.pid}.png`);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const GW_ID = "gw-dash-" + process.pid;
const DEVICES = [
  { id: "HX-C01", institution: "红星村卫生室", operator: "李医生" },
  { id: "HX-C02", institution: "东坡村卫生室", operator: "王护士" },
  { id: "HX-C03", institution: "西河村卫生室", operator: "张医生" },
];

/** Text of an element as a number ("1,234" -> 1234). */
async function numberAt(page: Page, selector: string): Promise<number> {
  const text = (await page.locator(selector).textContent()) ?? "";
  return Number(text.replace(/,/g, ""));
}

async function waitForText(page: Page, selector: string, expected: string, timeoutMs = 10_000): Promise<void> {
  try {
    await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [selector, expected] as const, { timeout: timeoutMs, polling: 50 });
  } catch {
    throw new Error(`${selector} never showed "${expected}" (shows "${await page.locator(selector).textContent()}")`);
  }
}

(SKIP ? describe.skip : describe)("dashboard in headless Chromium", () => {
  let browser: Browser;
  let fx: DashboardFixture;
  let platform: FakePlatform;
  const boards = new BoardViewsDouble();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium), point VT_CHROMIUM at it, or set VT_SKIP_BROWSER=1 to skip the browser suite`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    platform = await FakePlatform.start(process.env.VT_TEST_BROKER_URL!, [GW_ID]);
    platform.acking = false; // the backlog holds until the test lets the platform answer
    fx = await startDashboardGateway(GW_ID, DEVICES, { url: process.env.VT_TEST_BROKER_URL, ackTimeoutMs: 300 });
    fx.gw.revokeDevice("HX-C03");

    // Real frames: 12 sales from C01, 8 from C02 whose last resells C01's third box.
    const c01 = Array.from({ length: 12 }, (_, i) => dispense(i + 1, cn20(500 + i)));
    const c02 = Array.from({ length: 8 }, (_, i) => dispense(i + 1, i === 7 ? cn20(502) : cn20(600 + i), { time: T0 + 3600 + i }));
    await fx.sendRecords("HX-C01", c01.slice(0, 6));
    await fx.sendRecords("HX-C01", c01.slice(6));
    await fx.sendRecords("HX-C02", c02);
    const status = { boot: 1, uptime: 5000, time: T0 + 5000, firmware: "1.0.0+3f2a9c1", memUsage: 900, sessionOpen: false };
    await fx.sendStatus({ ...status, device: "HX-C01", trusted: true, board: "pico", seqHead: 15, ackedUpto: 10, flashUsed: 12_288, flashTotal: 65_536 });
    await fx.sendStatus({ ...status, device: "HX-C02", trusted: false, board: "esp32", seqHead: 8, ackedUpto: 8, flashUsed: 58_000, flashTotal: 65_536, sessionOpen: true });
    await waitFor(() => fx.gw.store.records.count() === 20 && fx.gw.store.alerts.list().length === 1, 10_000, "frames stored and the resale flagged");
    await waitFor(() => fx.gw.store.devices.get("HX-C02")?.stats !== null, 10_000, "status frames stored");

    boards.set({ id: "HX-C01", board: "pico", leds: [{ name: "LED1", colour: "red", on: false }, { name: "LED2", colour: "green", on: true }], buzzer: "short", display: "OK 阿莫西林", feedback: "ok", online: true, updatedAt: Date.now() });
    boards.set({ id: "HX-C02", board: "esp32", leds: [{ name: "LED1", colour: "red", on: true }, { name: "LED2", colour: "green", on: false }], buzzer: "long-long", display: "DUPLICATE 重复", feedback: "duplicate", online: true, updatedAt: Date.now() });
    fx.gw.dashboard.setBoardViews(boards);
    fx.gw.dashboard.progress.start("fleet simulation 模拟", 40, "20 boards");
    fx.gw.dashboard.progress.tick("fleet simulation 模拟", 15);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.stop();
    await platform?.stop();
  });

  it("shows the store's numbers, follows live updates and saves a screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const consoleErrors: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    await page.goto(fx.base + "/");
    await page.waitForSelector("#conn[data-state=live]", { timeout: 10_000 });
    const store = fx.gw.store;

    // Summary numbers = the store.
    await waitForText(page, "#k-records", String(store.records.count()));
    expect(await numberAt(page, "#k-devices")).toBe(3);
    expect(await numberAt(page, "#k-backlog")).toBe(store.outbox.size());
    expect(store.outbox.size()).toBe(20);
    expect(await numberAt(page, "#k-alerts")).toBe(1);

    // Devices table: one row per device, figures from the status frames.
    await expect(page.locator("#devices tbody tr").count()).resolves.toBe(3);
    const c01 = page.locator('tr[data-device="HX-C01"]');
    expect(await c01.locator("td.unsynced").textContent()).toBe("3"); // head 15, gateway holds 1..12
    expect(await c01.textContent()).toContain("1.0.0+3f2a9c1 · pico");
    expect(await c01.textContent()).toContain("19%");
    expect(await c01.textContent()).toContain("trusted");
    const c02 = page.locator('tr[data-device="HX-C02"]');
    expect(await c02.textContent()).toContain("untrusted");
    expect(await c02.textContent()).toContain("89%");
    expect(await c02.textContent()).toContain("session");
    expect(await page.locator('tr[data-device="HX-C03"]').getAttribute("class")).toBe("revoked");
    expect(await page.locator('tr[data-device="HX-C03"] td.unsynced').textContent()).toBe("–");

    // The resale alert, opened: its evidence names both sales and the page fetches them.
    const dup = page.locator('#alerts details[data-kind="duplicate-sale"]');
    await expect(dup.count()).resolves.toBe(1);
    expect(await dup.locator(".code").textContent()).toBe(cn20(502));
    await dup.locator("summary").click();
    await page.waitForSelector("table.evidence-records tbody tr");
    const evidenceRows = await dup.locator("table.evidence-records tbody tr").allTextContents();
    expect(evidenceRows).toHaveLength(2);
    expect(evidenceRows.join("\n")).toContain("HX-C01:3");
    expect(evidenceRows.join("\n")).toContain("HX-C02:8");
    expect(await dup.locator(".records").textContent()).not.toContain("null");

    // Boards panel from the double, and the progress bar.
    expect(await page.locator("#boards-panel").isVisible()).toBe(true);
    expect(await page.locator('[data-board="HX-C02"] .lcd').textContent()).toBe("DUPLICATE 重复");
    expect(await page.locator('[data-board="HX-C02"] [data-led="LED1"]').getAttribute("data-on")).toBe("1");
    expect(await page.locator('[data-task="fleet simulation 模拟"] .what').textContent()).toBe("15 / 40 (37%)");

    // Live: new frames, a new alert, a board change and progress arrive without a reload.
    await fx.sendRecords("HX-C01", [dispense(13, cn20(700)), dispense(14, cn20(701)), { ...dispense(15, cn20(702)), event: EV_DISPENSE }]);
    await waitFor(() => store.records.count() === 23, 10_000, "three more records");
    await waitForText(page, "#k-records", "23");
    await waitForText(page, 'tr[data-device="HX-C01"] td.unsynced', "0");
    fx.gw.alerts.raise({ kind: "odd-hours", severity: "warning", device: "HX-C02", code: cn20(601), reason: "sale at 03:12 outside opening hours", evidence: { records: ["HX-C02:2"], hour: 3 } });
    await waitForText(page, "#alerts details:first-child .kind", "odd-hours 异常时段");
    expect(await page.locator("#alerts details").count()).toBe(2);
    boards.set({ id: "HX-C01", board: "pico", leds: [{ name: "LED1", colour: "red", on: true }, { name: "LED2", colour: "green", on: false }], buzzer: "long-long", display: "WARN 警示码", feedback: "warn-list", online: true, updatedAt: Date.now() });
    await waitForText(page, '[data-board="HX-C01"] .lcd', "WARN 警示码");
    fx.gw.dashboard.progress.tick("fleet simulation 模拟", 5);
    await waitForText(page, '[data-task="fleet simulation 模拟"] .what', "20 / 40 (50%)");

    // The platform answers: the backlog drains on the page, and the chart saw sales relayed.
    platform.acking = true;
    await waitFor(() => store.outbox.size() === 0, 15_000, "backlog drained");
    await waitForText(page, "#k-backlog", "0");
    // The relayed/s line leaves its zero baseline (y = 240 in the chart's coordinates).
    await page.waitForFunction(() => {
      const pts = document.querySelector("#chart polyline.out")?.getAttribute("points") ?? "";
      return pts.split(" ").some((p) => Number(p.split(",")[1]) < 239);
    }, null, { timeout: 5000 });
    expect(fx.gw.dashboard.series.toArray().reduce((n, s) => n + s.relayedPerSec, 0)).toBeGreaterThan(0);
    expect(await page.locator("#chart svg path.backlog").count()).toBe(1);

    // Filter by kind.
    await page.selectOption("#alert-kind", "duplicate-sale");
    await page.waitForFunction(() => document.querySelectorAll("#alerts details").length === 1);
    expect(await page.locator("#alerts details").getAttribute("data-kind")).toBe("duplicate-sale");
    await page.selectOption("#alert-kind", "");
    await page.waitForFunction(() => document.querySelectorAll("#alerts details").length === 2);

    // The screenshot shows the resale alert opened with its records (it stayed open through the re-renders).
    expect(await dup.getAttribute("open")).not.toBeNull();
    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it("keeps updating by polling when the event stream is unavailable, and hides the boards without a source", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.route("**/api/live", (route) => route.abort());
    await page.goto(fx.base + "/");
    await page.waitForSelector("#conn[data-state=polling]", { timeout: 10_000 });
    await waitForText(page, "#k-records", String(fx.gw.store.records.count()));
    await fx.sendRecords("HX-C02", [dispense(9, cn20(900))]);
    await waitFor(() => fx.gw.store.records.count() === 24, 10_000, "one more record");
    await waitForText(page, "#k-records", "24", 12_000); // one poll period is 5 s
    fx.gw.dashboard.setBoardViews(null);
    expect(boards.listenerCount).toBe(0);
    await page.waitForSelector("#boards-panel", { state: "hidden", timeout: 12_000 });
    await page.close();
  }, 40_000);
});
