// `gateway model train` from the store: stored records in, both models on disk, and a gateway
// started on that data directory loads them for its day close.
import { startGateway } from "../../../gateway/src/app";
import { fraudModelDir } from "../../../gateway/src/fraud/service";
import { trainFromStore } from "../../../gateway/src/fraud/train-store";
import { silentLogger } from "../../../gateway/src/log/logger";
import { GatewayStore } from "../../../gateway/src/store/store";
import { defaultSettings, mergeSettings } from "../../../gateway/src/config/settings";
import { generateHistory } from "../../../simulator/src/history";
import { secretOf, tempDir } from "../helpers";

describe("model training from the store", () => {
  it("trains both scopes on stored records, refuses too short a window, and the gateway loads the models", async () => {
    const h = generateHistory({ seed: 31, clinics: 30, days: 24 });
    const dataDir = tempDir();
    const store = GatewayStore.open(dataDir);
    const devices = new Map(h.rows.map((r) => [r.device, r]));
    for (const [id, r] of devices) store.devices.add({ id, secret: secretOf(id), institution: r.institution, operator: r.operator }, h.rows[0].receivedAt);
    store.transaction(() => {
      for (const r of h.rows) {
        const { device, institution, operator, receivedAt, correctedTime, ...rec } = r;
        store.records.insert(device, rec, { fixedTime: correctedTime, timeTrusted: r.trusted, institution, operator, receivedAt });
      }
    });
    const dir = fraudModelDir(mergeSettings(defaultSettings(), { dataDir }));
    const notes: string[] = [];
    const end = h.rows[h.rows.length - 1].receivedAt;
    await expect(trainFromStore(store, { days: 3, dir })).rejects.toThrow(/at least 14 days/);
    // 14 days of 30 clinics: 7 trained days, about 50 held-out clinic-days, too few for a threshold
    await expect(trainFromStore(store, { days: 14, dir, nowSec: end, network: { epochs: 2 } })).rejects.toThrow(/too short: \d+ clinic-day vectors held out .* at least 100/);
    const out = await trainFromStore(store, { days: 25, dir, nowSec: end, network: { epochs: 8 }, progress: (d, t, n) => notes.push(`${d}/${t} ${n}`) });
    store.close();
    expect(out.rows).toBe(h.rows.length);
    expect(out.models.map((m) => m.scope)).toEqual(["clinic-day", "doctor-day"]);
    expect(notes[notes.length - 1]).toMatch(/^3\/3 saved to/);

    const gw = await startGateway({ dataDir, devices: { mode: "external", url: process.env.VT_TEST_BROKER_URL! }, http: { enabled: false }, fraud: { enabled: false } }, { logger: silentLogger() });
    try {
      expect(gw.fraud.modelScopes.sort()).toEqual(["clinic-day", "doctor-day"]);
    } finally {
      await gw.stop();
    }
  }, 60_000);
});
