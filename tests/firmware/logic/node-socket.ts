// Test-only adapter: the firmware's socket interface over node:net, with incoming data
// optionally cut into tiny chunks to prove the client reassembles packets.
import * as net from "node:net";
import type { Socket, SocketFactory, SocketHandlers } from "../../../firmware/src/hal/net";

export function nodeSockets(chunkBytes = 0): SocketFactory {
  return {
    connect(host: string, port: number, h: SocketHandlers): Socket {
      const s = net.connect({ host, port });
      s.on("connect", () => h.onConnect());
      s.on("data", (d: Buffer) => {
        const str = d.toString("latin1");
        if (!chunkBytes) return h.onData(str);
        for (let i = 0; i < str.length; i += chunkBytes) h.onData(str.substr(i, chunkBytes));
      });
      s.on("close", () => h.onEnd("socket closed"));
      s.on("error", (e) => h.onEnd("socket error: " + e.message));
      return {
        write: (data: string) => {
          s.write(Buffer.from(data, "latin1"));
        },
        end: () => {
          s.end();
        },
      };
    },
  };
}
