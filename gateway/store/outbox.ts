import type Database from 'better-sqlite3';
import { GatewayError } from '../errors.js';
import type { Batch, CandidateRecord, LineBytes, OutboxRecord, PageLines } from '../model.js';
import { recordLine } from '../records/serialize.js';
import { lineWithSeq, type OutboxChunks } from './outbox-chunks.js';
import { chunkLine, lineMismatch } from './line-check.js';
import { IN_CHUNK, packLine, unpackLine } from './outbox-lines.js';
import type { PayloadCipher } from './payload-crypto.js';
import { compact, expand, expandSql } from './record-ids.js';
import type { QueueStats } from './types.js';

interface BatchRow {
  id: string;
  from: number;
  to: number;
  attempts: number;
  createdAt: string;
}

/** The outbox rows of one batch: every row whose seq is in from..to. */
export interface SeqRange {
  from: number;
  to: number;
}

/** A queued row whose line cannot be read (STORE_VALUE_UNREADABLE): `reason` says why, with its seq. */
export interface DamagedLine {
  seq: number;
  reason: string;
  /** Set when the line itself reads, but it was formed into this batch with a damaged one (#load). */
  sentWithDamaged?: string;
}

/** What a damaged row was, taken out of the outbox (take). */
export interface TakenRow {
  seq: number;
  id: string;
  job: string;
  category: string;
  key: string | Buffer;
  op: OutboxRecord['op'];
}

interface StoredRow {
  seq: number;
  id: string | Buffer;
  category: string;
  op: OutboxRecord['op'];
  /** null for form 5 (the line is in its chunk). */
  line: string | Buffer | null;
  form: number;
  /** The line's size as queued (line-check.ts). */
  bytes: number;
}

/** A StoredRow's columns in the order #rows and #unbatched select them. */
type StoredColumns = [number, string, string, OutboxRecord['op'], string | Buffer | null, number, number];

function storedRow(c: StoredColumns): StoredRow {
  return { seq: c[0], id: c[1], category: c[2], op: c[3], line: c[4], form: c[5], bytes: c[6] };
}

/**
 * Records waiting for the platform's acknowledgement, and the batches they
 * are grouped into. A batch is a range of seqs (batches.first_seq..last_seq):
 * rows are queued with rising seqs and batched oldest first, so a range
 * formed once holds the same rows until it is answered, and forming it
 * writes one batches row, not one update per outbox row. A row leaves only
 * when its batch was answered (acknowledged, rejected as malformed): the
 * range is deleted in one statement.
 */
export class Outbox {
  // Positional: run once per queued record, and binding by name costs a lookup per parameter.
  readonly #add: Database.Statement<[number, string | Buffer, string, string, string | Buffer, string, Buffer, number, number, string, number]>;
  readonly #oldestOpen: Database.Statement<[], BatchRow>;
  readonly #openAfter: Database.Statement<[number], BatchRow>;
  readonly #batch: Database.Statement<[string], BatchRow>;
  // Raw: rows come as arrays (StoredColumns), made into objects here; a row object better-sqlite3 makes
  // sets each column by name from C++, which cost more than reading the row (5,000 rows a batch).
  readonly #rows: Database.Statement<[number, number], StoredColumns>;
  readonly #unbatched: Database.Statement<[number], StoredColumns>;
  readonly #createBatch: Database.Statement<[{ id: string; from: number; to: number; at: string }]>;
  readonly #attempt: Database.Statement<[AttemptParams]>;
  readonly #count: Database.Statement<[number, number], { n: number }>;
  readonly #seqAt: Database.Statement<[number, number, number], { seq: number }>;
  readonly #dropBatch: Database.Statement<[string]>;
  readonly #markRejected: Database.Statement<[number, number, string | Buffer]>;
  readonly #markAllRejected: Database.Statement<[number, number]>;
  readonly #tally: Database.Statement<[number, number], BatchTally>;
  readonly #remove: Database.Statement<[number, number]>;
  readonly #take: Database.Statement<[number], Omit<TakenRow, 'id'> & { id: string | Buffer }>;
  readonly #pending: Database.Statement<[], { n: number }>;
  readonly #pendingByJob: Database.Statement<[], { job: string; n: number }>;
  readonly #oldestPending: Database.Statement<[], { at: string }>;
  readonly #openBatches: Database.Statement<[], { n: number }>;
  readonly #lastError: Database.Statement<[], { code: string; message: string; at: string }>;
  /** null: lines and keys are stored without encryption (lines compressed all the same). */
  readonly #cipher: PayloadCipher | null;
  readonly #chunks: OutboxChunks;
  readonly #categories = new Map<string, string>();

