// The fraud models `npm run sim` and the demo give the simulated county's gateway: trained on the
// small scenario's normal days with `npm run sim -- train-fraud-model --out simulator/src/history/fraud-model`
// (about 20 s, so they are committed rather than trained at every start; a few KB of weights).
// tests/gateway/fraud/scenario-model.test.ts checks they still load with today's features and format.
import { join } from "node:path";

export const COMMITTED_FRAUD_MODEL_DIR = join(__dirname, "fraud-model");
