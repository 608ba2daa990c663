export { generateHistory } from "./generate";
export { HIGH_PRICE } from "./catalogue";
export { FRAUD_PATTERNS } from "./types";
export type { History, HistoryOptions, FraudLabel, FraudPattern, Clinic, Doctor, Product } from "./types";
