// A BoardViewSource as the simulator will provide one: boards' views held in memory,
// listeners told on each change.
import type { BoardView, BoardViewSource } from "../../gateway/src/dashboard/board-views";

export class BoardViewsDouble implements BoardViewSource {
  private readonly views = new Map<string, BoardView>();
  private readonly listeners = new Set<() => void>();
  failing = false;

  list(): BoardView[] {
    if (this.failing) throw new Error("source broken");
    return [...this.views.values()];
  }

  on(change: () => void): () => void {
    this.listeners.add(change);
    return () => this.listeners.delete(change);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  set(view: BoardView): void {
    this.views.set(view.id, view);
    for (const l of this.listeners) l();
  }
}
