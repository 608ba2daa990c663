// Page bootstrap: load everything once, then follow /api/live (Server-Sent Events). While
// the stream is down (or the browser has no EventSource) the page polls the same JSON.
import { AlertsPanel } from "./alerts.js";
import { getJson } from "./api.js";
import { renderBoards } from "./boards.js";
import { RelayChart } from "./chart.js";
import { renderDevices } from "./devices.js";
import { $ } from "./dom.js";
import { renderProgress } from "./progress.js";
import { renderStatus } from "./summary.js";

const POLL_MS = 5000;
const WINDOW_MS = 15 * 60 * 1000;

const chart = new RelayChart($("chart"), $("chart-legend"), WINDOW_MS);
const alerts = new AlertsPanel(showError);
let pollTimer = null;

function stamp() {
  $("updated").textContent = new Date().toLocaleTimeString("en-GB");
}

function showError(err) {
  console.warn("dashboard:", err);
  setConn("down", "gateway unreachable 无法连接");
}

function setConn(state, text) {
  const el = $("conn");
  el.dataset.state = state;
  el.textContent = text;
}

function onStatus(st) {
  renderStatus(st);
  alerts.noteKinds(st.alerts);
  stamp();
}

async function refreshAll() {
  try {
    const lastT = chart.samples.length ? chart.samples[chart.samples.length - 1].t : 0;
    const [status, devices, series, boards, progress] = await Promise.all([
      getJson("/api/status"), getJson("/api/devices"), getJson("/api/series" + (lastT ? "?since=" + lastT : "")),
      getJson("/api/boards"), getJson("/api/progress"),
    ]);
    onStatus(status);
    renderDevices(devices);
    if (lastT) for (const s of series.samples) chart.add(s);
    else chart.setSamples(series.samples);
    renderBoards(boards);
    renderProgress(progress);
    await alerts.reload();
    return true;
  } catch (err) {
    showError(err);
    return false;
  }
}

function startPolling() {
  if (pollTimer) return;
  setConn("polling", "polling 轮询");
  pollTimer = setInterval(async () => {
    if (await refreshAll()) setConn("polling", "polling 轮询");
  }, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

function connectLive() {
  if (typeof EventSource === "undefined") return startPolling();
  const es = new EventSource("/api/live");
  const on = (event, fn) => es.addEventListener(event, (e) => {
    try {
      fn(JSON.parse(e.data));
    } catch (err) {
      console.warn("dashboard: bad live event", event, err);
    }
  });
  on("hello", () => {
    // (Re)connected: catch up on anything missed while the stream was down.
    stopPolling();
    setConn("live", "live 实时");
    refreshAll().then((ok) => ok && setConn("live", "live 实时"));
  });
  on("tick", (t) => {
    chart.add(t.sample);
    onStatus(t.status);
  });
  on("devices", renderDevices);
  on("alert", (a) => alerts.add(a));
  on("boards", renderBoards);
  on("progress", renderProgress);
  // EventSource retries by itself; until it is back, poll so the numbers keep moving.
  es.addEventListener("error", () => startPolling());
}

window.addEventListener("resize", () => chart.render());
refreshAll();
connectLive();
