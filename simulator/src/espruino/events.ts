// What a person at the counter would see and hear, plus console output, each stamped with the
// virtual time, so tests can assert the feedback a scan produced.

export type BoardEvent =
  | { t: number; kind: "led"; led: "LED1" | "LED2"; pin: string; on: boolean }
  | { t: number; kind: "buzzer"; pin: string; duty: number; freq: number }
  | { t: number; kind: "pin"; pin: string; value: number }
  | { t: number; kind: "display"; lines: string[] }
  | { t: number; kind: "console"; text: string }
  | { t: number; kind: "error"; text: string }
  | { t: number; kind: "power"; state: "on" | "off" | "cut"; note?: string }
  | { t: number; kind: "link"; up: boolean };

export type BoardEventKind = BoardEvent["kind"];

export class EventLog {
  readonly all: BoardEvent[] = [];

  push(e: BoardEvent): void {
    this.all.push(e);
  }

  ofKind<K extends BoardEventKind>(kind: K): Extract<BoardEvent, { kind: K }>[] {
    return this.all.filter((e) => e.kind === kind) as Extract<BoardEvent, { kind: K }>[];
  }

  since(t: number): BoardEvent[] {
    return this.all.filter((e) => e.t >= t);
  }

  /** Console text printed so far, one line per print. */
  consoleText(): string {
    return this.ofKind("console").map((e) => e.text).join("\n");
  }

  clear(): void {
    this.all.length = 0;
  }
}
