// Starts one broker for the whole run and tells every suite where it is.
import { startTestBroker, type TestBroker } from "./broker";

declare global {
  var __VT_BROKER__: TestBroker | undefined;
}

export default async function globalSetup(): Promise<void> {
  // cbor-x's native string extractor (cbor-extract) is a process-wide addon; when several
  // suites load cbor-x in one jest worker, a later suite's decoder can stall on malformed
  // input. The suites use cbor-x's JS path (the workers inherit this environment).
  process.env.CBOR_NATIVE_ACCELERATION_DISABLED = "true";
  if (process.env.VT_TEST_BROKER_URL) return; // a broker given from outside
  const broker = await startTestBroker();
  globalThis.__VT_BROKER__ = broker;
  process.env.VT_TEST_BROKER_URL = broker.url;
  process.env.VT_TEST_BROKER_KIND = broker.kind;
  console.log(`\n[tests] MQTT broker: ${broker.kind} at ${broker.url}`);
}
