// The Pico's USB CDC port as the link's line port. While the link holds it, the JavaScript
// console moves to LoopbackA (so log lines and the REPL do not mix with frames) and comes
// back to USB when the link closes. Reprogramming needs the console on USB: hold the button
// while plugging the board in, and the firmware leaves USB to the console for that boot.
import type { LinePort } from "../link/serial";

export function espruinoUsbPort(): LinePort {
  return {
    onData: (fn) => USB.on("data", fn),
    write: (s) => USB["write"](s),
    claim: (on) => {
      if (on) LoopbackA.setConsole(true);
      else USB.setConsole();
    },
  };
}

/** True when the button is held at power-up: keep the console on USB (maintenance boot). */
export function consoleRequested(button: any, activeLow: boolean): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (digitalRead(button) === 1) !== activeLow;
}
