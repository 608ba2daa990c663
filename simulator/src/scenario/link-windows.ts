// When each board has a network link: daily windows or always-on, minus outages, as merged
// [up, down) intervals in Unix ms.
import { DAY_MS, parseWindow } from "./clock";
import type { LinkSpec } from "./types";

export function linkIntervals(link: LinkSpec, startMs: number, days: number): [number, number][] {
  const endMs = startMs + days * DAY_MS;
  let up: [number, number][] = [];
  if (link.always) up.push([startMs, endMs]);
  for (const w of link.daily ?? []) {
    const win = parseWindow(w);
    if (!win) continue; // validated before; a bad window here would only be skipped
    for (let d = 0; d < days; d++) up.push([startMs + d * DAY_MS + win.from * 60_000, startMs + d * DAY_MS + win.to * 60_000]);
  }
  up = up.map(([a, b]): [number, number] => [Math.max(a, startMs), Math.min(b, endMs)]).filter(([a, b]) => a < b);
  for (const o of link.outages ?? []) {
    const oa = startMs + o.fromDay * DAY_MS;
    const ob = oa + o.days * DAY_MS;
    const next: [number, number][] = [];
    for (const [a, b] of up) {
      if (b <= oa || a >= ob) next.push([a, b]);
      else {
        if (a < oa) next.push([a, oa]);
        if (b > ob) next.push([ob, b]);
      }
    }
    up = next;
  }
  up.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const iv of up) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}
