// Creates a gateway store with a large backlog owed to the platform, fast: the rows are
// generated inside SQLite (one INSERT ... SELECT per device chunk) instead of one call per
// record, inside large transactions. The rows are what ingest would have written for
// plain dispense records: records, the outbox (one run per device) and the device's ack
// position.
import { GatewayStore } from "../../gateway/src/store/store";
import { FLEET_T0, provisionFleet, fleetDeviceId } from "./fleet-frames";

export interface BacklogSpec {
  dataDir: string;
  devices: number;
  records: number;
}

/** Returns the records written. The store is closed again (checkpointed) before returning. */
export function fillBacklog(spec: BacklogSpec): number {
  const store = GatewayStore.open(spec.dataDir, "NORMAL"); // setup only: the gateway later opens it FULL
  try {
    store.db.pragma("cache_size = -1000000"); // 1 GB page cache: the secondary indexes stay in memory while filling
    provisionFleet(store, spec.devices);
    const perDevice = Math.ceil(spec.records / spec.devices);
    const insertRecords = store.db.prepare(`
      WITH RECURSIVE s(q) AS (SELECT 1 UNION ALL SELECT q + 1 FROM s WHERE q < ?)
      INSERT INTO records (device, seq, time, trusted, boot, uptime, event, session, code, fixed_time, time_trusted, institution, operator, received_at)
      SELECT ?, q, ? + q, 1, 1, 100 + q, 2, 0, printf('8%05d%014d', ?, q), ? + q, 1, ?, ?, ? FROM s`);
    const insertOutbox = store.db.prepare("INSERT INTO outbox (device, from_seq, to_seq) VALUES (?, 1, ?)");
    const setAck = store.db.prepare("INSERT OR REPLACE INTO device_acks (device, upto) VALUES (?, ?)");
    let written = 0;
    for (let d = 0; d < spec.devices; d++) {
      const n = Math.min(perDevice, spec.records - written);
      if (n <= 0) break;
      const id = fleetDeviceId(d);
      store.transaction(() => {
        insertRecords.run(n, id, FLEET_T0, d, FLEET_T0, "H" + String(d).padStart(5, "0"), "operator " + d, FLEET_T0);
        insertOutbox.run(id, n);
        setAck.run(id, n);
      });
      written += n;
    }
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    return written;
  } finally {
    store.close();
  }
}
