// Simulated boards: what each one shows and signals. Hidden unless a source is plugged in.
import { $, h } from "./dom.js";
import { ago } from "./format.js";

const FEEDBACK_CLASS = { ok: "ok", duplicate: "bad", "warn-list": "bad", "bad-code": "warn" };

export function renderBoards(payload) {
  const panel = $("boards-panel");
  panel.hidden = !payload || !payload.enabled;
  if (panel.hidden) return;
  const err = $("boards-error");
  err.hidden = !payload.error;
  err.textContent = payload.error || "";
  const cards = payload.boards.map((b) => h("div", { class: "board", "data-board": b.id },
    h("div", { class: "name" }, h("span", null, b.id), h("span", { class: "zh" }, b.board || "")),
    h("div", { class: "lcd", title: "display line 显示屏" }, b.display === null || b.display === undefined ? "(no display)" : b.display),
    h("div", { class: "leds" }, (b.leds || []).map((l) =>
      h("span", { title: l.name + (l.on ? " on" : " off") }, h("span", { class: "led " + l.colour + (l.on ? " on" : ""), "data-led": l.name, "data-on": l.on ? "1" : "0" }), " ", l.name))),
    h("div", { class: "facts" },
      "buzzer 蜂鸣: ", h("b", { class: "buzzer" }, b.buzzer || "–"), " · feedback 提示: ",
      h("span", { class: "badge feedback " + (FEEDBACK_CLASS[b.feedback] || "muted") }, b.feedback || "–"),
      b.online === undefined ? null : [" · ", b.online ? "online" : "offline"],
      " · ", ago(b.updatedAt / 1000))));
  $("boards").replaceChildren(...cards);
}
