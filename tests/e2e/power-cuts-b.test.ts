// Firmware acceptance: power cuts at seeded random bytes of writes lose no accepted record and
// corrupt nothing. 10,000 cuts in all, split over two suites that jest runs in parallel (this
// is half of them).
import { countyOnTestBroker, runPrefix, uploadFiles } from "./helpers";
import { powerCutRun } from "./power-cut-helpers";

// about 200 s of CPU each (the board boots once per cycle and scans its journal); generous for a shared machine
jest.setTimeout(900_000);

test("5,000 cuts inside flash writes: every signalled record reaches the platform once, unaltered", async () => {
  const files = await uploadFiles();
  const county = await countyOnTestBroker(2903);
  try {
    const run = await powerCutRun(county, files, runPrefix("cutb"), 2903, 5000, 9000);
    expect(run.cutsInWrite).toBeGreaterThanOrEqual(5000);
    expect(run.uncaughtErrors).toBe(0);
    expect(run.forgotten).toEqual([]);
    expect(run.signalled).toBeGreaterThan(5000);
    expect(run.audit).toMatchObject({ passed: true, missing: 0, duplicated: 0, phantom: 0, mismatched: 0 });
    // the journal reclaimed and compacted Storage along the way, and left no torn entry behind
    expect(run.compactions).toBeGreaterThan(0);
    expect(run.strayFiles.filter((n) => n.indexOf("\xff") >= 0)).toEqual([]);
  } finally {
    await county.stop();
  }
});
