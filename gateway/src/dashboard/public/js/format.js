// Number and time formatting shared by the panels.
const nf = new Intl.NumberFormat("en-US");

export function num(n) {
  return typeof n === "number" && Number.isFinite(n) ? nf.format(n) : "–";
}

export function rate(n) {
  if (typeof n !== "number" || !Number.isFinite(n)) return "–";
  return n >= 100 ? nf.format(Math.round(n)) : String(Math.round(n * 10) / 10);
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** Local wall time, 24 h, as Chinese operators write it: 2025-06-15 23:06:41. */
export function dateTime(unixSec) {
  if (typeof unixSec !== "number" || !Number.isFinite(unixSec)) return "–";
  const d = new Date(unixSec * 1000);
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
}

export function clock(ms, withSeconds = false) {
  const d = new Date(ms);
  return pad(d.getHours()) + ":" + pad(d.getMinutes()) + (withSeconds ? ":" + pad(d.getSeconds()) : "");
}

/** "12 s ago", "3 min ago", "5 h ago", "2 d ago". */
export function ago(unixSec, nowMs = Date.now()) {
  if (typeof unixSec !== "number" || !Number.isFinite(unixSec)) return "never 从未";
  const s = Math.max(0, Math.round(nowMs / 1000 - unixSec));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  if (s < 86400) return Math.floor(s / 3600) + " h ago";
  return Math.floor(s / 86400) + " d ago";
}

export function kib(bytes) {
  if (typeof bytes !== "number" || !Number.isFinite(bytes)) return "–";
  return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.round(bytes / 1024) + " KB";
}
