// SIGKILL the gateway at seeded random moments under load, 20 times, restarting it each
// time: every record the boards made reaches the platform exactly once, in order.
import { mulberry32 } from "../../simulator/src/scenario/prng";
import type { TestBroker } from "../support/broker";
import { expectExactlyOnceInOrder } from "./support/checks";
import { startPrivateBroker } from "./support/private-broker";
import { startRig, type Rig } from "./support/rig";

const KILLS = 20;
const SEED = 20_261_124;

describe("gateway killed under load", () => {
  let broker: TestBroker;
  let rig: Rig;
  beforeAll(async () => {
    broker = await startPrivateBroker();
    rig = await startRig(broker.url, "kill", 6);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await broker?.stop();
  });

  it(`loses and doubles nothing across ${KILLS} SIGKILLs`, async () => {
    const rng = mulberry32(SEED);
    const stopLoad = rig.load(rng, 5, 20);
    try {
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 150 + Math.floor(rng() * 600)));
        await rig.gateway.kill();
        await rig.restartGateway();
      }
    } finally {
      stopLoad();
    }
    await rig.settle(45_000);
    const made = rig.boards.reduce((n, b) => n + b.head, 0);
    const resends = rig.boards.reduce((n, b) => n + b.resends, 0);
    console.log(`[reliability] ${KILLS} kills, seed ${SEED}: ${made} records from ${rig.boards.length} boards, ${resends} board resends, platform ${JSON.stringify(rig.platform.stats())}`);
    expect(made).toBeGreaterThan(1000);
    expectExactlyOnceInOrder(rig.platform, rig.boards);
  }, 170_000);
});
