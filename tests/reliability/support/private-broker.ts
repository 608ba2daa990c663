// Each reliability suite owns its broker: the platform emulator subscribes to every
// gateway's uploads, so suites sharing a broker would ack each other's traffic. Mosquitto
// when the machine has it, else the embedded aedes broker in a child process.
import { mosquittoPath, startAedes, startMosquitto, type TestBroker } from "../../support/broker";

export async function startPrivateBroker(port?: number): Promise<TestBroker> {
  const bin = process.env.VT_TEST_BROKER === "aedes" ? null : mosquittoPath();
  return bin ? startMosquitto(bin, port) : startAedes(port);
}
