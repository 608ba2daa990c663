// A gateway for the dashboard suites: in-process on the test broker (external mode), HTTP
// on a free port, devices provisioned, and helpers that publish real sealed frames.
import mqtt, { type MqttClient } from "mqtt";
import { startGateway, type GatewayHandle } from "../../gateway/src/app";
import { silentLogger } from "../../gateway/src/log/logger";
import { GatewayStore } from "../../gateway/src/store/store";
import type { StatusFrame } from "../../protocol/src/frame/types";
import { encodeStatusNode } from "../../protocol/src/node/encode";
import { nodeHashing } from "../../protocol/src/node/hashing";
import type { ScanRecord } from "../../protocol/src/record";
import { deviceUp } from "../../protocol/src/topics";
import { T0, bytesOf, frameOf, secretOf, tempDir } from "../gateway/helpers";

export interface DashboardFixture {
  gw: GatewayHandle;
  base: string;
  sender: MqttClient;
  sendRecords(device: string, records: ScanRecord[]): Promise<void>;
  sendStatus(status: StatusFrame): Promise<void>;
  stop(): Promise<void>;
}

export async function startDashboardGateway(
  id: string,
  devices: { id: string; institution: string; operator: string }[],
  platform: { url?: string; ackTimeoutMs?: number } = {},
): Promise<DashboardFixture> {
  const brokerUrl = process.env.VT_TEST_BROKER_URL;
  if (!brokerUrl) throw new Error("VT_TEST_BROKER_URL is not set (tests/support/global-setup.ts starts a broker)");
  const dataDir = tempDir("vt-dash-");
  const store = GatewayStore.open(dataDir);
  for (const d of devices) store.devices.add({ ...d, secret: secretOf(d.id) }, T0);
  store.close();
  const gw = await startGateway(
    {
      id, dataDir,
      devices: { mode: "external", url: brokerUrl },
      http: { enabled: true, host: "127.0.0.1", port: 0 },
      platform: { url: platform.url, ackTimeoutMs: platform.ackTimeoutMs ?? 400, retryBaseMs: 50, retryMaxMs: 400 },
    },
    { logger: silentLogger() },
  );
  const sender = await mqtt.connectAsync(brokerUrl, { clientId: "dash-sender-" + id });
  return {
    gw,
    base: "http://127.0.0.1:" + gw.ports.http,
    sender,
    async sendRecords(device, records) {
      await sender.publishAsync(deviceUp(device), Buffer.from(bytesOf(frameOf(device, records))), { qos: 1 });
    },
    async sendStatus(status) {
      await sender.publishAsync(deviceUp(status.device), Buffer.from(encodeStatusNode(status, secretOf(status.device), nodeHashing)), { qos: 1 });
    },
    async stop() {
      await sender.endAsync();
      await gw.stop();
    },
  };
}
