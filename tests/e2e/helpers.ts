// Shared by the end-to-end suites: the build's upload files (built once per suite) and the
// county in a box on the test broker (gateway in external mode: jest cannot load aedes).
import { buildUploadFiles, type UploadFiles } from "../../simulator/src/fleet/firmware-uploads";
import { startCounty, type County } from "../../simulator/src/fleet/county";
import type { FleetResult } from "../../simulator/src/fleet/fleet";
import type { RunReport } from "../../simulator/src/fleet/report";

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
