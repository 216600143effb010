import type Database from 'better-sqlite3';
import type { Batch, CandidateRecord, OutboxRecord } from '../model.js';
import type { PayloadCipher } from './payload-crypto.js';
import type { QueueStats } from './types.js';

interface BatchRow {
  id: string;
  attempts: number;
  createdAt: string;
}

/**
 * Records waiting for the platform's acknowledgement, and the batches they
 * are grouped into. A row leaves only when its batch was answered
 * (acknowledged, rejected as malformed); a batch, once formed, keeps its id
 * and its rows until then.
 */
export class Outbox {
  // Positional: run once per queued record, and binding by name costs a lookup per parameter.
  readonly #add: Database.Statement<[number, string, string, string, string | Buffer, string, string | Buffer, number, string]>;
  readonly #oldestOpen: Database.Statement<[], BatchRow>;
  readonly #batch: Database.Statement<[string], BatchRow>;
  readonly #rows: Database.Statement<[string], OutboxRecord>;
  readonly #unbatched: Database.Statement<[number], OutboxRecord & { bytes: number }>;
  readonly #createBatch: Database.Statement<[{ id: string; firstSeq: number; at: string }]>;
  readonly #assign: Database.Statement<[{ batchId: string; from: number; to: number; fromBatch: string | null }]>;
  readonly #attempt: Database.Statement<[AttemptParams]>;
  readonly #count: Database.Statement<[string], { n: number }>;
  readonly #seqAt: Database.Statement<[string, number], { seq: number }>;
  readonly #dropBatch: Database.Statement<[string]>;
  readonly #markRejected: Database.Statement<[{ batchId: string; recordId: string }]>;
  readonly #markAllRejected: Database.Statement<[string]>;
  readonly #outcome: Database.Statement<[string], { accepted: number; rejected: number }>;
  readonly #remove: Database.Statement<[string]>;
  readonly #pending: Database.Statement<[], { n: number }>;
  readonly #pendingByJob: Database.Statement<[], { job: string; n: number }>;
  readonly #oldestPending: Database.Statement<[], { at: string }>;
  readonly #openBatches: Database.Statement<[], { n: number }>;
  readonly #lastError: Database.Statement<[], { code: string; message: string; at: string }>;
  /** null: lines and keys are stored as plaintext, with no cost on the way. */
  readonly #cipher: PayloadCipher | null;

