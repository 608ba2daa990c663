// Hand-written SVG chart of the relay: backlog (area, top band) and records in/s against
// relayed/s (lines, bottom band) over the window the gateway keeps.
import { clock, num, rate } from "./format.js";

const NS = "http://www.w3.org/2000/svg";
const H = 260;
const PAD_L = 54, PAD_R = 12, TOP = 10, BAND = 100, GAP = 30;

function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const MIN_SPAN_MS = 2 * 60 * 1000;
const TICK_STEPS_MS = [15_000, 30_000, 60_000, 120_000, 180_000, 300_000];

/** Shown span: what the gateway has (at least 2 min, so a fresh gateway's first seconds are readable), at most the window. */
export function spanOf(samples, windowMs) {
  if (samples.length < 2) return MIN_SPAN_MS;
  const have = samples[samples.length - 1].t - samples[0].t;
  return Math.min(windowMs, Math.max(MIN_SPAN_MS, have));
}

/** 1, 2, 5 x 10^k at or above x, so the axis reads in round numbers. */
export function niceCeil(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

export class RelayChart {
  constructor(container, legend, windowMs) {
    this.container = container;
    this.legend = legend;
    this.windowMs = windowMs;
    this.samples = [];
  }

  setSamples(samples) {
    this.samples = samples.slice(-Math.ceil(this.windowMs / 500));
    this.render();
  }

  add(sample) {
    const last = this.samples[this.samples.length - 1];
    if (last && sample.t <= last.t) return;
    this.samples.push(sample);
    const cutoff = sample.t - this.windowMs;
    while (this.samples.length && this.samples[0].t < cutoff) this.samples.shift();
    this.render();
  }

  render() {
    const W = Math.max(320, this.container.clientWidth || 800);
    const s = this.samples;
    const now = s.length ? s[s.length - 1].t : Date.now();
    const span = spanOf(s, this.windowMs);
    const t0 = now - span;
    const x = (t) => PAD_L + ((t - t0) / span) * (W - PAD_L - PAD_R);
    const backlogMax = niceCeil(Math.max(1, ...s.map((p) => p.backlog)));
    const rateMax = niceCeil(Math.max(1, ...s.map((p) => Math.max(p.inPerSec, p.relayedPerSec))));
    const band1 = TOP, band2 = TOP + BAND + GAP;
    const y1 = (v) => band1 + BAND - (v / backlogMax) * BAND;
    const y2 = (v) => band2 + BAND - (v / rateMax) * BAND;

    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Relay backlog and rates" });
    for (const [top, max, label] of [[band1, backlogMax, "backlog 待上传"], [band2, rateMax, "records/s 条/秒"]]) {
      for (let i = 0; i <= 2; i++) {
        const yy = top + (BAND * i) / 2;
        svg.append(el("line", { class: "grid", x1: PAD_L, x2: W - PAD_R, y1: yy, y2: yy }));
        svg.append(el("text", { class: "axis", x: PAD_L - 6, y: yy + 4, "text-anchor": "end" }, num(max * (1 - i / 2))));
      }
      svg.append(el("text", { class: "axis band-label", x: PAD_L + 6, y: top + 12 }, label));
    }
    // At most ~6 time ticks, on round times.
    const step = TICK_STEPS_MS.find((m) => span / m <= 6) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
    for (let t = Math.ceil(t0 / step) * step; t <= now; t += step) {
      svg.append(el("line", { class: "grid", x1: x(t), x2: x(t), y1: TOP, y2: band2 + BAND }));
      svg.append(el("text", { class: "axis", x: x(t), y: H - 4, "text-anchor": "middle" }, clock(t, step < 60_000)));
    }
    if (s.length) {
      const pts = s.map((p) => [x(p.t), y1(p.backlog)]);
      const area = `M${pts[0][0]},${band1 + BAND} ` + pts.map((p) => `L${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(" ") + ` L${pts[pts.length - 1][0]},${band1 + BAND} Z`;
      svg.append(el("path", { class: "backlog", d: area }));
      svg.append(el("polyline", { class: "in", points: s.map((p) => `${x(p.t).toFixed(1)},${y2(p.inPerSec).toFixed(1)}`).join(" ") }));
      svg.append(el("polyline", { class: "out", points: s.map((p) => `${x(p.t).toFixed(1)},${y2(p.relayedPerSec).toFixed(1)}`).join(" ") }));
    }
    this.container.replaceChildren(svg);
    this.renderLegend(s[s.length - 1]);
  }

  renderLegend(last) {
    const item = (colour, label, value, id) => {
      const span = document.createElement("span");
      const i = document.createElement("i");
      i.style.background = colour;
      const b = document.createElement("b");
      b.id = id;
      b.textContent = value;
      span.append(i, label + " ", b);
      return span;
    };
    this.legend.replaceChildren(
      item("#2b6cb0", "Backlog 待上传", last ? num(last.backlog) : "–", "lg-backlog"),
      item("#1f8a4c", "Records in 接收/s", last ? rate(last.inPerSec) : "–", "lg-in"),
      item("#d97706", "Relayed 已上传/s", last ? rate(last.relayedPerSec) : "–", "lg-out"),
    );
  }
}
