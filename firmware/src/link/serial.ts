// The link over a serial line (the Pico's USB CDC port), one text line per message:
//   host -> board  "VT?"               probe: "who is there?" (also the host's keep-alive)
//   board -> host  "VT!<device>"       hello, the answer to a probe (and sent on connect)
//   board -> host  "VT>" base64 "\n"   an up frame (batch or status), bytes as sent on MQTT
//   host -> board  "VT<" base64 "\n"   a down frame (ack or command) for this device
// Anything else (console echo, line noise, a half line after a cable plug) is dropped. The
// frames carry their own HMAC, so the line adds no authentication of its own.
import type { Link, LinkHandlers } from "./link";
import { bytesFromString, stringFromBytes } from "../../../protocol/src/crypto/index";

/** The byte-string port the link talks through (Espruino's USB object on the Pico). */
export interface LinePort {
  onData(fn: (chunk: string) => void): void;
  write(s: string): void;
  /** Takes the port from the interactive console (true) or gives it back (false). */
  claim(on: boolean): void;
}

export interface SerialLinkOptions {
  device: string;
  /** Seconds without any host line after which the link counts as down. */
  silence: number;
  /** Longest line kept (a frame's base64 plus prefix); longer lines are dropped whole. */
  maxLine: number;
}

// Written as locals of the constructor rather than members: on the board a local is a one-byte
// name, a member `this.x` three bytes.
export class SerialLink implements Link {
  counts = { dropped: 0 };
  setHandlers: (h: LinkHandlers) => void;
  connect: () => void;
  close: () => void;
  send: (frame: Uint8Array) => boolean;
  tick: () => boolean;

  constructor(o: SerialLinkOptions, port: LinePort, uptime: () => number) {
    const counts = this.counts;
    let h: LinkHandlers | null = null;
    let buf = "";
    /** True while a line is being dropped because it grew past maxLine. */
    let skip = false;
    let attached = false;
    let up = false;
    let heardAt = 0;
    const hello = () => port.write("\nVT!" + o.device + "\n");

    const line = (raw: string) => {
      const l = raw.trim();
      if (l.substr(0, 2) !== "VT") return;
      const kind = l.charAt(2);
      let frame: Uint8Array | null = null;
      if (kind === "<") {
        frame = base64Bytes(l.substr(3));
        if (!frame) {
          counts.dropped++;
          return;
        }
      } else if (kind !== "?") return;
      heardAt = uptime();
      if (kind === "?") hello();
      if (!up) {
        up = true;
        if (h) h.onUp();
      }
      if (frame && h) h.onFrame(frame);
    };
    /** Chunks arrive split anywhere: complete lines are handled, the rest waits. */
    const push = (chunk: string) => {
      if (!attached) return;
      let at = 0;
      for (;;) {
        const nl = chunk.indexOf("\n", at);
        const part = chunk.substring(at, nl < 0 ? chunk.length : nl);
        if (!skip) {
          if (buf.length + part.length > o.maxLine) {
            skip = true;
            buf = "";
            counts.dropped++;
          } else buf += part;
        }
        if (nl < 0) return;
        if (!skip) line(buf);
        buf = "";
        skip = false;
        at = nl + 1;
      }
    };

    this.setHandlers = (handlers) => {
      h = handlers;
    };
    this.connect = () => {
      if (!attached) {
        attached = true;
        port.claim(true);
        port.onData(push);
      }
      if (!up) hello();
    };
    this.close = () => {
      up = false;
      if (attached) port.claim(false);
      attached = false;
    };
    this.send = (frame) => {
      if (up) port.write("VT>" + btoa(stringFromBytes(frame)) + "\n");
      return up;
    };
    this.tick = () => {
      if (up && uptime() - heardAt > o.silence) {
        up = false;
        if (h) h.onDown("host silent");
      }
      return up;
    };
  }
}

const B64 = /^[A-Za-z0-9+/]+=*$/;

/** Strict base64 to bytes; null for anything else (atob is lenient or throws by board). */
export function base64Bytes(s: string): Uint8Array | null {
  if (s.length === 0 || s.length % 4 !== 0 || !B64.test(s)) return null;
  try {
    return bytesFromString(atob(s));
  } catch {
    return null;
  }
}