  constructor(db: Database.Database, cipher: PayloadCipher | null = null) {
    this.#cipher = cipher;
    this.#add = db.prepare(`
      INSERT INTO outbox (seq, record_id, job, category, key, op, line, bytes, queued_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#oldestOpen = db.prepare('SELECT id, attempts, created_at AS createdAt FROM batches ORDER BY first_seq LIMIT 1');
    this.#batch = db.prepare('SELECT id, attempts, created_at AS createdAt FROM batches WHERE id = ?');
    this.#rows = db.prepare('SELECT seq, record_id AS id, category, op, line FROM outbox WHERE batch_id = ? ORDER BY seq');
    this.#unbatched = db.prepare(`
      SELECT seq, record_id AS id, category, op, line, bytes FROM outbox
      WHERE batch_id IS NULL ORDER BY seq LIMIT ?`);
    this.#createBatch = db.prepare('INSERT INTO batches (id, first_seq, created_at) VALUES (@id, @firstSeq, @at)');
    this.#assign = db.prepare(`
      UPDATE outbox SET batch_id = @batchId
      WHERE batch_id IS @fromBatch AND seq BETWEEN @from AND @to`);
    this.#attempt = db.prepare(`
      UPDATE batches SET attempts = attempts + 1, last_attempt_at = @at,
        last_error_code = @code, last_error_message = @message, next_attempt_at = @nextAttemptAt
      WHERE id = @batchId`);
    this.#count = db.prepare('SELECT count(*) AS n FROM outbox WHERE batch_id = ?');
    this.#seqAt = db.prepare('SELECT seq FROM outbox WHERE batch_id = ? ORDER BY seq LIMIT 1 OFFSET ?');
    this.#dropBatch = db.prepare('DELETE FROM batches WHERE id = ?');
    this.#markRejected = db.prepare('UPDATE outbox SET platform_rejected = 1 WHERE batch_id = @batchId AND record_id = @recordId');
    this.#markAllRejected = db.prepare('UPDATE outbox SET platform_rejected = 1 WHERE batch_id = ?');
    this.#outcome = db.prepare(`
      SELECT coalesce(sum(platform_rejected = 0), 0) AS accepted, coalesce(sum(platform_rejected), 0) AS rejected
      FROM outbox WHERE batch_id = ?`);
    this.#remove = db.prepare('DELETE FROM outbox WHERE batch_id = ?');
    this.#pending = db.prepare('SELECT count(*) AS n FROM outbox');
    this.#pendingByJob = db.prepare('SELECT job, count(*) AS n FROM outbox GROUP BY job ORDER BY job');
    this.#oldestPending = db.prepare('SELECT queued_at AS at FROM outbox ORDER BY seq LIMIT 1');
    this.#openBatches = db.prepare('SELECT count(*) AS n FROM batches');
    this.#lastError = db.prepare(`
      SELECT last_error_code AS code, last_error_message AS message, last_attempt_at AS at FROM batches
      WHERE last_error_code IS NOT NULL ORDER BY last_attempt_at DESC LIMIT 1`);
  }

  add(record: CandidateRecord, job: string, seq: number, line: string, at: string): void {
    const c = this.#cipher;
    // bytes stays the plaintext's length: it is what a batch will weigh on the wire.
    if (c) this.#add.run(seq, record.id, job, record.category, c.seal(record.key, 'key'), record.op, c.seal(line, 'outbox.line'), Buffer.byteLength(line), at);
    else this.#add.run(seq, record.id, job, record.category, record.key, record.op, line, Buffer.byteLength(line), at);
  }

  has(batchId: string): boolean {
    return this.#batch.get(batchId) !== undefined;
  }

  /** Call inside a transaction: a batch it forms must be persisted before anyone sends it. */
  next(limits: { maxRecords: number; maxBytes: number }, newBatchId: () => string, at: string): Batch | null {
    const open = this.#oldestOpen.get();
    if (open) return this.#load(open);

    const records: OutboxRecord[] = [];
    let bytes = 0;
    // iterate, not all: stop reading as soon as the byte limit is reached.
    for (const row of this.#unbatched.iterate(Math.max(1, limits.maxRecords))) {
      const size = row.bytes + 1;
      if (records.length > 0 && bytes + size > limits.maxBytes) break;
      records.push({ seq: row.seq, id: row.id, category: row.category, op: row.op, line: this.#line(row.line) });
      bytes += size;
    }
    if (records.length === 0) return null;

    const batchId = newBatchId();
    const from = records[0]!.seq;
    const to = records[records.length - 1]!.seq;
    this.#createBatch.run({ id: batchId, firstSeq: from, at });
    this.#assign.run({ batchId, from, to, fromBatch: null });
    return { batchId, records, attempts: 0, createdAt: at };
  }

  attempt(batchId: string, failure: { code: string; message: string; nextAttemptAt: string | null }, at: string): void {
    this.#attempt.run({ batchId, at, code: failure.code, message: failure.message, nextAttemptAt: failure.nextAttemptAt });
  }

  /** Call inside a transaction. Two new batches take the first and the second half of the rows. */
  split(batchId: string, newBatchId: () => string, at: string): string[] {
    const n = this.#count.get(batchId)!.n;
    if (n < 2) return [];
    const first = this.#seqAt.get(batchId, 0)!.seq;
    const middle = this.#seqAt.get(batchId, Math.ceil(n / 2))!.seq;
    const last = this.#seqAt.get(batchId, n - 1)!.seq;
    const ids = [newBatchId(), newBatchId()] as const;
    this.#createBatch.run({ id: ids[0], firstSeq: first, at });
    this.#createBatch.run({ id: ids[1], firstSeq: middle, at });
    this.#assign.run({ batchId: ids[0], from: first, to: middle - 1, fromBatch: batchId });
    this.#assign.run({ batchId: ids[1], from: middle, to: last, fromBatch: batchId });
    this.#dropBatch.run(batchId);
    return [...ids];
  }

  /** Marks the batch's rows for this record id as refused; returns how many there were. */
  markRejected(batchId: string, recordId: string): number {
    return this.#markRejected.run({ batchId, recordId }).changes;
  }

  markAllRejected(batchId: string): number {
    return this.#markAllRejected.run(batchId).changes;
  }

  outcome(batchId: string): { accepted: number; rejected: number } {
    return this.#outcome.get(batchId)!;
  }

  /** The batch and its rows leave: only once its answer has been recorded. */
  remove(batchId: string): void {
    this.#remove.run(batchId);
    this.#dropBatch.run(batchId);
  }

  stats(): QueueStats {
    return {
      pending: this.#pending.get()!.n,
      oldestPendingAt: this.#oldestPending.get()?.at ?? null,
      openBatches: this.#openBatches.get()!.n,
      lastAttemptError: this.#lastError.get() ?? null,
    };
  }

  /** Records waiting for the platform's acknowledgement, per job; jobs with none are absent. */
  pendingByJob(): Map<string, number> {
    return new Map(this.#pendingByJob.all().map((r) => [r.job, r.n]));
  }

  #load(batch: BatchRow): Batch {
    const rows = this.#rows.all(batch.id);
    const records = this.#cipher ? rows.map((r) => ({ ...r, line: this.#line(r.line) })) : rows;
    return { batchId: batch.id, records, attempts: batch.attempts, createdAt: batch.createdAt };
  }

  /** A sealed line (a BLOB) opened; a plaintext one as it is. */
  #line(stored: string | Buffer): string {
    return this.#cipher ? this.#cipher.open(stored, 'outbox.line') : (stored as string);
  }
}

interface AttemptParams {
  batchId: string;
  at: string;
  code: string;
  message: string;
  nextAttemptAt: string | null;
}
