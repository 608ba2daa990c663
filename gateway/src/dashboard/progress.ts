// Long operations (fleet simulation, model training, replays) report here; the dashboard
// shows each as a progress bar. Finished tasks stay visible for a while so a short job is
// not gone before anyone sees it ended.

export interface ProgressEntry {
  name: string;
  /** Units of work expected; 0 when unknown (the bar shows a count only). */
  total: number;
  done: number;
  /** Optional short note ("epoch 3/20", "board 12"). */
  note?: string;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Set when the task ended with a failure. */
  error?: string;
}

type Listener = () => void;

export interface ProgressOptions {
  /** How long finished tasks stay listed. */
  keepFinishedMs?: number;
  /** At most this many finished tasks are kept. */
  maxFinished?: number;
  now?: () => number;
}

export class ProgressRegistry {
  private readonly tasks = new Map<string, ProgressEntry>();
  private readonly listeners = new Set<Listener>();
  private readonly keepFinishedMs: number;
  private readonly maxFinished: number;
  private readonly now: () => number;

  constructor(opts: ProgressOptions = {}) {
    this.keepFinishedMs = opts.keepFinishedMs ?? 10 * 60_000;
    this.maxFinished = opts.maxFinished ?? 20;
    this.now = opts.now ?? Date.now;
  }

  /** Starts (or restarts) a task under a name unique among running tasks. */
  start(name: string, total: number, note?: string): void {
    const t = this.now();
    const entry: ProgressEntry = { name, total: cleanCount(total), done: 0, startedAt: t, updatedAt: t, finishedAt: null };
    if (note !== undefined) entry.note = String(note);
    this.tasks.delete(name); // re-insert: newest last
    this.tasks.set(name, entry);
    this.changed();
  }

  /** Adds `n` units (default 1). Unknown names are ignored: a late tick after done must not throw. */
  tick(name: string, n = 1, note?: string): void {
    const e = this.tasks.get(name);
    if (!e || e.finishedAt !== null) return;
    e.done += cleanCount(n);
    if (e.total > 0 && e.done > e.total) e.done = e.total;
    if (note !== undefined) e.note = String(note);
    e.updatedAt = this.now();
    this.changed();
  }

  /** Sets the absolute amount done (training reports "epoch k of n"). */
  set(name: string, done: number, note?: string): void {
    const e = this.tasks.get(name);
    if (!e || e.finishedAt !== null) return;
    e.done = e.total > 0 ? Math.min(e.total, cleanCount(done)) : cleanCount(done);
    if (note !== undefined) e.note = String(note);
    e.updatedAt = this.now();
    this.changed();
  }

  /** Ends a task; with an error it is shown as failed. */
  done(name: string, error?: string): void {
    const e = this.tasks.get(name);
    if (!e || e.finishedAt !== null) return;
    const t = this.now();
    e.finishedAt = t;
    e.updatedAt = t;
    if (error !== undefined) e.error = String(error);
    else if (e.total > 0) e.done = e.total;
    this.prune();
    this.changed();
  }

  /** Running tasks and recently finished ones, in start order. */
  list(): ProgressEntry[] {
    this.prune();
    return [...this.tasks.values()].map((e) => ({ ...e }));
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private prune(): void {
    const cutoff = this.now() - this.keepFinishedMs;
    const finished = [...this.tasks.values()].filter((e) => e.finishedAt !== null);
    finished.forEach((e, i) => {
      if (e.finishedAt! < cutoff || finished.length - i > this.maxFinished) this.tasks.delete(e.name);
    });
  }

  private changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // a broken listener must not break the job reporting progress
      }
    }
  }
}

function cleanCount(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}
