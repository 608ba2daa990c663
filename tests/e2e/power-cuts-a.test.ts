// Firmware acceptance: power cuts at seeded random bytes of writes lose no accepted record and
// corrupt nothing. 10,000 cuts in all, split over two suites that jest runs in parallel (this
// is half of them).
import { expectPowerCutsLoseNothing } from "./power-cut-helpers";

// about 200 s of CPU each (the board boots once per cycle and scans its journal); generous for a shared machine
jest.setTimeout(900_000);

test("5,000 cuts inside flash writes: every signalled record reaches the platform once, unaltered", async () => {
  await expectPowerCutsLoseNothing("cuta", 1701, 5000);
});
