// Ambient declarations of the Espruino globals the board profiles use (the firmware /
// simulator contract). `require`, `setTimeout` and `process` keep their Node typings; only
// firmware/src/boards/* may touch any of these.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const E: {
  CRC32(data: string | Uint8Array): number;
  hwRand(): number;
  on(event: string, fn: () => void): void;
  getErrorFlags(): string[];
};
declare function getTime(): number;
declare function setTime(seconds: number): void;
declare function digitalWrite(pin: any, v: number): void;
declare function analogWrite(pin: any, duty: number, opts?: { freq: number }): void;
declare function setWatch(fn: (e?: { state: boolean; time: number; lastTime?: number }) => void, pin: any, opts: { repeat: boolean; edge: string; debounce: number }): number;
declare function print(...args: any[]): void;
declare const LED1: any;
declare const LED2: any;
declare const BTN: any;
declare const B3: any;
declare const B6: any;
declare const B7: any;
declare const D0: any;
declare const D2: any;
declare const D4: any;
declare const D16: any;
declare const D17: any;
declare const D21: any;
declare const D22: any;
declare const D25: any;
declare const Serial1: any;
declare const Serial2: any;
declare const I2C1: any;
declare const USB: any;
declare const LoopbackA: any;
declare function digitalRead(pin: any): number;