  constructor(db: Database.Database, chunks: OutboxChunks, cipher: PayloadCipher | null = null) {
    this.#cipher = cipher;
    this.#chunks = chunks;
    this.#add = db.prepare(`
      INSERT INTO outbox (seq, record_id, job, category, key, op, line, form, bytes, queued_at, rid)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const batchColumns = 'id, first_seq AS "from", last_seq AS "to", attempts, created_at AS createdAt';
    this.#oldestOpen = db.prepare(`SELECT ${batchColumns} FROM batches ORDER BY first_seq LIMIT 1`);
    this.#openAfter = db.prepare(`SELECT ${batchColumns} FROM batches WHERE first_seq > ? ORDER BY first_seq LIMIT 1`);
    this.#batch = db.prepare(`SELECT ${batchColumns} FROM batches WHERE id = ?`);
    // A row whose line is in its chunk reads no line: not an empty buffer made per row.
    const line = 'CASE form WHEN 5 THEN NULL ELSE line END AS line';
    // The id as hex text from SQL: a BLOB comes to JavaScript as a Buffer of its own, which costs more to make than the hex.
    const id = expandSql('record_id');
    this.#rows = db.prepare<[number, number], StoredColumns>(`SELECT seq, ${id}, category, op, ${line}, form, bytes FROM outbox WHERE seq BETWEEN ? AND ? ORDER BY seq`).raw();
    // Rows above every batch: nextBatch forms a batch only when none is open, but a range never overlaps another.
    this.#unbatched = db.prepare<[number], StoredColumns>(`
      SELECT seq, ${id}, category, op, ${line}, form, bytes FROM outbox
      WHERE seq > coalesce((SELECT max(last_seq) FROM batches), -1) ORDER BY seq LIMIT ?`).raw();
    this.#createBatch = db.prepare('INSERT INTO batches (id, first_seq, last_seq, created_at) VALUES (@id, @from, @to, @at)');
    this.#attempt = db.prepare(`
      UPDATE batches SET attempts = attempts + 1, last_attempt_at = @at,
        last_error_code = @code, last_error_message = @message, next_attempt_at = @nextAttemptAt
      WHERE id = @batchId`);
    this.#count = db.prepare('SELECT count(*) AS n FROM outbox WHERE seq BETWEEN ? AND ?');
    this.#seqAt = db.prepare('SELECT seq FROM outbox WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT 1 OFFSET ?');
    this.#dropBatch = db.prepare('DELETE FROM batches WHERE id = ?');
    this.#markRejected = db.prepare('UPDATE outbox SET platform_rejected = 1 WHERE seq BETWEEN ? AND ? AND record_id = ?');
    this.#markAllRejected = db.prepare('UPDATE outbox SET platform_rejected = 1 WHERE seq BETWEEN ? AND ?');
    // Grouped in SQL so that a batch's rows never need to be held in memory.
    this.#tally = db.prepare(`
      SELECT job, category, sum(platform_rejected = 0) AS delivered, sum(platform_rejected) AS rejected
      FROM outbox WHERE seq BETWEEN ? AND ? GROUP BY job, category`);
    this.#remove = db.prepare('DELETE FROM outbox WHERE seq BETWEEN ? AND ?');
    this.#take = db.prepare('DELETE FROM outbox WHERE seq = ? RETURNING seq, record_id AS id, job, category, key, op');
    this.#pending = db.prepare('SELECT count(*) AS n FROM outbox');
    this.#pendingByJob = db.prepare('SELECT job, count(*) AS n FROM outbox GROUP BY job ORDER BY job');
    this.#oldestPending = db.prepare('SELECT queued_at AS at FROM outbox ORDER BY seq LIMIT 1');
    this.#openBatches = db.prepare('SELECT count(*) AS n FROM batches');
    this.#lastError = db.prepare(`
      SELECT last_error_code AS code, last_error_message AS message, last_attempt_at AS at FROM batches
      WHERE last_error_code IS NOT NULL ORDER BY last_attempt_at DESC LIMIT 1`);
  }

  /**
   * The record's line with this seq, compressed and sealed. `rid`: the record's row in record_state (saved first,
   * in the same transaction). `id`: the record's id compacted, when the caller has it.
   */
  add(record: CandidateRecord, job: string, seq: number, at: string, rid: number, id: string | Buffer = compact(record.id)): void {
    const c = this.#cipher;
    const line = recordLine(record, seq);
    const packed = packLine(line, c);
    // bytes is the plaintext's length: it is what a batch will weigh on the wire.
    this.#add.run(seq, id, job, record.category, this.#key(record), record.op, packed.line, packed.form, Buffer.byteLength(line), at, rid);
  }

  /** The record's row, its line kept in its page's chunk (addChunk): `seqlessBytes` is the line's size without the seq's digits. */
  addInChunk(record: CandidateRecord, job: string, seq: number, at: string, rid: number, id: string | Buffer, seqlessBytes: number): void {
    this.#add.run(seq, id, job, record.category, this.#key(record), record.op, IN_CHUNK, 5, seqlessBytes + String(seq).length, at, rid);
  }

  /** The lines of the rows a page added with addInChunk, from seq `first` on: `indexes` are their records' places in the page, null for all. */
  addChunk(first: number, lines: PageLines, indexes: readonly number[] | null): void {
    this.#chunks.add(first, lines, indexes);
  }

  #key(record: CandidateRecord): string | Buffer {
    return this.#cipher ? this.#cipher.seal(record.key, 'key') : record.key;
  }

  has(batchId: string): boolean {
    return this.#batch.get(batchId) !== undefined;
  }

  /** The seqs a batch covers; undefined for a batch that is gone (answered before) or never was. */
  range(batchId: string): SeqRange | undefined {
    const batch = this.#batch.get(batchId);
    return batch && { from: batch.from, to: batch.to };
  }

  /**
   * Call inside a transaction: a batch it forms must be persisted before anyone sends it. With `after`,
   * the oldest open batch above that range, else a new one: the batch that follows one in flight.
   * Rows whose line cannot be read are handed to `quarantine` (which takes them out, in the same
   * transaction) and left out of the batch: one damaged line never holds up the rows behind it.
   */
  next(
    limits: { maxRecords: number; maxBytes: number }, newBatchId: () => string, at: string, after: SeqRange | undefined,
    quarantine: (damaged: DamagedLine[]) => void,
  ): Batch | null {
    for (;;) {
      const open = after ? this.#openAfter.get(after.to) : this.#oldestOpen.get();
      if (open) {
        const batch = this.#load(open, quarantine);
        // null: every row of that batch was damaged, and it is gone.
        if (batch) return batch;
        continue;
      }

      const records: OutboxRecord[] = [];
      const damaged: DamagedLine[] = [];
      let bytes = 0;
      // iterate, not all: stop reading as soon as the byte limit is reached.
      for (const columns of this.#unbatched.iterate(Math.max(1, limits.maxRecords))) {
        const row = storedRow(columns);
        const size = row.bytes + 1;
        if (records.length > 0 && bytes + size > limits.maxBytes) break;
        const record = this.#readable(row, damaged);
        if (!record) continue;
        records.push(record);
        bytes += size;
      }
      // After the loop: the connection cannot write while a read is open.
      if (damaged.length > 0) quarantine(damaged);
      if (records.length === 0) {
        if (damaged.length > 0) continue;
        return null;
      }

      const batchId = newBatchId();
      this.#createBatch.run({ id: batchId, from: records[0]!.seq, to: records[records.length - 1]!.seq, at });
      return { batchId, records, attempts: 0, createdAt: at };
    }
  }

  /** Call inside a transaction, then dropEmptyChunks: the row `seq` leaves the outbox; what it was is returned, undefined when there is no such row. */
  take(seq: number): TakenRow | undefined {
    const row = this.#take.get(seq);
    return row && { ...row, id: expand(row.id) };
  }

  /** After rows of `range` were taken: the chunks they emptied go too. */
  dropEmptyChunks(range: SeqRange): void {
    this.#chunks.dropEmpty(range);
  }

  attempt(batchId: string, failure: { code: string; message: string; nextAttemptAt: string | null }, at: string): void {
    this.#attempt.run({ batchId, at, code: failure.code, message: failure.message, nextAttemptAt: failure.nextAttemptAt });
  }

  /** Call inside a transaction. Two new batches take the first and the second half of the rows. */
  split(batchId: string, newBatchId: () => string, at: string): string[] {
    const range = this.range(batchId);
    if (!range) return [];
    const n = this.#count.get(range.from, range.to)!.n;
    if (n < 2) return [];
    const first = this.#seqAt.get(range.from, range.to, 0)!.seq;
    const middle = this.#seqAt.get(range.from, range.to, Math.ceil(n / 2))!.seq;
    const last = this.#seqAt.get(range.from, range.to, n - 1)!.seq;
    const ids = [newBatchId(), newBatchId()] as const;
    this.#dropBatch.run(batchId);
    this.#createBatch.run({ id: ids[0], from: first, to: middle - 1, at });
    this.#createBatch.run({ id: ids[1], from: middle, to: last, at });
    return [...ids];
  }

  /** Marks the batch's rows for this record id as refused; returns how many there were. */
  markRejected(range: SeqRange, recordId: string): number {
    return this.#markRejected.run(range.from, range.to, compact(recordId)).changes;
  }

  markAllRejected(range: SeqRange): number {
    return this.#markAllRejected.run(range.from, range.to).changes;
  }

  /** The batch's rows taken and refused, per job and category: one read of its rows for every counter of its answer. */
  tally(range: SeqRange): BatchTally[] {
    return this.#tally.all(range.from, range.to);
  }

  /** The batch and its rows leave: only once its answer has been recorded. */
  remove(batchId: string, range: SeqRange): void {
    this.#remove.run(range.from, range.to);
    this.#chunks.dropEmpty(range);
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

  /**
   * The open batch, or null when one of its lines is damaged. An open batch may have reached the
   * platform already, and a batch that is retried keeps its id and its exact records (spec section 2),
   * nor may its seqs be sent again under another: without one of its lines it cannot go out at all. So
   * it is dropped and every one of its records quarantined, each to be read again from its source and
   * sent as a new version (this needs a line damaged between two attempts of one batch: rare).
   */
  #load(batch: BatchRow, quarantine: (damaged: DamagedLine[]) => void): Batch | null {
    const damaged: DamagedLine[] = [];
    const records = this.#rows.all(batch.from, batch.to).flatMap((r) => this.#readable(storedRow(r), damaged) ?? []);
    if (damaged.length === 0) return { batchId: batch.id, records, attempts: batch.attempts, createdAt: batch.createdAt };
    for (const r of records) {
      damaged.push({ seq: r.seq, reason: `the outbox line of seq ${r.seq} reads, but batch ${batch.id} holds a damaged line and cannot be resent as it was sent`, sentWithDamaged: batch.id });
    }
    damaged.sort((a, b) => a.seq - b.seq);
    quarantine(damaged);
    this.#dropBatch.run(batch.id);
    return null;
  }

  /**
   * The row's record, or undefined when its line is damaged (noted in `damaged`). A key the gateway
   * lacks (STORE_KEY_MISSING) is a configuration to fix, not damage: it still stops the step.
   */
  #readable(row: StoredRow, damaged: DamagedLine[]): OutboxRecord | undefined {
    try {
      return this.#record(row);
    } catch (err) {
      if (!(err instanceof GatewayError) || err.code !== 'STORE_VALUE_UNREADABLE') throw err;
      damaged.push({ seq: row.seq, reason: err.message });
      return undefined;
    }
  }

  /** Throws STORE_VALUE_UNREADABLE as well for a line that reads but is not its row's (line-check.ts). */
  #record(row: StoredRow): OutboxRecord {
    const id = expand(row.id);
    const queued = { seq: row.seq, id, category: row.category, op: row.op, bytes: row.bytes };
    if (row.form !== 5) {
      const line = this.line(row);
      mustMatch(row.seq, lineMismatch(line, queued));
      return { seq: row.seq, id, category: row.category, op: row.op, line };
    }
    const span = readable(row.seq, () => this.#chunks.lineSpan(row.seq));
    const mid = chunkLine(span, queued);
    if (typeof mid === 'string') mustMatch(row.seq, mid);
    return new ChunkedRecord(row.seq, id, this.#category(row.category), row.op === 'delete' ? 'delete' : 'upsert', span.buffer, span.start, mid as number, span.end);
  }

  /**
   * The one string for a category: a batch's records outlive a few collections of the young generation
   * while the batch is read, sent and answered, and each row's own copy of its category would be promoted with them.
   */
  #category(category: string): string {
    let known = this.#categories.get(category);
    if (known === undefined) {
      if (this.#categories.size >= 1000) this.#categories.clear();
      this.#categories.set(category, (known = category));
    }
    return known;
  }

  /** A row's whole line, however it is kept; throws GatewayError (STORE_VALUE_UNREADABLE, STORE_KEY_MISSING) when it cannot be read. */
  line(row: { line: string | Buffer | null; form: number; seq: number }): string {
    if (row.form !== 5) return readable(row.seq, () => unpackLine(row.line ?? IN_CHUNK, row.form, this.#cipher, row.seq));
    return lineWithSeq(readable(row.seq, () => this.#chunks.lineAt(row.seq)), row.seq);
  }
}

/**
 * A record whose line is kept in its page's chunk: the body is made from the bytes, the text only when
 * someone reads it. A class, so that the getters are its prototype's, not closures made per record; it is
 * its own LineBytes, one object a record for as long as its batch is held.
 */
class ChunkedRecord implements OutboxRecord, LineBytes {
  constructor(
    readonly seq: number,
    readonly id: string,
    readonly category: string,
    readonly op: OutboxRecord['op'],
    readonly buffer: Buffer,
    readonly start: number,
    readonly mid: number,
    readonly end: number,
  ) {}

  get lineBytes(): LineBytes {
    return this;
  }

  get line(): string {
    return lineWithSeq(this, this.seq);
  }
}

/** A line that reads into other bytes than were queued is as damaged as one that does not read. */
function mustMatch(seq: number, mismatch: string | null): void {
  if (mismatch !== null) throw new GatewayError('STORE_VALUE_UNREADABLE', `the outbox line of seq ${seq}: ${mismatch}`);
}

/** A damaged line (zlib refuses it, its chunk is gone or holds other lines) is reported as such, with its seq, never as an internal error. */
function readable<T>(seq: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError('STORE_VALUE_UNREADABLE', `the outbox line of seq ${seq}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export interface BatchTally {
  job: string;
  category: string;
  delivered: number;
  rejected: number;
}

interface AttemptParams {
  batchId: string;
  at: string;
  code: string;
  message: string;
  nextAttemptAt: string | null;
}
