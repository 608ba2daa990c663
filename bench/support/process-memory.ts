// Resident memory of another process, read from /proc (Linux): what the operator's `top`
// shows for the gateway, not this process's heap.
import { readFileSync } from "node:fs";

/** RSS in MiB, or null when /proc is unavailable or the process is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
