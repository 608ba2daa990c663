// The one-box-one-sale index as one commit sees it: every code the commit touches is read
// in a few multi-row SELECTs up front, judged in record order against the in-memory copy
// (so two sales of one code in the same commit still meet), and written back once.
import type { GatewayStore } from "../store/store";
import type { DispensedEntry } from "../store/types";

export class DispensedOverlay {
  private readonly current: Map<string, DispensedEntry | null>;
  private readonly changed = new Map<string, DispensedEntry | null>();

  constructor(private readonly store: GatewayStore, codes: string[]) {
    const found = store.dispensed.getMany(codes);
    this.current = new Map();
    for (const c of codes) this.current.set(c, found.get(c) ?? null);
  }

  get(code: string): DispensedEntry | null {
    const have = this.current.get(code);
    if (have !== undefined) return have;
    // A code not announced up front (e.g. the box an undo gives back): read it now.
    const e = this.store.dispensed.get(code);
    this.current.set(code, e);
    return e;
  }

  put(code: string, entry: DispensedEntry | null): void {
    this.current.set(code, entry);
    this.changed.set(code, entry);
  }

  /** Writes every changed code, inside the caller's transaction. */
  flush(): void {
    if (this.changed.size) this.store.dispensed.putMany(this.changed);
    this.changed.clear();
  }
}
