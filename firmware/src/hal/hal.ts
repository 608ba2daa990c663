// Everything a board hands to the firmware. Built only by firmware/src/boards/*.
import type { Hashing } from "../../../protocol/src/frame/types";
import type { FlashStore } from "./flash";
import type { UartSource, Leds, Buzzer, Button, Display, Clock, Timers, Random } from "./io";
import type { SocketFactory } from "./net";

export interface JournalGeometry {
  pages: number;
  pageSize: number;
  /**
   * Size of the "already dispensed" filter (journal/history.ts): bytes of the RAM Bloom filter
   * (8 bits per byte), or on boards with LARGE_STORAGE slots of the flash table (a byte each).
   */
  historySize: number;
}

export interface Hal {
  board: string;
  flash: FlashStore;
  uart: UartSource;
  leds: Leds;
  buzzer: Buzzer;
  button: Button;
  display: Display | null;
  clock: Clock;
  timers: Timers;
  random: Random;
  /** SHA-256 and CRC-32 over bytes: native where the board has them. */
  hashing: Hashing;
  /** CRC-32 (IEEE) of a byte string, unsigned (E.CRC32 on the board). */
  crc32Str: (s: string) => number;
  /** TCP sockets, on boards with a network; null otherwise. */
  net: SocketFactory | null;
  geometry: JournalGeometry;
  log: (msg: string) => void;
  /** Variables in use, for a host's status line (firmwareStatus); boards leave it out. */
  memoryUsage?: () => number;
}
