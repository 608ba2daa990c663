// Reading a scenario file: a clear list of errors for anything wrong, never an exception.
import { readFileSync } from "node:fs";
import { validateScenario, type ScenarioVerdict } from "./validate";

export function parseScenarioText(text: string, source = "scenario"): ScenarioVerdict {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [source + ": not valid JSON (" + (err as Error).message + ")"] };
  }
  const v = validateScenario(raw);
  return v.ok ? v : { ok: false, errors: v.errors.map((e) => source + ": " + e) };
}

export function loadScenarioFile(path: string): ScenarioVerdict {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    return { ok: false, errors: [path + ": cannot read (" + (err as NodeJS.ErrnoException).code + ")"] };
  }
  return parseScenarioText(text, path);
}
