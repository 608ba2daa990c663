// Ctrl-C in a terminal reaches npm and the process it runs alike, and npm forwards it once
// more: the second SIGINT must not cut a graceful stop short.
import { onStopSignal } from "../../../gateway/src/cli/stop-signals";

describe("stop signals", () => {
  it("calls stop on the first SIGINT or SIGTERM only, and unregisters", () => {
    const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    const seen: string[] = [];
    const off = onStopSignal((s) => seen.push(s));
    process.emit("SIGTERM", "SIGTERM");
    process.emit("SIGINT", "SIGINT");
    process.emit("SIGINT", "SIGINT");
    expect(seen).toEqual(["SIGTERM"]);
    off();
    expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(before);
  });
});
