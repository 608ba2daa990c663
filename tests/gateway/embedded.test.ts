// End to end on the embedded broker: real boards' logins, ACL, acks, the warn list going
// down, and the relay to a platform on the test broker.
import mqtt from "mqtt";
import { GatewayStore } from "../../gateway/src/store/store";
import { mqttPassword } from "../../protocol/src/auth";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { deviceUp } from "../../protocol/src/topics";
import { startChildGateway, type ChildGateway } from "./child-gateway";
import { TestBoard } from "./board";
import { FakePlatform } from "./fake-platform";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf, tempDir, waitFor } from "./helpers";

const brokerUrl = process.env.VT_TEST_BROKER_URL!;

describe("gateway on its embedded broker", () => {
  let gw: ChildGateway;
  let store: GatewayStore; // the child's store, read (and provisioned) from here
  let platform: FakePlatform;
  const boards: TestBoard[] = [];
  const gatewayId = "gw-emb-" + process.pid;

  beforeAll(async () => {
    platform = await FakePlatform.start(brokerUrl, [gatewayId]);
    const dataDir = tempDir();
    store = GatewayStore.open(dataDir);
    for (const id of ["A", "B"]) store.devices.add({ id, secret: secretOf(id), institution: "H-" + id, operator: "op " + id }, T0);
    gw = await startChildGateway(dataDir, { id: gatewayId, devices: { mode: "embedded", host: "127.0.0.1", port: 0 }, http: { enabled: true, host: "127.0.0.1", port: 0 }, platform: { url: brokerUrl, ackTimeoutMs: 1000 } });
  });
  afterAll(async () => {
    for (const b of boards) await b.close().catch(() => undefined);
    expect(await gw.stop()).toBe(0); // graceful shutdown on SIGTERM
    store.close();
    await platform.stop();
  });

  it("refuses a login with a wrong password or an unknown device", async () => {
    await expect(TestBoard.connect(gw.devicesUrl, "A", { password: "00".repeat(32) })).rejects.toThrow();
    await expect(TestBoard.connect(gw.devicesUrl, "nobody")).rejects.toThrow();
  });

  it("stores a frame, acks it with the time and relays it exactly once", async () => {
    const a = await TestBoard.connect(gw.devicesUrl, "A");
    boards.push(a);
    await waitFor(() => a.commands().length > 0, 5000, "welcome command");
    expect(a.commands()[0]).toMatchObject({ warnReplace: true });
    await a.send(bytesOf(frameOf("A", [dispense(1, cn20(1)), dispense(2, cn20(2))])));
    await waitFor(() => a.acks().includes(2), 5000, "ack");
    await a.send(bytesOf(frameOf("A", [dispense(1, cn20(1)), dispense(2, cn20(2))]))); // retransmission
    await waitFor(() => a.acks().length === 2, 5000, "second ack");
    await waitFor(() => platform.keys.has("A:2"), 10_000, "relay");
    expect(platform.sales.filter((s) => s.device === "A").map((s) => s.key)).toEqual(["A:1", "A:2"]);
    expect(platform.sales[0]).toMatchObject({ fixmedins_code: "H-A", sel_retn_opter_name: "op A", trdn_flag: 0, drug_trac_codg: cn20(1), kind: "sale" });
    await waitFor(() => store.outbox.size() === 0, 5000, "outbox empty");
    expect(store.records.count()).toBe(2);
  });

  it("drops a board's publish to another board's topic and counts it", async () => {
    const b = await TestBoard.connect(gw.devicesUrl, "B");
    boards.push(b);
    const before = store.records.count();
    // A spoofing board: B sends A's next records on A's topic. The broker refuses and disconnects.
    // The broker refuses and drops the connection, so the PUBACK never comes: do not await it.
    void b.send(bytesOf(frameOf("A", [dispense(3, cn20(3))]), secretOf("B")), deviceUp("A")).catch(() => undefined);
    await waitFor(() => (store.counters.all()["frames.rejected.acl-denied"] ?? 0) >= 1, 5000, "acl count");
    expect(store.records.count()).toBe(before);
  });

  it("refuses a board's subscription to another board's down topic", async () => {
    const spy = await mqtt.connectAsync(gw.devicesUrl, { username: "B", password: mqttPassword("B", secretOf("B"), nodeHashing), reconnectPeriod: 0, protocolVersion: 4 });
    await expect(spy.subscribeAsync("vt/v1/dev/A/down", { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await spy.endAsync(true);
  });

  it("raises a duplicate sale, tells the platform and pushes the code to every board", async () => {
    const b = await TestBoard.connect(gw.devicesUrl, "B");
    boards.push(b);
    const a = boards[0];
    await b.send(bytesOf(frameOf("B", [dispense(1, cn20(1))]))); // A sold this box already
    await waitFor(() => platform.alerts.some((x) => x.kind === "duplicate-sale" && x.code === cn20(1)), 10_000, "alert at platform");
    await waitFor(() => a.commands().some((c) => (c.warn ?? []).includes(cn20(1))), 5000, "warn list on A");
    await waitFor(() => b.commands().some((c) => (c.warn ?? []).includes(cn20(1))), 5000, "warn list on B");
  });

  it("revoking a device (from another process, like the CLI) refuses its next frames and logins", async () => {
    const b = boards[boards.length - 1];
    store.devices.revoke("B", T0 + 10);
    void b.send(bytesOf(frameOf("B", [dispense(2, cn20(9))]))).catch(() => undefined);
    await waitFor(() => (store.counters.all()["frames.rejected.acl-denied"] ?? 0) >= 2, 5000, "revoked publish refused");
    expect(store.records.get("B", 2)).toBeNull();
    await expect(TestBoard.connect(gw.devicesUrl, "B")).rejects.toThrow();
  });

  it("serves metrics, health and the JSON API without secrets", async () => {
    const base = "http://127.0.0.1:" + gw.httpPort;
    const metrics = await (await fetch(base + "/metrics")).text();
    expect(metrics).toMatch(/vt_gateway_frames_rejected_total\{reason="acl-denied"\} [1-9]/);
    expect(metrics).toMatch(/vt_gateway_alerts_total\{kind="duplicate-sale"\} 1/);
    expect((await fetch(base + "/healthz")).status).toBe(200);
    const devices = (await (await fetch(base + "/api/devices")).json()) as { id: string }[];
    expect(devices.map((d) => d.id)).toEqual(["A", "B"]);
    expect(JSON.stringify(devices)).not.toMatch(/secret/);
    const status = await (await fetch(base + "/api/status")).json();
    expect(status).toMatchObject({ records: 3, devices: { active: 1, revoked: 1 } });
  });
});
