export { trainModel, trainOnVectors, splitForCalibration, type FraudModel, type TrainOptions } from "./train";
export { scoreVectors, scoreParts, combine, reconstruct, type VectorScore, type FeatureContribution, type ScoreParts } from "./score";
export { saveModel, loadModel, ModelSchemaError } from "./persist";
export { loadTf, type TfBackendName } from "./tf";
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, schemaProblem, type ModelManifest } from "./manifest";
