// Progress bars for long jobs (simulation runs, model training). Hidden when none.
import { $, h } from "./dom.js";
import { num } from "./format.js";

export function renderProgress(tasks) {
  $("progress-panel").hidden = tasks.length === 0;
  const rows = tasks.map((t) => {
    const pct = t.total > 0 ? Math.min(100, Math.floor((t.done / t.total) * 100)) : null;
    const state = t.error ? "failed" : t.finishedAt ? "finished" : "running";
    const what = (t.total > 0 ? num(t.done) + " / " + num(t.total) + " (" + pct + "%)" : num(t.done)) +
      (t.error ? " · failed: " + t.error : state === "finished" ? " · done 完成" : "");
    return h("div", { class: "progress-row " + state, "data-task": t.name },
      h("div", null, t.name, t.note ? h("span", { class: "zh" }, " · " + t.note) : null),
      h("span", { class: "bar" }, h("span", { style: { width: (pct ?? (state === "running" ? 0 : 100)) + "%" } })),
      h("div", { class: "what" }, what));
  });
  $("progress-list").replaceChildren(...rows);
}
