// A TCP socket as the firmware sees it: byte strings in and out. The ESP32 profile hands over
// require("net")'s own sockets; tests wrap node:net.
export interface SocketHandlers {
  onConnect(): void;
  onData(chunk: string): void;
  /** The socket closed or failed (the reason, for the log). */
  onEnd(reason: string): void;
}

/** Espruino's socket as it is: `end` is reached quoted (firmware/README.md, "Naming rule"). */
export interface Socket {
  write(data: string): void;
  end(): void;
}

export interface SocketFactory {
  connect(host: string, port: number, handlers: SocketHandlers): Socket;
}
