// The fraud checks the gateway wires in: rules, features, the learned model and the engine.
export type { FraudRow, FraudAlert, FraudSeverity, ClinicHours, ProductFacts, ProductLookup } from "./types";
export { DEFAULT_HOURS, fraudRowFromStored } from "./types";
export { runRules, warnListHits, expiredPacks, patientMultiClinic, oddHourSessions, replays, type RuleOptions } from "./rules";
export { computeFeatures, businessDay, FEATURE_NAMES, FEATURE_SCHEMA_VERSION, type FeatureVector, type FeatureOptions, type Scope } from "./features";
export { fitNormaliser, normalise, type Normaliser } from "./normalise";
export { calibrateBaseline, zScore, type ZScoreBaseline } from "./baseline";
export { trainModel, trainOnVectors, loadModel, saveModel, scoreVectors, ModelSchemaError, loadTf, type FraudModel, type TrainOptions, type VectorScore } from "./model";
export { FraudEngine, type FraudEngineOptions, type DayInput, type FraudRunSummary } from "./engine";
export { trainFromRows, loadModels, type TrainedSummary } from "./train-cli";
