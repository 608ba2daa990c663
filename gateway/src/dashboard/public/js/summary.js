// Summary cards and the header's link pills, from /api/status.
import { $, setText } from "./dom.js";
import { num } from "./format.js";

function pill(id, state, text) {
  const el = $(id);
  el.dataset.state = state;
  el.textContent = text;
}

export function renderStatus(st) {
  const devices = st.devices || { active: 0, revoked: 0 };
  setText("k-devices", num(devices.active + devices.revoked));
  setText("k-devices-sub", num(devices.active) + " active 在用 · " + num(devices.revoked) + " revoked 停用");
  setText("k-records", num(st.records));
  const c = st.counters || {};
  setText("k-records-sub", num(c["frames.accepted"] ?? 0) + " frames accepted");
  setText("k-backlog", num(st.backlog));
  setText("k-backlog-sub", num(st.relayInFlight) + " in flight 上传中");
  const kinds = Object.entries(st.alerts || {});
  setText("k-alerts", num(kinds.reduce((n, [, v]) => n + v, 0)));
  setText("k-alerts-sub", kinds.map(([k, v]) => k + " " + v).join(" · "));
  setText("k-warn", num(st.warnList));
  const rejected = Object.entries(c).filter(([k]) => k.startsWith("frames.rejected.")).reduce((n, [, v]) => n + v, 0);
  setText("k-rejects", rejected ? num(rejected) + " frames rejected 拒收" : "");
  pill("platform", st.platformOnline ? "ok" : "down", st.platformOnline ? "platform 平台 online" : "platform 平台 offline");
  pill("disk", st.diskAlarm ? "bad" : "ok", st.diskAlarm ? "disk 磁盘 FULL" : "disk 磁盘 ok");
}
