// Shared by the end-to-end suites: the build's upload files (built once per suite) and the
// county in a box on the test broker (gateway in external mode: jest cannot load aedes).
import { buildUploadFiles, type UploadFiles } from "../../simulator/src/fleet/firmware-uploads";
import { startCounty, type County } from "../../simulator/src/fleet/county";
import type { FleetResult } from "../../simulator/src/fleet/fleet";
import type { RunReport } from "../../simulator/src/fleet/report";
import { EmulatedBoard } from "../../simulator/src/board/index";
import { decodeFeedback, type FeedbackSignal } from "../../simulator/src/fleet/feedback-decoder";

let files: Promise<UploadFiles> | null = null;

export function uploadFiles(): Promise<UploadFiles> {
  files ??= buildUploadFiles();
  return files;
}

export function brokerUrl(): string {
  const url = process.env.VT_TEST_BROKER_URL;
  if (!url) throw new Error("VT_TEST_BROKER_URL is not set (tests/support/global-setup.ts starts a broker)");
  return url;
}

export function countyOnTestBroker(seed = 1): Promise<County> {
  return startCounty({ brokerUrl: brokerUrl(), seed });
}

/** A distinct prefix per suite run, so suites sharing the broker never share device ids. */
export function runPrefix(tag: string): string {
  return tag + (process.pid % 1000).toString(36) + Date.now().toString(36).slice(-3) + "-";
}

/** A run that ended as it must: no failure, everything drained, the exactly-once audit clean. */
export function expectCleanRun(fleet: FleetResult, report: RunReport): void {
  expect(report.failures).toEqual([]);
  expect(fleet.drained).toBe(true);
  expect(report.audit).toMatchObject({ passed: true, missing: 0, duplicated: 0, phantom: 0, mismatched: 0 });
}

/** Feeds one read to the board and returns the feedback it gave, as a doctor sees and hears it. */
export async function feedbackOf(b: EmulatedBoard, raw: string): Promise<FeedbackSignal[]> {
  const from = b.events.all.length;
  b.scanner.scan(raw, { terminator: "\r\n" });
  await b.advance(2500);
  return decodeFeedback(b.events.all.slice(from), b.facts.buzzerPin);
}

/**
 * An ESP32 running the build's upload file, registered with the county's gateway, provisioned
 * with its broker, link up and powered on (not yet advanced: the caller lets it boot).
 */
export async function esp32OnCounty(county: County, device: string, secret: string, seed: number): Promise<EmulatedBoard> {
  const files = await uploadFiles();
  county.view.register({ device, secret, institution: "H51012200001", operator: "Dr Li" });
  const b = new EmulatedBoard({ board: "esp32", id: device, seed });
  b.load(files.esp32.source);
  b.provision({ device, secret, institution: "H51012200001", operator: "Dr Li", mqtt: county.view.mqtt, wifi: { ssid: "clinic", password: "x" } });
  b.setLinkUp(true);
  b.powerOn();
  return b;
}
