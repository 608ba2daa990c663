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

export class SerialLink implements Link {
  private h_: LinkHandlers | null = null;
  private buf_ = "";
  /** True while a line is being dropped because it grew past maxLine. */
  private skip_ = false;
  private attached_ = false;
  private up_ = false;
  private heardAt_ = 0;
  counts = { dropped: 0 };

  constructor(
    private o_: SerialLinkOptions,
    private port_: LinePort,
    private uptime_: () => number,
  ) {}

  setHandlers(h: LinkHandlers): void {
    this.h_ = h;
  }

  connect(): void {
    if (!this.attached_) {
      this.attached_ = true;
      this.port_.claim(true);
      this.port_.onData((c) => this.push_(c));
    }
    if (!this.up_) this.hello_();
  }

  close(): void {
    this.up_ = false;
    if (this.attached_) this.port_.claim(false);
    this.attached_ = false;
  }

  send(frame: Uint8Array): boolean {
    if (!this.up_) return false;
    this.port_.write("VT>" + btoa(stringFromBytes(frame)) + "\n");
    return true;
  }

  tick(): boolean {
    if (this.up_ && this.uptime_() - this.heardAt_ > this.o_.silence) {
      this.up_ = false;
      if (this.h_) this.h_.onDown("host silent");
    }
    return this.up_;
  }

  private hello_(): void {
    this.port_.write("\nVT!" + this.o_.device + "\n");
  }

  /** Chunks arrive split anywhere: complete lines are handled, the rest waits. */
  private push_(chunk: string): void {
    if (!this.attached_) return;
    let at = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", at);
      const part = chunk.substring(at, nl < 0 ? chunk.length : nl);
      if (!this.skip_) {
        if (this.buf_.length + part.length > this.o_.maxLine) {
          this.skip_ = true;
          this.buf_ = "";
          this.counts.dropped++;
        } else this.buf_ += part;
      }
      if (nl < 0) return;
      if (!this.skip_) this.line_(this.buf_);
      this.buf_ = "";
      this.skip_ = false;
      at = nl + 1;
    }
  }

  private line_(raw: string): void {
    const line = raw.trim();
    if (line.substr(0, 2) !== "VT") return;
    const kind = line.charAt(2);
    let frame: Uint8Array | null = null;
    if (kind === "<") {
      frame = base64Bytes(line.substr(3));
      if (!frame) {
        this.counts.dropped++;
        return;
      }
    } else if (kind !== "?") return;
    this.heardAt_ = this.uptime_();
    if (kind === "?") this.hello_();
    if (!this.up_) {
      this.up_ = true;
      if (this.h_) this.h_.onUp();
    }
    if (frame && this.h_) {
      this.h_.onFrame(frame);
    }
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
