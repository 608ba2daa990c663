// The firmware's uplink to the gateway, whatever carries it (MQTT over WiFi today, a serial
// USB link later). One connection attempt at a time; the sync engine decides when to retry.
export interface LinkHandlers {
  /** The link is up and subscribed: frames can flow. */
  onUp(): void;
  /** The link went down or an attempt failed. */
  onDown(reason: string): void;
  /** A frame from the gateway (ack or command), as bytes. */
  onFrame(frame: Uint8Array): void;
}

export interface Link {
  setHandlers(h: LinkHandlers): void;
  /** Starts one connection attempt; ignored while connecting or up. */
  connect(): void;
  /** Closes the link politely (no onDown afterwards for this connection). */
  close(): void;
  /** Sends a batch frame, delivered at least once while this connection lasts; false if down. */
  send(frame: Uint8Array): boolean;
  /** Call about once a second: keep-alive and resend timers. True while connecting or up (idle links need no tick). */
  tick(): boolean;
}
