// Devices table from /api/devices: identity, health from the last status frame, and
// how much the board still holds unsynced.
import { $, h } from "./dom.js";
import { ago, dateTime, kib, num } from "./format.js";

function flashCell(stats) {
  if (!stats || typeof stats.flashUsed !== "number" || !(stats.flashTotal > 0)) return "–";
  const pct = Math.min(100, Math.round((stats.flashUsed / stats.flashTotal) * 100));
  return h("span", { title: kib(stats.flashUsed) + " / " + kib(stats.flashTotal) },
    h("span", { class: "bar" + (pct >= 80 ? " high" : "") }, h("span", { style: { width: pct + "%" } })),
    h("span", { class: "bar-text" }, pct + "%"));
}

function clockCell(stats) {
  if (!stats || typeof stats.trusted !== "boolean") return h("span", { class: "badge muted" }, "unknown");
  return stats.trusted ? h("span", { class: "badge ok" }, "trusted 可信") : h("span", { class: "badge warn" }, "untrusted 未校时");
}

function statusCell(d) {
  if (d.status === "revoked") return h("span", { class: "badge bad", title: "revoked " + dateTime(d.revokedAt) }, "revoked 已停用");
  const parts = [h("span", { class: "badge ok" }, "active 在用")];
  if (d.stats && d.stats.sessionOpen) parts.push(" ", h("span", { class: "badge info" }, "session 配药中"));
  return parts;
}

export function renderDevices(devices) {
  const body = $("devices").tBodies[0];
  const rows = devices.map((d) => {
    const s = d.stats;
    const fw = s && s.firmware ? s.firmware + (s.board ? " · " + s.board : "") : "–";
    return h("tr", { class: d.status === "revoked" ? "revoked" : null, "data-device": d.id },
      h("td", null, d.id),
      h("td", null, d.institution),
      h("td", null, d.operator),
      h("td", { title: dateTime(d.lastSeen) }, ago(d.lastSeen)),
      h("td", null, fw),
      h("td", { class: "num unsynced" }, d.unsynced === null || d.unsynced === undefined ? "–" : num(d.unsynced)),
      h("td", null, flashCell(s)),
      h("td", null, clockCell(s)),
      h("td", { class: "status" }, statusCell(d)));
  });
  body.replaceChildren(...rows);
  $("devices-empty").hidden = devices.length > 0;
}
