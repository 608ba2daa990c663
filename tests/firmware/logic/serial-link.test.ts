// The board's USB serial link on its own: lines split anywhere, noise, malformed and endless
// lines, hello on probe, up only after the host speaks, down after silence, console handling.
import { SerialLink, base64Bytes, type LinePort } from "../../../firmware/src/link/serial";

class FakePort implements LinePort {
  out = "";
  claims: boolean[] = [];
  fn: ((s: string) => void) | null = null;
  onData(fn: (s: string) => void) { this.fn = fn; }
  write(s: string) { this.out += s; }
  claim(on: boolean) { this.claims.push(on); }
  feed(s: string, step = 3) { for (let i = 0; i < s.length; i += step) this.fn!(s.slice(i, i + step)); }
}

function rig() {
  const port = new FakePort();
  let now = 0;
  const link = new SerialLink({ device: "vc-9", silence: 50, maxLine: 64 }, port, () => now);
  const ev: string[] = [];
  const frames: number[][] = [];
  link.setHandlers({ onUp: () => ev.push("up"), onDown: (w) => ev.push("down:" + w), onFrame: (f) => frames.push([...f]) });
  return { port, link, ev, frames, at: (t: number) => { now = t; } };
}

test("claims USB from the console, says hello, and is up only once the host speaks", () => {
  const r = rig();
  r.link.connect();
  expect(r.port.claims).toEqual([true]);
  expect(r.port.out).toBe("\nVT!vc-9\n");
  expect(r.link.send(new Uint8Array([1]))).toBe(false);
  r.port.feed("junk\r\n\xff\xfe\nVT?\r", 2);
  expect(r.ev).toEqual([]); // "VT?\r" without its newline is not a line yet
  r.port.feed("\n");
  expect(r.ev).toEqual(["up"]);
  expect(r.port.out.endsWith("VT!vc-9\n")).toBe(true);
  r.port.out = "";
  expect(r.link.send(new Uint8Array([0, 1, 2, 255]))).toBe(true);
  expect(r.port.out).toBe("VT>AAEC/w==\n");
  r.link.connect(); // ignored while up: no second listener, no hello
  expect(r.port.claims).toEqual([true]);
  expect(r.port.out).toBe("VT>AAEC/w==\n");
});

test("down frames arrive whole from split chunks; malformed and endless lines are dropped", () => {
  const r = rig();
  r.link.connect();
  r.port.feed("VT<AAEC/w==\nVT<AAE\nVT<#!!#\n", 1);
  expect(r.frames).toEqual([[0, 1, 2, 255]]);
  expect(r.ev).toEqual(["up"]);
  r.port.feed("VT<" + "A".repeat(200), 7);
  r.port.feed("AAAA\nVT<AQ==\n", 5);
  expect(r.frames).toEqual([[0, 1, 2, 255], [1]]);
  expect(r.link.counts.dropped).toBe(3);
});

test("host silence takes the link down; the next probe brings it back; close gives USB back", () => {
  const r = rig();
  r.link.connect();
  r.port.feed("VT?\n");
  r.at(40);
  r.link.tick();
  expect(r.ev).toEqual(["up"]);
  r.at(51);
  r.link.tick();
  expect(r.ev).toEqual(["up", "down:host silent"]);
  expect(r.link.send(new Uint8Array([1]))).toBe(false);
  r.port.feed("VT?\n");
  expect(r.ev).toEqual(["up", "down:host silent", "up"]);
  r.link.close();
  expect(r.port.claims).toEqual([true, false]);
  r.port.feed("VT<AQ==\n");
  expect(r.frames).toEqual([]);
});

test("base64 is strict", () => {
  expect(base64Bytes("AQ==")).toEqual(new Uint8Array([1]));
  for (const bad of ["", "AQ=", "A Q=", "AQ==AQ==x", "****"]) expect(base64Bytes(bad)).toBeNull();
});
