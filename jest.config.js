// Every suite, unit to end-to-end, runs under one jest; TypeScript goes through swc.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)s$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }],
  },
  globalSetup: "<rootDir>/tests/support/global-setup.ts",
  globalTeardown: "<rootDir>/tests/support/global-teardown.ts",
  testTimeout: 60000,
  maxWorkers: 2,
  // Suites that run gateways, brokers and fleets are heavy; a worker that grew past this is
  // replaced before its next suite, so nothing one suite leaves behind can slow another.
  workerIdleMemoryLimit: "300MB",
  reporters: ["default", "<rootDir>/tests/support/summary-reporter.js"],
};
