// The fraud day close as a gateway service: loads the saved models (if `gateway model train`
// has made any) and the optional price catalogue, closes due business days on a timer and on
// demand. A missing or refused model leaves the rules running and says so in the log; a
// missing or unreadable catalogue leaves the price signals at 0 and says so too.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { GatewayBus } from "../bus/events";
import type { GatewaySettings } from "../config/settings";
import type { Logger } from "../log/logger";
import type { GatewayStore } from "../store/store";
import { loadCatalogue } from "./catalogue";
import { FraudDayCloser, type DayCloseResult } from "./day-close";
import type { Scope } from "./features";
import type { FraudModel } from "./model";
import { loadModels } from "./train-cli";
import type { ProductLookup } from "./types";

export interface FraudService {
  /** Closes one business day now (idempotent: alerts already raised are not raised again). */
  closeDay(day: string): DayCloseResult;
  /** Closes every business day that has ended and is not closed yet. */
  closeDue(): DayCloseResult[];
  /** Scopes with a loaded model. */
  readonly modelScopes: Scope[];
  stop(): void;
}

export function fraudModelDir(settings: GatewaySettings): string {
  return settings.fraud.modelDir ?? join(settings.dataDir === ":memory:" ? "." : settings.dataDir, "fraud-model");
}

export async function startFraudService(settings: GatewaySettings, store: GatewayStore, bus: GatewayBus, log: Logger): Promise<FraudService> {
  let models: Partial<Record<Scope, FraudModel>> = {};
  const dir = fraudModelDir(settings);
  if (existsSync(dir)) {
    try {
      models = await loadModels(dir);
    } catch (err) {
      log.error({ dir, err: String(err) }, "fraud models refused: day close runs the rules only");
    }
  }
  const modelScopes = Object.keys(models) as Scope[];
  log.info({ dir, scopes: modelScopes }, modelScopes.length ? "fraud models loaded" : "no fraud models: day close runs the rules only");
  const priceOf = priceLookup(settings, log);
  for (const scope of modelScopes) {
    if (models[scope]?.manifest.prices && !priceOf) log.error({ scope }, "fraud model was trained with prices but no catalogue is loaded: price signals read 0 (set fraud.catalogueFile)");
  }
  const closer = new FraudDayCloser(store, bus, {
    models,
    priceOf,
    log,
    onRun: (s) => log.info({ ...s }, "fraud engine run"),
  });
  const closeDue = () => closer.closeDue(settings.fraud.catchUpDays, settings.fraud.graceSec);
  let timer: NodeJS.Timeout | null = null;
  if (settings.fraud.enabled) {
    timer = setInterval(() => {
      try {
        closeDue();
      } catch (err) {
        log.error({ err: String(err) }, "fraud day close failed");
      }
    }, settings.fraud.checkMs);
    timer.unref();
  }
  return {
    closeDay: (day) => closer.closeDay(day),
    closeDue,
    modelScopes,
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const m of Object.values(models)) m?.net.dispose();
    },
  };
}

/** The catalogue's lookup, or undefined (logged) when none is configured or it cannot be read. */
export function priceLookup(settings: GatewaySettings, log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }): ProductLookup | undefined {
  const file = settings.fraud.catalogueFile;
  if (!file) {
    log.info({}, "no price catalogue (fraud.catalogueFile): price signals are not judged");
    return undefined;
  }
  try {
    const c = loadCatalogue(file);
    log.info({ file, products: c.products }, "price catalogue loaded");
    return c.lookup;
  } catch (err) {
    log.error({ file, err: String(err) }, "price catalogue refused: price signals are not judged");
    return undefined;
  }
}
