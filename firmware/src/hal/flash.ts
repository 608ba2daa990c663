// The slice of Espruino's require("Storage") the firmware uses. Data are byte strings
// (one char per byte), as Storage returns them on the board.
export interface FlashStore {
  /** Bytes of a file from `offset` (whole file when length is omitted); undefined if absent. */
  read(name: string, offset?: number, length?: number): string | undefined;
  /**
   * Writes `data`. With `size` and a new name: creates a file of `size` bytes (unwritten bytes
   * read 0xFF). With an offset into an existing file: fills bytes in place (may only clear bits).
   * Offset 0/undefined on an existing name without size replaces the file. False or throw on failure.
   */
  write(name: string, data: string, offset?: number, size?: number): boolean;
  erase(name: string): void;
  /** File names, optionally filtered by a regex. */
  list(filter?: RegExp): string[];
  readJSON(name: string, noExceptions: boolean): unknown;
  writeJSON(name: string, value: unknown): boolean;
  /** Free bytes for new files. */
  getFree(): number;
}
