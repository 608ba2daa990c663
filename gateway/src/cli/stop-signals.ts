// The first SIGINT or SIGTERM starts a graceful stop; later ones are ignored while it runs.
// A terminal's Ctrl-C reaches both npm and the process it runs, and npm forwards the signal
// again: a handler registered with `once` was gone by then, so that second signal took the
// default action and ended the process in the middle of its shutdown.
export type StopSignal = "SIGINT" | "SIGTERM";

/** Calls `stop` on the first of SIGINT and SIGTERM only. Returns a function that unregisters. */
export function onStopSignal(stop: (signal: StopSignal) => void): () => void {
  let fired = false;
  const handler = (signal: StopSignal) => {
    if (fired) return;
    fired = true;
    stop(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
