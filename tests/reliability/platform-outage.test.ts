// The insurance platform is down for a long stretch while the boards keep selling: the
// backlog grows in the gateway's outbox, then drains completely once the platform is
// back, every sale once and in per-device order.
import Database from "better-sqlite3";
import { join } from "node:path";
import { mulberry32 } from "../../simulator/src/scenario/prng";
import type { TestBroker } from "../support/broker";
import { expectExactlyOnceInOrder } from "./support/checks";
import { startPrivateBroker } from "./support/private-broker";
import { startRig, type Rig } from "./support/rig";

describe("platform outage", () => {
  let broker: TestBroker;
  let rig: Rig;
  beforeAll(async () => {
    broker = await startPrivateBroker();
    rig = await startRig(broker.url, "out", 6);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await broker?.stop();
  });

  it("builds a backlog while the platform is down and drains it all, in order, when it returns", async () => {
    const outbox = () => {
      const db = new Database(join(rig.dataDir, "gateway.sqlite"), { readonly: true });
      try {
        return (db.prepare("SELECT COALESCE(SUM(to_seq - from_seq + 1), 0) AS n FROM outbox").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const rng = mulberry32(99);
    const stopLoad = rig.load(rng, 8, 10);
    let backlog = 0;
    try {
      await new Promise((r) => setTimeout(r, 1000));
      await rig.platform.setMode({ down: true });
      const storedBefore = rig.platform.allSaleKeys().length;
      await new Promise((r) => setTimeout(r, 6000));
      backlog = outbox();
      // Down means down: nothing new reached the platform during the outage.
      expect(rig.platform.allSaleKeys().length).toBe(storedBefore);
      await rig.platform.setMode({ down: false });
    } finally {
      stopLoad();
    }
    await rig.settle(40_000);
    const made = rig.boards.reduce((n, b) => n + b.head, 0);
    console.log(`[reliability] platform down 6 s: backlog ${backlog} records, ${made} records in all, platform ${JSON.stringify(rig.platform.stats())}`);
    expect(backlog).toBeGreaterThan(1000);
    expectExactlyOnceInOrder(rig.platform, rig.boards);
    await new Promise((r) => setTimeout(r, 300));
    expect(outbox()).toBe(0);
  }, 90_000);
});
