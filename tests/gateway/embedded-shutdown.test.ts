// Shutdown of the embedded broker does not wait on sockets aedes does not count as clients:
// a board that connected but never sent its CONNECT, or one cut off halfway through it.
// Before, such a socket held the gateway's stop for aedes' 30 s connect timeout.
import { connect, type Socket } from "node:net";
import { startChildGateway } from "./child-gateway";
import { tempDir } from "./helpers";

const brokerUrl = process.env.VT_TEST_BROKER_URL!;

async function openSocket(url: string): Promise<Socket> {
  const u = new URL(url);
  const s = connect(Number(u.port), u.hostname);
  s.on("error", () => undefined); // the gateway destroys it
  await new Promise((r) => s.once("connect", r));
  return s;
}

it("stops at once with a silent connection and a half-sent CONNECT open", async () => {
  const gw = await startChildGateway(tempDir(), {
    id: "gw-stop-" + process.pid,
    devices: { mode: "embedded", host: "127.0.0.1", port: 0 },
    http: { enabled: false },
    platform: { url: brokerUrl },
  });
  const silent = await openSocket(gw.devicesUrl);
  const half = await openSocket(gw.devicesUrl);
  // Fixed header of a CONNECT announcing 40 bytes, then only the protocol name.
  half.write(Buffer.from([0x10, 40, 0, 4, 0x4d, 0x51, 0x54, 0x54]));
  const closed = Promise.all([silent, half].map((s) => new Promise((r) => s.once("close", r))));
  const t0 = Date.now();
  expect(await gw.stop()).toBe(0);
  // A liveness bound, far under the 30 s the old stop waited, not a speed target.
  expect(Date.now() - t0).toBeLessThan(15_000);
  await closed;
});
