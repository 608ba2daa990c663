// The one-box-one-sale index as one commit sees it: every code the commit touches is read
// in a few multi-row SELECTs up front, judged in record order against the in-memory copy
// (so two sales of one code in the same commit still meet), and written back once.
//
// Each code has one slot, found by one Map lookup per sale (the put that follows a get of
// the same code reuses the slot): a Map per step (announced, read, current, changed) cost
// as much as the index's own SQLite write.
import type { GatewayStore } from "../store/store";
import type { DispensedEntry } from "../store/types";

interface Slot {
  code: string;
  entry: DispensedEntry | null;
  changed: boolean;
}

export class DispensedOverlay {
  private readonly slots = new Map<string, Slot>();
  private readonly changed: Slot[] = [];
  private last: Slot | null = null;

  constructor(private readonly store: GatewayStore, codes: string[]) {
    for (const code of codes) this.slots.set(code, { code, entry: null, changed: false });
    if (this.slots.size === 0) return;
    for (const e of store.dispensed.getMany([...this.slots.keys()])) this.slots.get(e.code)!.entry = e;
  }

  get(code: string): DispensedEntry | null {
    return this.slot(code).entry;
  }

  put(code: string, entry: DispensedEntry | null): void {
    const s = this.slot(code);
    s.entry = entry;
    if (!s.changed) {
      s.changed = true;
      this.changed.push(s);
    }
  }

  /** Writes every changed code, inside the caller's transaction. */
  flush(): void {
    if (this.changed.length) this.store.dispensed.putMany(this.changed);
    for (const s of this.changed) s.changed = false;
    this.changed.length = 0;
  }

  private slot(code: string): Slot {
    if (this.last !== null && this.last.code === code) return this.last;
    let s = this.slots.get(code);
    if (s === undefined) {
      // A code not announced up front (e.g. the box an undo gives back): read it now.
      s = { code, entry: this.store.dispensed.get(code), changed: false };
      this.slots.set(code, s);
    }
    this.last = s;
    return s;
  }
}
