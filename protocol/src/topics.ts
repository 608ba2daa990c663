// MQTT topic names, versioned. One place, so a board, the gateway and the platform
// emulator can never disagree on a spelling.

export const TOPIC_VERSION = "v1";
const ROOT = "vt/" + TOPIC_VERSION;

/** Board -> gateway: batch frames (CBOR, binary). A board may publish only here. */
export function deviceUp(device: string): string {
  return ROOT + "/dev/" + device + "/up";
}

/** Gateway -> board: ack and command frames (CBOR, binary). A board may subscribe only here. */
export function deviceDown(device: string): string {
  return ROOT + "/dev/" + device + "/down";
}

/** Wildcard the gateway subscribes to for every board's up topic. */
export const DEVICE_UP_WILDCARD = ROOT + "/dev/+/up";

/** Gateway -> platform: drug-sale uploads (JSON), one topic per gateway. */
export function platformUp(gateway: string): string {
  return ROOT + "/platform/" + gateway + "/up";
}

/** Platform -> gateway: application-level acknowledgements (JSON). */
export function platformAck(gateway: string): string {
  return ROOT + "/platform/" + gateway + "/ack";
}

/** Gateway -> platform: fraud and integrity alerts (JSON). */
export function alerts(gateway: string): string {
  return ROOT + "/alerts/" + gateway;
}

/** Wildcards the platform subscribes to. */
export const PLATFORM_UP_WILDCARD = ROOT + "/platform/+/up";
export const ALERTS_WILDCARD = ROOT + "/alerts/+";

/** Pulls the device id out of an up topic; null if the topic is not a device up topic. */
export function deviceFromUpTopic(topic: string): string | null {
  const parts = topic.split("/");
  if (parts.length !== 5 || parts[0] !== "vt" || parts[1] !== TOPIC_VERSION) return null;
  if (parts[2] !== "dev" || parts[4] !== "up" || parts[3].length === 0) return null;
  return parts[3];
}

/** Shared-subscription form (MQTT 5) so several gateways split the device traffic. */
export function shared(group: string, topic: string): string {
  return "$share/" + group + "/" + topic;
}
