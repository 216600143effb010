import type Database from 'better-sqlite3';
import type { ApplyOutcome, ApplyStatus, BundleVia, StoredBundle } from '../control/contract.js';

interface OutcomeRow {
  version: number;
  status: ApplyStatus;
  message: string;
  at: string;
  via: BundleVia;
}

interface BundleRow {
  version: number;
  bytes: Buffer;
  signature: string;
  appliedAt: string;
}

const DEFAULT_HISTORY = 20;
const MAX_HISTORY = 1000;

const BUNDLE = 'SELECT version, bytes, signature, applied_at AS appliedAt FROM bundles_applied';

/**
 * Configuration bundles from the credit center: every outcome (applied,
 * rejected, rolled back), append only, for the status page and the next
 * heartbeat; and the exact bytes and signature of each bundle applied, so a
 * restart verifies and runs the current one again and a rollback can return
 * to the one before.
 *
 * "Newest" is the order of application (the outcome that applied it), not the
 * version number: a bundle applied with allowOlderVersion is current although
 * its version is lower. Applying a version again makes it the newest again and
 * clears its rolled-back mark.
 */
export class Bundles {
  readonly #addOutcome: Database.Statement<[OutcomeRow]>;
  readonly #storeApplied: Database.Statement<[{ version: number; bytes: Buffer; signature: string; at: string; outcomeId: number | bigint }]>;
  readonly #rollBack: Database.Statement<[{ version: number; at: string }]>;
  readonly #current: Database.Statement<[], BundleRow>;
  readonly #previous: Database.Statement<[number], BundleRow>;
  readonly #history: Database.Statement<[number], OutcomeRow>;

  constructor(db: Database.Database) {
    this.#addOutcome = db.prepare(`
      INSERT INTO bundle_outcomes (version, status, message, at, via) VALUES (@version, @status, @message, @at, @via)`);
    this.#storeApplied = db.prepare(`
      INSERT INTO bundles_applied (version, bytes, signature, applied_at, outcome_id, rolled_back_at)
      VALUES (@version, @bytes, @signature, @at, @outcomeId, NULL)
      ON CONFLICT (version) DO UPDATE SET
        bytes = excluded.bytes, signature = excluded.signature, applied_at = excluded.applied_at,
        outcome_id = excluded.outcome_id, rolled_back_at = NULL`);
    this.#rollBack = db.prepare('UPDATE bundles_applied SET rolled_back_at = @at WHERE version = @version AND rolled_back_at IS NULL');
    this.#current = db.prepare(`${BUNDLE} WHERE rolled_back_at IS NULL ORDER BY outcome_id DESC LIMIT 1`);
    this.#previous = db.prepare(`${BUNDLE} WHERE rolled_back_at IS NULL AND version < ? ORDER BY outcome_id DESC LIMIT 1`);
    this.#history = db.prepare('SELECT version, status, message, at, via FROM bundle_outcomes ORDER BY id DESC LIMIT ?');
  }

  /** Call inside a transaction: the outcome and the applied bundle are kept together. */
  record(outcome: ApplyOutcome, applied?: { bytes: Buffer; signature: string }): void {
    if (applied && outcome.status !== 'applied') {
      // A refused or rolled-back bundle must never become the one a restart runs.
      throw new TypeError(`bundle ${outcome.version}: bytes are kept only for an applied bundle, not a ${outcome.status} one`);
    }
    const { lastInsertRowid } = this.#addOutcome.run({
      version: outcome.version, status: outcome.status, message: outcome.message, at: outcome.at, via: outcome.via,
    });
    if (applied) {
      this.#storeApplied.run({ version: outcome.version, bytes: applied.bytes, signature: applied.signature, at: outcome.at, outcomeId: lastInsertRowid });
    }
  }

  markRolledBack(version: number, at: string): void {
    this.#rollBack.run({ version, at });
  }

  current(): StoredBundle | null {
    return this.#current.get() ?? null;
  }

  previous(beforeVersion: number): StoredBundle | null {
    return this.#previous.get(beforeVersion) ?? null;
  }

  /** Newest first. */
  history(limit = DEFAULT_HISTORY): ApplyOutcome[] {
    return this.#history.all(Math.min(Math.max(0, Math.trunc(limit)), MAX_HISTORY));
  }
}
