export { trainModel, trainOnVectors, splitForCalibration, type FraudModel, type TrainOptions } from "./train";
export { scoreVectors, reconstructionErrors, type VectorScore, type FeatureContribution } from "./score";
export { saveModel, loadModel, ModelSchemaError } from "./persist";
export { loadTf, type TfBackendName } from "./tf";
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, schemaProblem, type ModelManifest } from "./manifest";
