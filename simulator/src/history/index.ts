export { generateHistory } from "./generate";
export { HIGH_PRICE } from "./catalogue";
export { FRAUD_PATTERNS } from "./types";
export type { History, HistoryOptions, FraudLabel, FraudPattern, Clinic, Doctor, Product } from "./types";
export { scenarioCatalogue, scenarioHistory, writeScenarioCatalogue, type ScenarioHistoryOptions } from "./from-scenario";
export { trainScenarioModels, CATALOGUE_FILE, type ScenarioTrainOptions, type ScenarioTrainResult } from "./train-scenario";
export { COMMITTED_FRAUD_MODEL_DIR } from "./committed-model";
