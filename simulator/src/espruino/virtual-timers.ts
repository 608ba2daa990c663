// Virtual time for one board. Nothing here reads the wall clock: the host advances time and
// timers fire in virtual-time order (ties in the order they were set), so a run is repeatable.

export interface TimerEntry {
  id: number;
  at: number; // virtual ms
  seq: number; // tie-break: order of scheduling
  repeatMs: number; // 0 = one-shot
  fire: () => void;
  /** Who set it: a board's firmware (lost at its power loss) or the emulated world around it. */
  owner: string;
  /** What the callback keeps alive in the board's realm (its function and arguments). */
  holds?: unknown[];
}

export class VirtualTimers {
  /** Virtual milliseconds since the emulator was created (never goes back, survives reboots). */
  now = 0;
  private timers = new Map<number, TimerEntry>();
  private nextId = 1;
  private seq = 0;

  schedule(delayMs: number, fire: () => void, repeatMs = 0, owner = "fw", holds?: unknown[]): number {
    const id = this.nextId++;
    const d = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    this.timers.set(id, { id, at: this.now + d, seq: this.seq++, repeatMs: repeatMs > 0 ? repeatMs : 0, fire, owner, holds });
    return id;
  }

  cancel(id: number): boolean {
    return this.timers.delete(id);
  }

  has(id: number): boolean {
    return this.timers.has(id);
  }

  /** Drops the timers of one owner (power loss drops the firmware's). */
  clear(owner: string): void {
    for (const [id, t] of this.timers) if (t.owner === owner) this.timers.delete(id);
  }

  ownerOf(id: number): string | undefined {
    return this.timers.get(id)?.owner;
  }

  changeInterval(id: number, ms: number): void {
    const t = this.timers.get(id);
    if (t) {
      t.repeatMs = ms > 0 ? ms : t.repeatMs;
      t.at = this.now + ms;
    }
  }

  /** What one owner's timers keep alive (memory roots). */
  heldBy(owner: string): unknown[] {
    return [...this.timers.values()].filter((t) => t.owner === owner).flatMap((t) => t.holds ?? []);
  }

  /** Timers one owner has pending. */
  count(owner: string): number {
    let n = 0;
    for (const t of this.timers.values()) if (t.owner === owner) n++;
    return n;
  }

  get pending(): number {
    return this.timers.size;
  }

  nextDue(): number | undefined {
    let best: TimerEntry | undefined;
    for (const t of this.timers.values()) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best?.at;
  }

  /** Fires every timer due at or before `until`, in order, then sets now = until. */
  runUntil(until: number): number {
    let fired = 0;
    for (;;) {
      let best: TimerEntry | undefined;
      for (const t of this.timers.values()) if (t.at <= until && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
      if (!best) break;
      this.now = Math.max(this.now, best.at);
      if (best.repeatMs > 0) {
        best.at += best.repeatMs;
        best.seq = this.seq++;
      } else {
        this.timers.delete(best.id);
      }
      fired++;
      best.fire();
    }
    this.now = Math.max(this.now, until);
    return fired;
  }
}
