// Firmware acceptance: power cuts at seeded random bytes of writes lose no accepted record and
// corrupt nothing. 10,000 cuts in all, split over two suites (this is half of them).
import { countyOnTestBroker, runPrefix, uploadFiles } from "../e2e/helpers";
import { powerCutRun } from "../e2e/power-cut-helpers";

jest.setTimeout(300_000);

test("5,000 cuts inside flash writes: every signalled record reaches the platform once, unaltered", async () => {
  const files = await uploadFiles();
  const county = await countyOnTestBroker(1701);
  try {
    const run = await powerCutRun(county, files, runPrefix("cuta"), 1701, 5000, 9000);
    expect(run.cutsInWrite).toBeGreaterThanOrEqual(5000);
    expect(run.uncaughtErrors).toBe(0);
    expect(run.forgotten).toEqual([]);
    expect(run.signalled).toBeGreaterThan(5000);
    expect(run.audit).toMatchObject({ passed: true, missing: 0, duplicated: 0, phantom: 0, mismatched: 0 });
  } finally {
    await county.stop();
  }
});
