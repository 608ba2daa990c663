// A TCP socket as the firmware sees it: byte strings in and out. The ESP32 profile wraps
// require("net"); tests wrap node:net.
export interface SocketHandlers {
  onConnect(): void;
  onData(chunk: string): void;
  onClose(): void;
  onError(message: string): void;
}

export interface Socket {
  write(data: string): void;
  end(): void;
}

export interface SocketFactory {
  connect(host: string, port: number, handlers: SocketHandlers): Socket;
}
