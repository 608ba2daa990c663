// The embedded device broker (aedes): only provisioned, active devices get in (username =
// device id, password = mqttPassword), each may publish only to its own up topic and
// subscribe only to its own down topic. The gateway's own client logs in with a token made
// at startup and may do anything.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { Hashing } from "../../../protocol/src/frame/types";
import { mqttPassword } from "../../../protocol/src/auth";
import { deviceDown, deviceUp } from "../../../protocol/src/topics";
import type { Logger } from "../log/logger";
import type { DeviceRow } from "../store/types";

export const INTERNAL_USER = "$gateway";

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** Credentials of the gateway's own client. */
  internal: { username: string; password: string };
  /** Drops a device's connection (after a revocation). */
  disconnect(device: string): void;
  close(): Promise<void>;
}

export interface EmbeddedBrokerDeps {
  host: string;
  port: number;
  lookup: (id: string) => DeviceRow | null;
  hashing: Hashing;
  log: Logger;
  onDeviceConnected: (device: string) => void;
  onAclDenied: (device: string, what: string) => void;
}

interface AedesClient { id: string; vtDevice?: string; vtInternal?: boolean; close(): void }

/**
 * aedes v1 is an ES module that Node (>= 20.19) can require() natively. Test runners that
 * sandbox require (jest on Node < 24.9) cannot load it: tests run the embedded broker in a
 * child gateway process instead (tests/gateway/child-gateway.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function loadAedes(): { Aedes: { createBroker(): Promise<any> } } {
  return createRequire(__filename)("aedes");
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startEmbeddedBroker(deps: EmbeddedBrokerDeps): Promise<EmbeddedBroker> {
  const { Aedes } = loadAedes();
  const broker = await Aedes.createBroker();
  const token = randomBytes(24).toString("hex");
  const clients = new Map<string, AedesClient>();

  broker.authenticate = (client: AedesClient, username: string | undefined, password: Buffer | undefined, done: (e: Error | null, ok: boolean | null) => void) => {
    const pass = password ? password.toString() : "";
    if (username === INTERNAL_USER) {
      if (sameSecret(pass, token)) {
        client.vtInternal = true;
        return done(null, true);
      }
    } else if (username) {
      const d = deps.lookup(username);
      if (d && d.status === "active" && sameSecret(pass, mqttPassword(d.id, d.secret, deps.hashing))) {
        client.vtDevice = d.id;
        return done(null, true);
      }
    }
    deps.log.warn({ username: username?.slice(0, 64), client: client.id }, "broker login refused");
    const err = Object.assign(new Error("bad username or password"), { returnCode: 4 });
    done(err as Error, null);
  };

  broker.authorizePublish = (client: AedesClient | null, packet: { topic: string }, done: (e?: Error | null) => void) => {
    if (!client || client.vtInternal) return done(null);
    const d = client.vtDevice ? deps.lookup(client.vtDevice) : null;
    if (d && d.status === "active" && packet.topic === deviceUp(d.id)) return done(null);
    deps.onAclDenied(client.vtDevice ?? "?", "publish " + packet.topic.slice(0, 100));
    done(new Error("publish not allowed"));
  };

  broker.authorizeSubscribe = (client: AedesClient, sub: { topic: string; qos: number }, done: (e: Error | null, s?: unknown) => void) => {
    if (client.vtInternal) return done(null, sub);
    if (client.vtDevice && sub.topic === deviceDown(client.vtDevice)) return done(null, sub);
    deps.onAclDenied(client.vtDevice ?? "?", "subscribe " + sub.topic.slice(0, 100));
    done(null, null);
  };

  broker.on("client", (client: AedesClient) => {
    if (client.vtDevice) clients.set(client.vtDevice, client);
  });
  broker.on("clientDisconnect", (client: AedesClient) => {
    if (client.vtDevice && clients.get(client.vtDevice) === client) clients.delete(client.vtDevice);
  });
  // A board's down subscription is in place: now it can hear time, config and the warn list.
  broker.on("subscribe", (subs: { topic: string }[], client: AedesClient) => {
    if (client.vtDevice && subs.some((s) => s.topic === deviceDown(client.vtDevice!))) deps.onDeviceConnected(client.vtDevice);
  });

  const server: Server = createServer(broker.handle);
  // Every socket, logged in or not: one that never finishes its CONNECT (or opened as the
  // broker closes) is not among aedes' clients and would hold server.close() open until
  // aedes' 30 s connect timeout, or for good.
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = deps.host === "0.0.0.0" || deps.host === "::" ? "127.0.0.1" : deps.host;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    internal: { username: INTERNAL_USER, password: token },
    disconnect(device: string) {
      clients.get(device)?.close();
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Stop accepting first, so no board slips in while the broker closes.
        server.close(() => resolve());
        for (const c of clients.values()) c.close();
        broker.close(() => {
          for (const s of sockets) s.destroy();
        });
      }),
  };
}
