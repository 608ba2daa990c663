// The worked examples printed in protocol/README.md. readme.test.ts regenerates their
// bytes with the encoders and compares them with the README, so the document cannot rot.
import type { AckFrame, BatchFrame, CommandFrame, StatusFrame } from "../../../protocol/src/frame";

/** Example device secret: bytes 0x00, 0x01, ... 0x1f. */
export const EXAMPLE_SECRET = new Uint8Array(32).map((_, i) => i);
export const EXAMPLE_DEVICE = "vc-0001";

export const EXAMPLE_BATCH: BatchFrame = {
  device: EXAMPLE_DEVICE,
  boot: 3,
  uptime: 7200,
  time: 1751335200,
  trusted: true,
  records: [
    { seq: 41, time: 1751335080, trusted: true, boot: 3, uptime: 7080, event: 1, session: 41, openBy: 1, patient: "a1b2c3d4e5f60718" },
    { seq: 42, time: 1751335095, trusted: true, boot: 3, uptime: 7095, event: 2, session: 41, code: "83857930000879766660" },
    { seq: 43, time: 1751335170, trusted: true, boot: 3, uptime: 7170, event: 2, session: 41, code: "(01)09506000134352(21)SN123", batch: "A1B2", expiry: "271231" },
    { seq: 44, time: 1751335180, trusted: true, boot: 3, uptime: 7180, event: 6, session: 41 },
  ],
};

export const EXAMPLE_ACK: AckFrame = { device: EXAMPLE_DEVICE, upto: 44, time: 1751335201 };

export const EXAMPLE_COMMAND: CommandFrame = {
  device: EXAMPLE_DEVICE,
  id: 7,
  time: 1751335202,
  config: { sessionTimeout: 600 },
  warn: ["83857930000879766661"],
  warnReplace: false,
};

export const EXAMPLE_STATUS: StatusFrame = {
  device: EXAMPLE_DEVICE,
  boot: 3,
  uptime: 7260,
  time: 1751335260,
  trusted: true,
  firmware: "1.0.0+3f2a9c1",
  board: "pico",
  seqHead: 44,
  ackedUpto: 44,
  flashUsed: 12288,
  flashTotal: 98304,
  memUsage: 1450,
  sessionOpen: false,
};
