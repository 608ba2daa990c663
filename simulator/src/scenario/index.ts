// The county scenario model: file format, validation and the seeded plan.
export type * from "./types";
export { validateScenario, type ScenarioVerdict } from "./validate";
export { loadScenarioFile, parseScenarioText } from "./load";
export { planScenario } from "./plan";
export { mergedTimeline } from "./timeline";
export { CARD_PREFIXES, UNDO_CARD, CLOSE_CARD, splitCard, noCodeCard, CLOSE_PRESS_MS, SESSION_TIMEOUT_SECONDS, SPLIT_ARM_SECONDS } from "./cards";
export { mulberry32, deriveSeed } from "./prng";
