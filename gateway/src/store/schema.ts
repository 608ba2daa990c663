// Schema migrations by version (PRAGMA user_version). Append new steps; never edit a
// shipped one, because gateways in the field have already run it.

export const MIGRATIONS: string[] = [
  // 1: the initial schema
  `
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    secret BLOB NOT NULL,
    institution TEXT NOT NULL,
    operator TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    added_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_seen INTEGER,
    stats TEXT
  );
  CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    device TEXT NOT NULL,
    seq INTEGER NOT NULL,
    time INTEGER NOT NULL,
    trusted INTEGER NOT NULL,
    boot INTEGER NOT NULL,
    uptime INTEGER NOT NULL,
    event INTEGER NOT NULL,
    session INTEGER NOT NULL,
    code TEXT, batch TEXT, expiry TEXT,
    units INTEGER, per_pack INTEGER, ref INTEGER,
    open_by INTEGER, patient TEXT, rx TEXT,
    fixed_time INTEGER NOT NULL,
    time_trusted INTEGER NOT NULL,
    institution TEXT NOT NULL,
    operator TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    relayed_at INTEGER,
    relay_error TEXT,
    UNIQUE (device, seq)
  );
  CREATE INDEX records_by_code ON records (code) WHERE code IS NOT NULL;
  CREATE INDEX records_by_relayed ON records (relayed_at) WHERE relayed_at IS NOT NULL;
  CREATE INDEX records_by_time ON records (fixed_time);
  -- Records still owed to the platform, one row each; removed when the platform acks.
  CREATE TABLE outbox (
    record_id INTEGER PRIMARY KEY,
    device TEXT NOT NULL,
    seq INTEGER NOT NULL
  );
  CREATE INDEX outbox_by_device ON outbox (device, seq);
  -- Highest contiguous seq stored per device: what the ack says.
  CREATE TABLE device_acks (device TEXT PRIMARY KEY, upto INTEGER NOT NULL);
  -- Clock offset (unix time - uptime) learned per device boot from a trusted clock.
  CREATE TABLE device_boots (device TEXT NOT NULL, boot INTEGER NOT NULL, offset INTEGER NOT NULL, PRIMARY KEY (device, boot));
  CREATE TABLE dispensed (
    code TEXT PRIMARY KEY,
    mode TEXT NOT NULL,
    keys TEXT NOT NULL,
    institution TEXT NOT NULL,
    per_pack INTEGER NOT NULL,
    units INTEGER NOT NULL
  );
  CREATE TABLE alerts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    at INTEGER NOT NULL,
    device TEXT,
    code TEXT,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE warn_list (code TEXT PRIMARY KEY, added_at INTEGER NOT NULL, alert_id TEXT);
  CREATE TABLE command_ids (device TEXT PRIMARY KEY, last_id INTEGER NOT NULL);
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `,
  // 2: the outbox holds runs of consecutive seqs per device instead of one row per record:
  // ingest writes (or extends) one row per frame and the relay settles a message with a
  // couple of statements per device. Existing rows are folded into their runs.
  `
  ALTER TABLE outbox RENAME TO outbox_v1;
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    device TEXT NOT NULL,
    from_seq INTEGER NOT NULL,
    to_seq INTEGER NOT NULL,
    CHECK (to_seq >= from_seq)
  );
  CREATE INDEX outbox_runs_by_device ON outbox (device, from_seq);
  INSERT INTO outbox (device, from_seq, to_seq)
    SELECT device, MIN(seq), MAX(seq)
    FROM (SELECT device, seq, seq - ROW_NUMBER() OVER (PARTITION BY device ORDER BY seq) AS island FROM outbox_v1)
    GROUP BY device, island
    ORDER BY device, MIN(seq);
  DROP TABLE outbox_v1;
  `,
  // 3: fewer b-trees written per stored sale. Nothing reads records by code (the county's
  // one-box-one-sale index is `dispensed`), and with real, random codes that index was the
  // costliest write of a record. `dispensed` becomes a WITHOUT ROWID table: one b-tree keyed
  // by code instead of a rowid table plus its primary-key index.
  `
  DROP INDEX records_by_code;
  CREATE TABLE dispensed_v3 (
    code TEXT PRIMARY KEY,
    mode TEXT NOT NULL,
    keys TEXT NOT NULL,
    institution TEXT NOT NULL,
    per_pack INTEGER NOT NULL,
    units INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO dispensed_v3 (code, mode, keys, institution, per_pack, units)
    SELECT code, mode, keys, institution, per_pack, units FROM dispensed;
  DROP TABLE dispensed;
  ALTER TABLE dispensed_v3 RENAME TO dispensed;
  `,
  // 4: what the platform has is kept as runs of seqs, one row per device and settled
  // message, instead of an UPDATE of relayed_at on every record (and its index) when the
  // platform acks. relayed_at stays on a record only with relay_error (a sale the platform
  // refused); existing relayed records are folded into runs of equal time.
  `
  CREATE TABLE relayed (
    id INTEGER PRIMARY KEY,
    device TEXT NOT NULL,
    from_seq INTEGER NOT NULL,
    to_seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    CHECK (to_seq >= from_seq)
  );
  CREATE INDEX relayed_by_device ON relayed (device, to_seq);
  CREATE INDEX relayed_by_at ON relayed (at);
  INSERT INTO relayed (device, from_seq, to_seq, at)
    SELECT device, MIN(seq), MAX(seq), relayed_at
    FROM (SELECT device, seq, relayed_at, seq - ROW_NUMBER() OVER (PARTITION BY device, relayed_at ORDER BY seq) AS island
          FROM records WHERE relayed_at IS NOT NULL AND relay_error IS NULL)
    GROUP BY device, relayed_at, island
    ORDER BY device, MIN(seq);
  UPDATE records SET relayed_at = NULL WHERE relayed_at IS NOT NULL AND relay_error IS NULL;
  DROP INDEX records_by_relayed;
  CREATE INDEX records_refused_by_time ON records (relayed_at) WHERE relay_error IS NOT NULL;
  `,
  // 5: the relay asks for the alerts not published yet each time it fills its window (many
  // times a second under load); without an index that read every alert ever raised, about
  // 1.6 ms a call with 50,000 of them. The partial index holds only the unpublished ones.
  `
  CREATE INDEX alerts_unpublished ON alerts (seq) WHERE published = 0;
  `,
];
