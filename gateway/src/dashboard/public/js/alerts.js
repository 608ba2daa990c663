// Alerts, newest first, filterable by kind. Opening one shows its evidence and fetches
// the records it names (evidence.records: "<device>:<seq>" keys).
import { getJson } from "./api.js";
import { $, h } from "./dom.js";
import { dateTime } from "./format.js";

const KINDS = ["duplicate-sale", "split-overrun", "warn-list", "expired-pack", "patient-multi-clinic", "odd-hours", "replay", "anomaly"];
const KIND_ZH = {
  "duplicate-sale": "重复销售", "split-overrun": "拆零超量", "warn-list": "警示码", "expired-pack": "过期",
  "patient-multi-clinic": "多机构就诊", "odd-hours": "异常时段", replay: "重放", anomaly: "异常",
};
const SEVERITY = { critical: "bad", warning: "warn", info: "info" };
export const ALERT_LIMIT = 200;

export class AlertsPanel {
  constructor(onError) {
    this.alerts = [];
    this.kind = "";
    this.fresh = new Set();
    this.onError = onError;
    const select = $("alert-kind");
    for (const k of KINDS) select.append(h("option", { value: k }, k + " " + KIND_ZH[k]));
    select.addEventListener("change", () => {
      this.kind = select.value;
      this.reload();
    });
  }

  /** Adds kinds the gateway knows of but this page does not (newer fraud rules). */
  noteKinds(counts) {
    const select = $("alert-kind");
    const have = new Set([...select.options].map((o) => o.value));
    for (const k of Object.keys(counts || {})) if (!have.has(k)) select.append(h("option", { value: k }, k));
  }

  async reload() {
    const q = "/api/alerts?limit=" + ALERT_LIMIT + (this.kind ? "&kind=" + encodeURIComponent(this.kind) : "");
    try {
      this.alerts = await getJson(q);
      this.render();
    } catch (err) {
      this.onError(err);
    }
  }

  /** A live alert: shown at the top when it passes the filter. */
  add(alert) {
    if (this.kind && alert.kind !== this.kind) return;
    if (this.alerts.some((a) => a.id === alert.id)) return;
    this.alerts.unshift(alert);
    this.alerts.length = Math.min(this.alerts.length, ALERT_LIMIT);
    this.fresh.add(alert.id);
    this.render();
  }

  render() {
    const open = new Set([...document.querySelectorAll("#alerts details[open]")].map((d) => d.dataset.id));
    const items = this.alerts.map((a) => this.item(a, open.has(a.id)));
    $("alerts").replaceChildren(...items);
    $("alerts-empty").hidden = this.alerts.length > 0;
    this.fresh.clear();
  }

  item(a, isOpen) {
    const body = h("div", { class: "body" },
      h("div", null, "Reason 原因: ", a.reason),
      h("pre", { class: "evidence" }, JSON.stringify(a.evidence, null, 2)),
      h("div", { class: "records" }));
    const details = h("details", { class: "alert" + (this.fresh.has(a.id) ? " fresh" : ""), "data-id": a.id, "data-kind": a.kind, open: isOpen },
      h("summary", null,
        h("span", { class: "when" }, dateTime(a.at)),
        h("span", null, h("span", { class: "badge " + (SEVERITY[a.severity] || "muted") }, a.severity)),
        h("span", { class: "kind" }, a.kind + (KIND_ZH[a.kind] ? " " + KIND_ZH[a.kind] : "")),
        h("span", { class: "device" }, a.device || "–"),
        h("span", { class: "code" }, a.code || "–"),
        h("span", { class: "reason", title: a.reason }, a.reason)),
      body);
    details.addEventListener("toggle", () => {
      if (details.open) this.loadRecords(a, body.querySelector(".records"));
    });
    if (isOpen) this.loadRecords(a, body.querySelector(".records"));
    return details;
  }

  async loadRecords(a, target) {
    const keys = Array.isArray(a.evidence && a.evidence.records) ? a.evidence.records.filter((k) => typeof k === "string") : [];
    if (!keys.length || target.dataset.loaded) return;
    target.dataset.loaded = "1";
    try {
      const r = await getJson("/api/records?keys=" + encodeURIComponent(keys.slice(0, 100).join(",")));
      const rows = r.records.map((rec) => h("tr", null,
        h("td", null, rec.key), h("td", null, rec.institution), h("td", null, rec.operator),
        h("td", null, dateTime(rec.fixedTime) + (rec.timeTrusted ? "" : " (untrusted)")),
        h("td", { class: "code" }, rec.code || "–"),
        h("td", null, rec.relayedAt ? "relayed 已上传" : "waiting 待上传")));
      const table = h("table", { class: "evidence-records" },
        h("thead", null, h("tr", null, ["Record 记录", "Institution 机构", "Operator 操作员", "Time 时间", "Code 追溯码", "Relay"].map((t) => h("th", null, t)))),
        h("tbody", null, rows));
      if (r.missing.length) target.replaceChildren(table, h("p", { class: "empty" }, "Not in the store (retention): " + r.missing.join(", ")));
      else target.replaceChildren(table);
    } catch (err) {
      delete target.dataset.loaded;
      target.replaceChildren(h("p", { class: "error" }, "Could not load the records: " + err.message));
    }
  }
}
