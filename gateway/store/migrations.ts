import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';

/**
 * Versioned schema changes. `PRAGMA user_version` holds the number of the
 * last migration applied; each migration and the version bump commit in one
 * IMMEDIATE transaction, so a crash or a second process opening the same file
 * can never leave a half-migrated store or apply a step twice.
 *
 * Append only: a migration that shipped is never edited, a change is a new
 * entry. See store.ts for what each table means.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox, batches, record state, rejections, cursors, counters',
    sql: `
      CREATE TABLE seq_counter (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq INTEGER NOT NULL
      );
      INSERT INTO seq_counter (id, last_seq) VALUES (1, 0);

      CREATE TABLE record_state (
        id TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        last_op TEXT NOT NULL CHECK (last_op IN ('upsert', 'delete')),
        status TEXT NOT NULL CHECK (status IN ('queued', 'delivered', 'platform_rejected', 'deleted')),
        updated_at TEXT NOT NULL,
        seen_pass INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE INDEX record_state_job ON record_state (job, id);

      CREATE TABLE job_passes (
        job TEXT PRIMARY KEY,
        pass INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        first_seq INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        last_error_code TEXT,
        last_error_message TEXT,
        next_attempt_at TEXT
      );
      CREATE INDEX batches_order ON batches (first_seq);

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY,
        record_id TEXT NOT NULL,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        line TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        queued_at TEXT NOT NULL,
        batch_id TEXT REFERENCES batches (id),
        platform_rejected INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX outbox_batch ON outbox (batch_id, seq);

      CREATE TABLE rejections (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('local', 'platform')),
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        record_id TEXT NOT NULL,
        key TEXT NOT NULL,
        field TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL,
        batch_id TEXT,
        seq INTEGER,
        resolved_at TEXT
      );
      CREATE INDEX rejections_open ON rejections (record_id, source) WHERE resolved_at IS NULL;

      CREATE TABLE cursors (
        job TEXT PRIMARY KEY,
        position TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE job_runs (
        job TEXT PRIMARY KEY,
        last_run_started_at TEXT NOT NULL,
        last_run_at TEXT NOT NULL,
        last_run_ok INTEGER NOT NULL,
        last_success_at TEXT,
        last_error_code TEXT,
        last_error_message TEXT,
        last_error_at TEXT
      ) WITHOUT ROWID;

      CREATE TABLE job_counters (
        day TEXT NOT NULL,
        job TEXT NOT NULL,
        pages INTEGER NOT NULL DEFAULT 0,
        rows_read INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, job)
      ) WITHOUT ROWID;

      CREATE TABLE category_counters (
        day TEXT NOT NULL,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        rows_mapped INTEGER NOT NULL DEFAULT 0,
        queued INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        rejected_local INTEGER NOT NULL DEFAULT 0,
        delivered INTEGER NOT NULL DEFAULT 0,
        rejected_platform INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, job, category)
      ) WITHOUT ROWID;

      CREATE TABLE delivery_hours (
        hour TEXT NOT NULL,
        category TEXT NOT NULL,
        delivered INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (hour, category)
      ) WITHOUT ROWID;

      CREATE TABLE category_state (
        category TEXT PRIMARY KEY,
        last_delivered_at TEXT
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'config bundle outcomes, applied bundles, job identities',
    sql: `
      CREATE TABLE bundle_outcomes (
        id INTEGER PRIMARY KEY,
        version INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected', 'rolled_back')),
        message TEXT NOT NULL,
        at TEXT NOT NULL,
        via TEXT NOT NULL
      );

      CREATE TABLE bundles_applied (
        version INTEGER PRIMARY KEY,
        bytes BLOB NOT NULL,
        signature TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        outcome_id INTEGER NOT NULL REFERENCES bundle_outcomes (id),
        rolled_back_at TEXT
      );
      CREATE INDEX bundles_applied_order ON bundles_applied (outcome_id);

      CREATE TABLE job_identities (
        job TEXT PRIMARY KEY,
        identity TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'resend requests, no-data declarations, per-minute deliveries, first runs',
    sql: `
      ALTER TABLE rejections ADD COLUMN resend_requested_at TEXT;
      CREATE INDEX rejections_at ON rejections (at);

      CREATE TABLE no_data_declarations (
        category TEXT NOT NULL,
        period TEXT NOT NULL,
        at TEXT NOT NULL,
        declared_by TEXT,
        note TEXT,
        PRIMARY KEY (category, period)
      ) WITHOUT ROWID;

      CREATE TABLE delivery_minutes (
        minute TEXT PRIMARY KEY,
        delivered INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE INDEX outbox_job ON outbox (job);

      ALTER TABLE job_runs ADD COLUMN first_run_started_at TEXT;
      -- The earliest start this store knows of: later than the real first run at worst.
      UPDATE job_runs SET first_run_started_at = last_run_started_at;
    `,
  },
  {
    version: 4,
    name: 'subject of each rejection',
    sql: `
      ALTER TABLE rejections ADD COLUMN subject_kind TEXT;
      ALTER TABLE rejections ADD COLUMN subject_code TEXT;
    `,
  },
  {
    version: 5,
    name: 'store identity',
    sql: `
      CREATE TABLE store_identity (
        single INTEGER PRIMARY KEY CHECK (single = 1),
        id TEXT NOT NULL
      );
      INSERT INTO store_identity (single, id) VALUES (1, lower(hex(randomblob(16))));
    `,
  },
  {
    version: 6,
    name: 'keys that sealed values at rest',
    sql: `
      CREATE TABLE store_keys (
        key_id TEXT PRIMARY KEY,
        algorithm TEXT NOT NULL,
        first_used_at TEXT NOT NULL,
        resealed_at TEXT
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'record state keyed by rowid, ids and fingerprints as 32 bytes',
    // Ids and fingerprints in sha256 hex become their 32 bytes (record-ids.ts); others stay TEXT.
    // Rows keep their order of first queueing (last_seq is the best the old table knows).
    sql: `
      CREATE TABLE record_state_v7 (
        rid INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        last_seq INTEGER NOT NULL,
        last_op TEXT NOT NULL CHECK (last_op IN ('upsert', 'delete')),
        status TEXT NOT NULL CHECK (status IN ('queued', 'delivered', 'platform_rejected', 'deleted')),
        updated_at TEXT NOT NULL,
        seen_pass INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO record_state_v7 (id, job, category, key, fingerprint, last_seq, last_op, status, updated_at, seen_pass)
      SELECT
        CASE WHEN length(id) = 64 AND NOT id GLOB '*[^0-9a-f]*' THEN unhex(id) ELSE id END,
        job, category, key,
        CASE WHEN length(fingerprint) = 64 AND NOT fingerprint GLOB '*[^0-9a-f]*' THEN unhex(fingerprint) ELSE fingerprint END,
        last_seq, last_op, status, updated_at, seen_pass
      FROM record_state ORDER BY last_seq, id;
      DROP TABLE record_state;
      ALTER TABLE record_state_v7 RENAME TO record_state;
      CREATE INDEX record_state_job ON record_state (job, rid);
    `,
  },
  {
    version: 8,
    name: 'batches as seq ranges, outbox lines compressed, record ids as 32 bytes in the outbox',
    // A batch's rows are the outbox rows in first_seq..last_seq: nothing is written into each row
    // when a batch forms. Lines already queued stay as they were (form 0); new ones are compressed.
    sql: `
      CREATE TABLE batches_v8 (
        id TEXT PRIMARY KEY,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        last_error_code TEXT,
        last_error_message TEXT,
        next_attempt_at TEXT
      );
      INSERT INTO batches_v8 (id, first_seq, last_seq, created_at, attempts, last_attempt_at, last_error_code, last_error_message, next_attempt_at)
      SELECT b.id, min(o.seq), max(o.seq), b.created_at, b.attempts, b.last_attempt_at, b.last_error_code, b.last_error_message, b.next_attempt_at
      FROM batches AS b JOIN outbox AS o ON o.batch_id = b.id GROUP BY b.id;

      CREATE TABLE outbox_v8 (
        seq INTEGER PRIMARY KEY,
        record_id BLOB NOT NULL,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        line BLOB NOT NULL,
        form INTEGER NOT NULL DEFAULT 0 CHECK (form IN (0, 1, 2)),
        bytes INTEGER NOT NULL,
        queued_at TEXT NOT NULL,
        platform_rejected INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO outbox_v8 (seq, record_id, job, category, key, op, line, form, bytes, queued_at, platform_rejected)
      SELECT seq,
        CASE WHEN length(record_id) = 64 AND NOT record_id GLOB '*[^0-9a-f]*' THEN unhex(record_id) ELSE record_id END,
        job, category, key, op, line, 0, bytes, queued_at, platform_rejected
      FROM outbox ORDER BY seq;

      DROP TABLE outbox;
      DROP TABLE batches;
      ALTER TABLE outbox_v8 RENAME TO outbox;
      ALTER TABLE batches_v8 RENAME TO batches;
      CREATE INDEX outbox_job ON outbox (job);
      CREATE INDEX batches_order ON batches (first_seq);
    `,
  },
  {
    version: 9,
    name: 'open platform rejections indexed',
    // Nearly always none are open: a batch's answer then need not look at its ids at all (rejections.ts).
    sql: `
      CREATE INDEX rejections_platform_open ON rejections (record_id) WHERE source = 'platform' AND resolved_at IS NULL;
    `,
  },
  {
    version: 10,
    name: 'outbox lines deflated without their seq on the mapping thread (forms 3 and 4)',
    // Only the form's CHECK changes, which SQLite cannot alter in place; rows keep their form.
    sql: `
      CREATE TABLE outbox_v10 (
        seq INTEGER PRIMARY KEY,
        record_id BLOB NOT NULL,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        line BLOB NOT NULL,
        form INTEGER NOT NULL DEFAULT 0 CHECK (form IN (0, 1, 2, 3, 4)),
        bytes INTEGER NOT NULL,
        queued_at TEXT NOT NULL,
        platform_rejected INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO outbox_v10 (seq, record_id, job, category, key, op, line, form, bytes, queued_at, platform_rejected)
      SELECT seq, record_id, job, category, key, op, line, form, bytes, queued_at, platform_rejected FROM outbox ORDER BY seq;
      DROP TABLE outbox;
      ALTER TABLE outbox_v10 RENAME TO outbox;
      CREATE INDEX outbox_job ON outbox (job);
    `,
  },
  {
    version: 11,
    name: 'outbox lines kept a page at a time (form 5, outbox_chunks)',
    // The form's CHECK changes again (rows keep their form); a chunk is keyed by the first seq it holds.
    sql: `
      CREATE TABLE outbox_chunks (
        first_seq INTEGER PRIMARY KEY,
        last_seq INTEGER NOT NULL,
        lines BLOB NOT NULL,
        sealed INTEGER NOT NULL CHECK (sealed IN (0, 1))
      );
      CREATE TABLE outbox_v11 (
        seq INTEGER PRIMARY KEY,
        record_id BLOB NOT NULL,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        line BLOB NOT NULL,
        form INTEGER NOT NULL DEFAULT 0 CHECK (form IN (0, 1, 2, 3, 4, 5)),
        bytes INTEGER NOT NULL,
        queued_at TEXT NOT NULL,
        platform_rejected INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO outbox_v11 (seq, record_id, job, category, key, op, line, form, bytes, queued_at, platform_rejected)
      SELECT seq, record_id, job, category, key, op, line, form, bytes, queued_at, platform_rejected FROM outbox ORDER BY seq;
      DROP TABLE outbox;
      ALTER TABLE outbox_v11 RENAME TO outbox;
      CREATE INDEX outbox_job ON outbox (job);
    `,
  },
  {
    version: 12,
    name: 'record state rejected_local: a quarantined record is no longer shown as queued',
    // The status's CHECK changes: the table is made again (SQLite cannot alter a CHECK), rows keep their rid.
    // Measured: 10-18 s for 1M records on a loaded 2-core machine (building the ids' unique index after the copy
    // was no faster), once, at the first start of this release.
    // A record quarantined before (quarantine.ts: queued, fingerprint emptied, its row gone from the outbox) takes the new status.
    sql: `
      CREATE TABLE record_state_v12 (
        rid INTEGER PRIMARY KEY,
        id BLOB NOT NULL UNIQUE,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        last_seq INTEGER NOT NULL,
        last_op TEXT NOT NULL CHECK (last_op IN ('upsert', 'delete')),
        status TEXT NOT NULL CHECK (status IN ('queued', 'delivered', 'platform_rejected', 'deleted', 'rejected_local')),
        updated_at TEXT NOT NULL,
        seen_pass INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO record_state_v12 (rid, id, job, category, key, fingerprint, last_seq, last_op, status, updated_at, seen_pass)
      SELECT rid, id, job, category, key, fingerprint, last_seq, last_op,
        CASE WHEN status = 'queued' AND length(fingerprint) = 0 AND NOT EXISTS (SELECT 1 FROM outbox WHERE seq = last_seq)
          THEN 'rejected_local' ELSE status END,
        updated_at, seen_pass
      FROM record_state ORDER BY rid;
      DROP TABLE record_state;
      ALTER TABLE record_state_v12 RENAME TO record_state;
      CREATE INDEX record_state_job ON record_state (job, rid);
    `,
  },
  {
    version: 13,
    name: 'record ids indexed by their first 8 bytes, not whole',
    // A page's new records go into the id index at random places, so a commit wrote most of its leaf pages
    // to the WAL (and a checkpoint wrote them again): with 32-byte keys that grew with the store (about
    // 1,500 leaf pages at 100,000 records, 15,000 at 1M). Eight bytes of a sha256 tell ids apart all the
    // same (a lookup compares the whole id too, records.ts), in about a third of the pages. Ids stay
    // unique because a page looks a record up before it inserts it, in one write transaction.
    // The table is made again (SQLite cannot drop a UNIQUE constraint); rows keep their rid.
    sql: `
      CREATE TABLE record_state_v13 (
        rid INTEGER PRIMARY KEY,
        id BLOB NOT NULL,
        job TEXT NOT NULL,
        category TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        last_seq INTEGER NOT NULL,
        last_op TEXT NOT NULL CHECK (last_op IN ('upsert', 'delete')),
        status TEXT NOT NULL CHECK (status IN ('queued', 'delivered', 'platform_rejected', 'deleted', 'rejected_local')),
        updated_at TEXT NOT NULL,
        seen_pass INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO record_state_v13 (rid, id, job, category, key, fingerprint, last_seq, last_op, status, updated_at, seen_pass)
      SELECT rid, id, job, category, key, fingerprint, last_seq, last_op, status, updated_at, seen_pass
      FROM record_state ORDER BY rid;
      DROP TABLE record_state;
      ALTER TABLE record_state_v13 RENAME TO record_state;
      CREATE INDEX record_state_job ON record_state (job, rid);
      CREATE INDEX record_state_id ON record_state (substr(id, 1, 8));
    `,
  },
  {
    version: 14,
    name: 'outbox rows name their record_state row (rid)',
    // Settling a batch found each row's record through the id index, at random places: by rid it reads
    // record_state in the order the records were first queued. Rows queued before keep rid NULL and are
    // settled by id (records.ts). Adding a column rewrites nothing.
    sql: 'ALTER TABLE outbox ADD COLUMN rid INTEGER;',
  },
];

/** Brings the file up to the newest version; returns the versions applied. */
export function migrate(db: Database.Database, logger: Logger, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const newest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = db.transaction(() => {
      // Read inside the write lock: another process may have migrated meanwhile.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > newest) {
        throw new GatewayError('STORE_NEWER_THAN_GATEWAY', `the store is version ${current}; this gateway knows store versions up to ${newest}`);
      }
      if (current >= migration.version) return false;
      if (current !== migration.version - 1) {
        throw new GatewayError('STORE_MIGRATION_FAILED', `no migration leads from version ${current} to ${migration.version}`);
      }
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    let did: boolean;
    try {
      did = ran.immediate();
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('STORE_MIGRATION_FAILED', `migration ${migration.version} (${migration.name})`, { cause: err });
    }
    if (did) {
      applied.push(migration.version);
      logger.info({ version: migration.version, migration: migration.name }, 'store migrated');
    }
  }
  return applied;
}
