// The device and platform broker (a private Mosquitto) restarts twice in the middle of the
// load: boards, gateway and platform reconnect, boards resend what was not acked, and
// everything reaches the platform exactly once, in order.
import { mulberry32 } from "../../simulator/src/scenario/prng";
import { freePort, mosquittoPath, startMosquitto, type TestBroker } from "../support/broker";
import { expectExactlyOnceInOrder } from "./support/checks";
import { startRig, type Rig } from "./support/rig";

const bin = process.env.VT_TEST_BROKER === "aedes" ? null : mosquittoPath();
if (!bin) console.warn("[reliability] SKIPPED broker restart: mosquitto not installed");
const maybe = bin ? describe : describe.skip;

maybe("broker restarted mid-load", () => {
  let port: number;
  let broker: TestBroker;
  let rig: Rig;
  beforeAll(async () => {
    port = await freePort();
    broker = await startMosquitto(bin!, port);
    rig = await startRig(broker.url, "brk", 5);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await broker?.stop();
  });

  it("loses and doubles nothing when the broker goes away twice", async () => {
    const rng = mulberry32(424_242);
    const stopLoad = rig.load(rng, 5, 20);
    try {
      for (let round = 0; round < 2; round++) {
        await new Promise((r) => setTimeout(r, 1500));
        await broker.stop(); // every connection drops; in-flight frames, acks and uploads are lost
        await new Promise((r) => setTimeout(r, 1000)); // boards keep recording offline
        broker = await startMosquitto(bin!, port);
      }
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      stopLoad();
    }
    await rig.settle(40_000);
    const made = rig.boards.reduce((n, b) => n + b.head, 0);
    console.log(`[reliability] broker restarted twice: ${made} records, ${rig.boards.reduce((n, b) => n + b.resends, 0)} board resends, platform ${JSON.stringify(rig.platform.stats())}`);
    expect(made).toBeGreaterThan(300);
    expectExactlyOnceInOrder(rig.platform, rig.boards);
  }, 90_000);
});
