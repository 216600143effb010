/**
 * The gateway's local store: one SQLite file, the only code that touches it.
 *
 * Tables (schema in migrations.ts, version in PRAGMA user_version)
 *   seq_counter       one row: the last seq handed out by this gateway.
 *   store_identity    one row: a random id made with the store, which the
 *                     data folder's marker (data-folder.ts) names, so an
 *                     emptied, replaced or restored store is recognised.
 *   record_state      per record id: job, category, key, fingerprint and seq of
 *                     the newest version queued, its op, and a status —
 *                     queued | delivered | platform_rejected | deleted |
 *                     rejected_local (lost before it was sent, quarantine.ts)
 *                     — that follows that newest version only; seen_pass for
 *                     snapshot jobs. Keyed by a rowid (rows append), the id
 *                     found by its first 8 bytes (an index, not unique: a page
 *                     inserts only ids it looked up and did not find, records.ts);
 *                     ids and fingerprints kept as their 32 bytes
 *                     (record-ids.ts). What stays after delivery.
 *   job_passes        per job: the number of the current snapshot pass.
 *   outbox            per queued version (key seq): the exact line to send
 *                     (recordLine), compressed (outbox-lines.ts), and its
 *                     byte length; or no line, when it is in its page's chunk.
 *   outbox_chunks     the lines of a page mapped on a mapping thread, one
 *                     deflate stream per page, under the seqs they hold
 *                     (first_seq..last_seq); gone with the last of its rows.
 *   batches           open batches: id, the seqs they cover (first_seq..
 *                     last_seq: every outbox row in that range, none
 *                     elsewhere), attempts and the last failed attempt. Rows
 *                     above every range are not batched yet.
 *   rejections        local findings (one row per finding) and platform
 *                     rejections (one row per refused record), open until
 *                     resolved_at is set; resend_requested_at when the
 *                     contact asked for a fixed record to be read again.
 *   cursors           per job: where the next read starts (JSON).
 *   job_runs          per job: first run, last run, last success, last error.
 *   job_identities    per job: an opaque hash of what its cursor depends on,
 *                     so a configuration swap keeps the cursor only for the
 *                     same job.
 *   bundle_outcomes   every configuration bundle outcome (append only).
 *   bundles_applied   per applied bundle version: its exact bytes and
 *                     signature, when applied, and whether rolled back.
 *   job_counters, category_counters, delivery_hours, category_state
 *                     counters per local day, job and category; hourly
 *                     delivery buckets (48 h kept) for "last 24 hours"; the
 *                     last delivery per category.
 *   delivery_minutes  accepted records per minute (48 h kept): the delivery rate.
 *   no_data_declarations  per category and reporting period: "no data this
 *                     period", declared by the department.
 *   store_keys        every key id whose sealed values may be here (see below).
 *
 * Encryption at rest (optional, StoreOptions.cipher; payload-crypto.ts)
 *   outbox.line and outbox_chunks.lines (compressed, then sealed) and outbox.key, record_state.key, rejections.key, .message
 *   and .subject_code, and cursors.position hold sealed BLOBs instead of
 *   TEXT: every value that comes from a source row. A TEXT value in those
 *   columns is plaintext written before encryption was turned on, read as it
 *   is. record ids stay as the spec defines them (see sealing.ts). The store opens
 *   only when every key id in store_keys is configured (current or previous),
 *   and refuses to open such a store without encryption: a value is never
 *   read as garbage nor left unreadable by a missing key. On a new key (first
 *   use, or rotation) every value is resealed under it when the store opens
 *   (sealing.ts), after which older keys are no longer needed, and the file
 *   is vacuumed so the plaintext it replaced is not left in free pages.
 *
 * Invariants
 *   1. commitPage is one transaction: queued records, local rejections, the
 *      advanced cursor and the counters become visible together or not at all.
 *   2. A seq comes from seq_counter in the transaction that stores its outbox
 *      row: strictly increasing, and never reused, since nothing carrying a
 *      seq leaves the gateway before that transaction is durable. With a
 *      seqClock, a page's first seq is also at least seqFloorAt(now), and
 *      raiseSeq lifts the counter above seqs learnt elsewhere (the data
 *      folder's marker, the platform's lastSeq): seqs keep rising even after
 *      the counter itself was lost.
 *   3. A record whose fingerprint equals record_state.fingerprint is not queued
 *      again, whatever its status: an unchanged record the platform refused is
 *      not resent; a changed one is. A delete for an id never queued is skipped.
 *   4. nextBatch commits a new batch (its batches row and seq range) before
 *      returning it; the oldest open batch is always returned first, with the
 *      same id and rows, until it is answered: new rows take seqs above
 *      every range, and only an answer removes rows from one. Only splitBatch replaces a batch,
 *      after a 413: the platform refused it whole and kept nothing of it.
 *   5. Outbox rows leave only in acknowledge or rejectBatch, in the same
 *      transaction that records the answer (statuses, platform rejections,
 *      counters), or, when their line cannot be read, in the transaction
 *      that forms the batch they would have joined, as local rejections
 *      (quarantine.ts). Answering a batch that is gone changes nothing.
 *   6. Nothing refused is dropped: a local rejection is replaced only by a
 *      newer one for the same record, and resolved (kept) when it passes.
 *
 * Layout: this facade opens the file and runs each step in a transaction;
 * pages.ts and answers.ts hold the page and the answer transactions; every
 * table owner (records, outbox, rejections, cursors, stats, runs, bundles,
 * declarations) prepares its statements once, when the store opens.
 *
 * Crash recovery
 *   There is no recovery code: SQLite rolls back an unfinished transaction when
 *   the file is opened again, and every step above is one transaction. After a
 *   kill -9 a page that did not commit is read again from the previous cursor;
 *   a batch sent but not acknowledged is still open and goes out again with
 *   its id (the platform answers duplicate:true if it had it).
 *   journal_mode=WAL lets the status page read while jobs write;
 *   journal_size_limit and the disk guard's wal_checkpoint(TRUNCATE) (disk.ts)
 *   keep the WAL from staying at its peak size;
 *   synchronous=FULL syncs the WAL at every commit. NORMAL would survive a
 *   process kill but may lose the last commits on power loss — after a batch
 *   built from them was sent: its seqs would be handed out again to other
 *   content and its records regrouped under a new batch id. FULL costs one
 *   fsync per page and per batch, not per record.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { CursorPosition } from '../../connectors/contract.js';
import type { ApplyOutcome, StoredBundle } from '../control/contract.js';
import { GatewayError } from '../errors.js';
import type { Batch, Page, PageResult, PlatformRejection } from '../model.js';
import { type AckOutcome, acknowledgeBatch, rejectWholeBatch } from './answers.js';
import { Bundles } from './bundles.js';
import { type CursorEntry, Cursors } from './cursors.js';
import { Declarations } from './declarations.js';
import { migrate } from './migrations.js';
import { OutboxChunks } from './outbox-chunks.js';
import { type DamagedLine, Outbox } from './outbox.js';
import { LINE_DAMAGED, type QuarantinedLine, quarantineLines } from './quarantine.js';
import { type RecordState, Records, seqFloorAt } from './records.js';
import { Rejections } from './rejections.js';
import { Runs } from './runs.js';
import { commitPage } from './pages.js';
import type { PayloadCipher } from './payload-crypto.js';
import { createPrivateFile } from './private-files.js';
import { prepareKeys } from './sealing.js';
import type { StoreParts } from './parts.js';
import { Stats } from './stats.js';
import type {
  CategoryStats, JobState, JobStats, KnownRecord, NoDataDeclaration, QueueStats, RejectionFilter, RejectionPage,
  RejectionReason, RejectionRow, RunOutcome, Totals,
} from './types.js';

export type * from './types.js';
export type { RecordState, RecordStatus } from './records.js';
export type { CursorEntry } from './cursors.js';
export { StoreError, type StoreErrorCode } from './store-error.js';

export interface StoreOptions {
  /** Path of the SQLite file; its folder must exist. */
  file: string;
  logger?: Logger;
  now?: () => Date;
  /**
   * The wall clock (ms) seqs are kept above (seqFloorAt). Without it seqs
   * count from the stored counter only; the data folder (data-folder.ts), the
   * gateway's only way to its store, always gives one.
   */
  seqClock?: () => number;
  /** Told the highest seq of every batch nextBatch returns, before it can be sent (the data folder's high-water mark). */
  onBatch?: (highestSeq: number) => void;
  /** Seal values from source rows at rest with these keys; absent: plaintext, at no cost. */
  cipher?: PayloadCipher;
}

/** How long a write waits for another process (the CLI, a second reader) to let go of the file. */
const BUSY_TIMEOUT_MS = 5000;
/**
 * Page size of a new store: SQLite's default, said aloud. With 8 KiB pages
 * every WAL frame doubled, and a store on a full disk could no longer record
 * the acknowledgements that drain it (faults/disk-full.test.ts).
 */
const PAGE_SIZE_BYTES = 4096;
/**
 * SQLite's page cache per connection, in KiB (16 MiB; the default is 2 MiB).
 * It must hold what one page transaction dirties, or SQLite spills pages to
 * the WAL mid-transaction and writes them again: a page of 5,000 new records
 * writes about 1 MB of outbox (lines kept a page at a time, outbox-chunks.ts;
 * 6 MB when they were kept one by one) and, at 1M records, touches about
 * 5 MB of record_state's id index at random places (8 bytes of each id,
 * migration 13; 14 MB with whole ids). Beyond that it fills up with outbox
 * pages whatever its size. Measured on 1,000,000-row delivering runs: peak
 * RSS 270 MB at 32 MiB, 248 MB at 16 MiB (before the fixed mmap threshold,
 * heap.ts); at 32 MiB when lines were kept one by one, 64 MiB had cost
 * 30 MB more for the same commit time.
 */
const CACHE_KIB = 16 * 1024;
/** PRAGMA auto_vacuum's value for INCREMENTAL. */
const INCREMENTAL = 2;
/** What the WAL is truncated to after a checkpoint that emptied it. */
const JOURNAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

export class Store {
  readonly #db: Database.Database;
  /** Prepared once: the disk guard asks before every page (db.pragma would compile three statements each time). */
  readonly #usedBytes: Database.Statement<[], number>;
  readonly #anyPending: Database.Statement<[], number>;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #seqClock: (() => number) | null;
  readonly #onBatch: (highestSeq: number) => void;
  readonly #parts: StoreParts;
  readonly #records: Records;
  readonly #outbox: Outbox;
  readonly #rejections: Rejections;
  readonly #cursors: Cursors;
  readonly #stats: Stats;
  readonly #runs: Runs;
  readonly #bundles: Bundles;
  readonly #declarations: Declarations;
  readonly #commitPage: (page: Page) => PageResult;
  readonly #nextBatch: (limits: { maxRecords: number; maxBytes: number }, newBatchId: () => string, after: string | undefined, taken: QuarantinedLine[]) => Batch | null;
  readonly #acknowledge: (batchId: string, result: { rejected: PlatformRejection[]; at: string }) => AckOutcome;
  readonly #rejectBatch: (batchId: string, code: string, message: string, at: string) => number;
  readonly #splitBatch: (batchId: string, newBatchId: () => string) => string[];
  readonly #read: <T>(fn: () => T) => T;
  readonly #recordBundleOutcome: (outcome: ApplyOutcome, applied?: { bytes: Buffer; signature: string }) => void;

  static open(options: StoreOptions): Store {
    const logger = (options.logger ?? pino({ enabled: false })).child({ component: 'store' });
    let db: Database.Database | undefined;
    try {
      // 0600 from the start whatever the umask: SQLite gives -wal and -shm the same mode (private-files.ts).
      if (options.file !== ':memory:' && options.file !== '') createPrivateFile(options.file);
      db = new Database(options.file);
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Only a new, empty file takes a page size (WAL fixes it) and auto_vacuum (set before its first table);
      // an existing store keeps both until VACUUMed, which is never done to it implicitly.
      if ((db.pragma('page_count', { simple: true }) as number) === 0) {
        db.pragma(`page_size = ${PAGE_SIZE_BYTES}`);
        db.pragma('auto_vacuum = INCREMENTAL');
      }
      // record_state's id index is written at random places: its inner pages should stay in memory.
      db.pragma(`cache_size = -${CACHE_KIB}`);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal' && !db.memory) logger.warn({ file: options.file, mode }, 'store could not switch to WAL; readers will wait for writers');
      db.pragma('synchronous = FULL');
      // A checkpoint that empties the WAL also cuts the file back to this size, so it never stays as large as its peak (disk.ts).
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
      db.pragma('foreign_keys = ON');
    } catch (err) {
      db?.close();
      throw new GatewayError('STORE_OPEN_FAILED', options.file, { cause: err });
    }
    try {
      migrate(db, logger);
      prepareKeys(db, options.cipher ?? null, options.now ?? (() => new Date()), logger);
      return new Store(db, logger, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private constructor(db: Database.Database, logger: Logger, options: StoreOptions) {
    const cipher = options.cipher ?? null;
    this.#db = db;
    this.#usedBytes = db.prepare<[], number>(`
      SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()`).pluck();
    this.#anyPending = db.prepare<[], number>('SELECT 1 FROM outbox LIMIT 1').pluck();
    this.#log = logger;
    this.#now = options.now ?? (() => new Date());
    this.#seqClock = options.seqClock ?? null;
    this.#onBatch = options.onBatch ?? (() => undefined);
    this.#records = new Records(db, cipher);
    this.#outbox = new Outbox(db, new OutboxChunks(db, cipher), cipher);
    this.#rejections = new Rejections(db, this.#outbox, cipher);
    this.#cursors = new Cursors(db, cipher);
    this.#stats = new Stats(db, cipher);
    this.#runs = new Runs(db);
    this.#bundles = new Bundles(db);
    this.#declarations = new Declarations(db);
    this.#parts = { records: this.#records, outbox: this.#outbox, rejections: this.#rejections, cursors: this.#cursors, stats: this.#stats };
    // IMMEDIATE: take the write lock up front, so two processes never deadlock upgrading a read.
    const commitPageTx = db.transaction((page: Page) => {
      const now = this.#now();
      // Asked before the page replaces the open rejections it repeats (stats.ts).
      const repeats = this.#stats.repeatedRejections(page.rejections);
      const result = commitPage(this.#parts, page, now, this.#seqClock ? seqFloorAt(this.#seqClock()) : 0);
      this.#stats.uncountRepeated(page.job, repeats, now);
      return result;
    });
    const nextBatchTx = db.transaction((limits: { maxRecords: number; maxBytes: number }, newBatchId: () => string, after: string | undefined, taken: QuarantinedLine[]) => {
      const now = this.#now();
      const at = now.toISOString();
      const quarantine = (damaged: DamagedLine[]) => taken.push(...quarantineLines(this.#parts, damaged, now));
      if (after === undefined) return this.#outbox.next(limits, newBatchId, at, undefined, quarantine);
      const range = this.#outbox.range(after);
      return range ? this.#outbox.next(limits, newBatchId, at, range, quarantine) : null;
    });
    const acknowledgeTx = db.transaction((batchId: string, result: { rejected: PlatformRejection[]; at: string }) =>
      acknowledgeBatch(this.#parts, batchId, result, this.#now()));
    const rejectBatchTx = db.transaction((batchId: string, code: string, message: string, at: string) =>
      rejectWholeBatch(this.#parts, batchId, code, message, at, this.#now()));
    const splitBatchTx = db.transaction((batchId: string, newBatchId: () => string) =>
      this.#outbox.has(batchId) ? this.#outbox.split(batchId, newBatchId, this.#now().toISOString()) : []);
    const readTx = db.transaction((fn: () => unknown) => fn());
    const recordBundleOutcomeTx = db.transaction((outcome: ApplyOutcome, applied?: { bytes: Buffer; signature: string }) =>
      this.#bundles.record(outcome, applied));
    this.#commitPage = commitPageTx.immediate;
    this.#nextBatch = nextBatchTx.immediate;
    this.#acknowledge = acknowledgeTx.immediate;
    this.#rejectBatch = rejectBatchTx.immediate;
    this.#splitBatch = splitBatchTx.immediate;
    // Several SELECTs in one read transaction see one consistent state.
    this.#read = readTx.deferred as <T>(fn: () => T) => T;
    this.#recordBundleOutcome = recordBundleOutcomeTx.immediate;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  getCursor(job: string): CursorPosition | null {
    return this.#cursors.get(job);
  }

  /** The job's next run reads from the beginning. */
  resetCursor(job: string): void {
    this.#cursors.reset(job);
  }

  /** Every stored cursor with when it was last set, by job name (`credit-gateway cursor show`). */
  cursors(): CursorEntry[] {
    return this.#cursors.all();
  }

  /**
   * One transaction: changed and new records get the next seq and an outbox
   * line, unchanged ones (and deletes of ids never queued) are skipped; local
   * rejections replace the record's earlier open ones, and a record that now
   * passes resolves them; the cursor is set unless page.cursor is null;
   * counters are updated. A record id twice in one page is refused
   * (StoreError STORE_PAGE_INVALID) and nothing of the page is kept.
   */
  commitPage(page: Page): PageResult {
    const result = this.#commitPage(page);
    this.#log.debug({ job: page.job, rowsRead: page.rowsRead, ...result }, 'page committed');
    return result;
  }

  /**
   * The oldest open batch, unchanged, if there is one; otherwise a new batch
   * of the oldest unbatched records in seq order, up to maxRecords and
   * maxBytes (line bytes plus one newline each; a single larger line still
   * makes a batch of one), committed before it is returned. null when the
   * outbox is empty.
   */
  nextBatch(limits: { maxRecords: number; maxBytes: number }, newBatchId: () => string): Batch | null {
    const taken: QuarantinedLine[] = [];
    const batch = this.#nextBatch(limits, newBatchId, undefined, taken);
    this.#logQuarantined(taken);
    // Seqs leave the gateway only in batches, in seq order: the last is the highest.
    if (batch) this.#onBatch(batch.records[batch.records.length - 1]!.seq);
    return batch;
  }

  /**
   * The batch that follows batch `batchId` while that one is in flight: the
   * oldest open batch above its seqs, or a new batch formed as nextBatch
   * forms one, committed before it is returned. Once `batchId` is answered
   * it is the oldest open batch, so nextBatch would return it unchanged.
   * null when `batchId` is gone or nothing follows it.
   */
  batchAfter(batchId: string, limits: { maxRecords: number; maxBytes: number }, newBatchId: () => string): Batch | null {
    const taken: QuarantinedLine[] = [];
    const batch = this.#nextBatch(limits, newBatchId, batchId, taken);
    this.#logQuarantined(taken);
    if (batch) this.#onBatch(batch.records[batch.records.length - 1]!.seq);
    return batch;
  }

  /** Once, after the transaction that took them out committed. */
  #logQuarantined(taken: readonly QuarantinedLine[]): void {
    if (taken.length === 0) return;
    const counts = (of: (q: QuarantinedLine) => string) => {
      const n: Record<string, number> = {};
      for (const q of taken) n[of(q)] = (n[of(q)] ?? 0) + 1;
      return n;
    };
    this.#log.error({
      code: LINE_DAMAGED, records: taken.length, rejections: taken.filter((q) => q.rejected).length,
      seqs: taken.slice(0, 20).map((q) => q.seq), jobs: counts((q) => q.job), categories: counts((q) => q.category),
      reasons: [...new Set(taken.map((q) => q.reason))].slice(0, 3),
    }, 'queued records whose lines cannot be read were taken out of the queue and kept as local rejections; the records behind them are delivered');
  }

  /** A failed attempt, for the status page; the batch stays open as it is. Unknown ids are ignored. */
  recordAttempt(batchId: string, failure: { code: string; message: string; nextAttemptAt: string | null }): void {
    this.#outbox.attempt(batchId, failure, this.#now().toISOString());
  }

  /**
   * One transaction: the batch's records leave the outbox; those whose id is
   * listed in `rejected` are kept as platform rejections and their newest
   * version marked refused (not resent unless changed); the others count as
   * delivered. Acknowledging a batch that is gone returns zeros.
   */
  acknowledge(batchId: string, result: { rejected: PlatformRejection[]; at: string }): { accepted: number; rejected: number } {
    const outcome = this.#acknowledge(batchId, result);
    if (outcome.unknownIds.length > 0) {
      this.#log.warn({ batchId, unknownIds: outcome.unknownIds.slice(0, 10), count: outcome.unknownIds.length }, 'platform rejected ids that are not in the batch');
    }
    this.#log.debug({ batchId, accepted: outcome.accepted, rejected: outcome.rejected }, 'batch acknowledged');
    return { accepted: outcome.accepted, rejected: outcome.rejected };
  }

  /** A malformed batch (400): all its records are kept as refused with this code and message; returns how many. */
  rejectBatch(batchId: string, code: string, message: string, at: string): number {
    const n = this.#rejectBatch(batchId, code, message, at);
    if (n > 0) this.#log.warn({ batchId, records: n, code }, 'batch refused as a whole');
    return n;
  }

  /**
   * A batch too large (413) becomes two new batches, oldest half first, which
   * nextBatch returns before anything else. A batch of one record (or an
   * unknown id) returns [] and stays as it is.
   */
  splitBatch(batchId: string, newBatchId: () => string): string[] {
    const ids = this.#splitBatch(batchId, newBatchId);
    if (ids.length > 0) this.#log.info({ batchId, into: ids }, 'batch split');
    return ids;
  }

  /** Whether any record waits for the platform: what queueStats().pending > 0 says, without counting them. */
  hasPending(): boolean {
    return this.#anyPending.get() !== undefined;
  }

  queueStats(): QueueStats {
    return this.#read(() => this.#outbox.stats());
  }

  /** Per job: today (local calendar day) and all time. */
  jobStats(): JobStats[] {
    return this.#read(() => this.#stats.jobs(this.#now()));
  }

  /** Per category: today, all time, last delivery, and the last 24 hours (whole hours) ending at `now`. */
  categoryStats(now?: Date): CategoryStats[] {
    return this.#read(() => this.#stats.categories(now ?? this.#now()));
  }

  totals(): Totals {
    return this.#read(() => this.#stats.totals(this.#now()));
  }

  /** Newest first. */
  listRejections(filter?: RejectionPage): RejectionRow[] {
    return this.#rejections.list(filter);
  }

  countRejections(filter?: RejectionFilter): number {
    return this.#rejections.count(filter);
  }

  /** The commonest reasons among the matching rejections, most frequent first (at most `limit`). */
  rejectionReasons(filter?: RejectionFilter, limit?: number): RejectionReason[] {
    return this.#rejections.reasons(filter, limit);
  }

  getRejection(id: number): RejectionRow | null {
    return this.#rejections.get(id);
  }

  /**
   * The contact fixed the record at the source and asks for it to be read
   * again: only marked here, for the page; the job's next read of the changed
   * row queues it (its fingerprint differs) and resolves the rejection.
   */
  requestResend(id: number, at: string): void {
    this.#rejections.requestResend(id, at);
  }

  /** "No data this period" for one category; a second declaration for the same period replaces the first. */
  declareNoData(d: NoDataDeclaration): void {
    this.#declarations.declare(d);
  }

  /** All declarations, by category and period. */
  declarations(): NoDataDeclaration[] {
    return this.#declarations.all();
  }

  /**
   * Records the platform acknowledged as accepted between the two instants,
   * to the minute (minutes starting within [from, to] count whole); only the
   * last 48 hours are kept.
   */
  deliveredBetween(fromIso: string, toIso: string): number {
    return this.#stats.deliveredBetween(new Date(fromIso), new Date(toIso));
  }

  /** Outbox records not yet acknowledged, per job; jobs with none are absent. */
  pendingByJob(): Map<string, number> {
    return this.#outbox.pendingByJob();
  }

  /** When the job first started; null if it never ran. For stores older than this column: its last start before the upgrade. */
  firstRunAt(job: string): string | null {
    return this.#runs.firstRunAt(job);
  }

  recordRun(job: string, run: RunOutcome): void {
    this.#runs.record(job, run);
  }

  jobStates(): JobState[] {
    return this.#runs.all();
  }

  /**
   * Starts a complete read of a snapshot job: records committed from now on
   * for this job count as seen in the returned pass.
   */
  beginPass(job: string): number {
    return this.#records.beginPass(job);
  }

  /**
   * After a complete pass: the job's records (upserts, not already deleted)
   * that the pass did not see, i.e. gone from the source. Keyset pages by id:
   * pass the last id of the previous page as `after`. Commit deletes for them
   * before asking for the next page, or ask again from the same `after`.
   */
  unseenRecords(job: string, pass: number, page: { after?: string; limit?: number } = {}): KnownRecord[] {
    return this.#records.unseen(job, pass, page.after ?? '', page.limit ?? 500);
  }

  /** What the store knows of one record id: its newest version's fingerprint and seq, and where that version stands. */
  recordState(id: string): RecordState | null {
    return this.#records.get(id) ?? null;
  }

  /** The last seq handed out (0 before the first). */
  lastSeq(): number {
    return this.#records.lastSeq();
  }

  /** No seq at or below `seq` is handed out from now on (a seq the platform or the data folder knows was used). */
  raiseSeq(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq <= this.#records.lastSeq()) return;
    this.#records.advanceSeq(seq);
    this.#log.info({ seq }, 'seq counter raised above seqs used before');
  }

  /** The random id this store was made with (store_identity). */
  identity(): string {
    return (this.#db.prepare('SELECT id FROM store_identity').get() as { id: string }).id;
  }

  /**
   * Appends a configuration outcome; with `applied` (status 'applied' only)
   * keeps the bundle's bytes and signature in the same transaction, as the
   * newest applied bundle.
   */
  recordBundleOutcome(outcome: ApplyOutcome, applied?: { bytes: Buffer; signature: string }): void {
    this.#recordBundleOutcome(outcome, applied);
  }

  /** That applied bundle no longer counts as current (nor as a rollback target). */
  markBundleRolledBack(version: number, at: string): void {
    this.#bundles.markRolledBack(version, at);
  }

  /** The newest applied bundle not rolled back: what a restart runs. */
  currentBundle(): StoredBundle | null {
    return this.#bundles.current();
  }

  /** The newest applied bundle not rolled back with a version below `beforeVersion`: where a rollback returns. */
  previousBundle(beforeVersion: number): StoredBundle | null {
    return this.#bundles.previous(beforeVersion);
  }

  lastBundleOutcome(): ApplyOutcome | null {
    return this.#bundles.history(1)[0] ?? null;
  }

  /** Newest first. */
  bundleHistory(limit = 20): ApplyOutcome[] {
    return this.#bundles.history(limit);
  }

  /** The identity last set for the job (an opaque hash from the caller), null for a job never seen. */
  jobIdentity(job: string): string | null {
    return this.#cursors.identity(job);
  }

  setJobIdentity(job: string, identity: string): void {
    this.#cursors.setIdentity(job, identity);
  }

  /**
   * Copies the WAL into the database and, when no reader holds it, empties
   * and truncates it. Best effort: false when a reader kept part of it (the
   * next checkpoint takes the rest) or the disk refused the copy.
   */
  checkpoint(): boolean {
    try {
      const [row] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      return row !== undefined && row.busy === 0;
    } catch (err) {
      this.#log.warn({ err }, 'WAL checkpoint failed');
      return false;
    }
  }

  /**
   * Gives the file's free pages back to the disk (at the next checkpoint,
   * which truncates the file): the outbox's pages, freed as batches are
   * acknowledged, would otherwise keep the file at its largest backlog.
   * Only a store made with auto_vacuum = INCREMENTAL (Store.open sets it on a
   * new file) can; an older one keeps its free pages for reuse.
   * Best effort, like checkpoint: returns the pages given back.
   */
  reclaim(): number {
    try {
      if ((this.#db.pragma('auto_vacuum', { simple: true }) as number) !== INCREMENTAL) return 0;
      const free = this.#db.pragma('freelist_count', { simple: true }) as number;
      if (free > 0) this.#db.pragma('incremental_vacuum');
      return free;
    } catch (err) {
      this.#log.warn({ err }, 'free pages could not be given back');
      return 0;
    }
  }

  /** Bytes the store occupies: database pages in use (free pages are reused, not counted) and the WAL file. */
  usage(): { usedBytes: number; walBytes: number } {
    const used = this.#usedBytes.get()!;
    let walBytes = 0;
    try {
      walBytes = statSync(`${this.#db.name}-wal`).size;
    } catch {
      // No WAL file (just checkpointed away, or an in-memory store).
    }
    return { usedBytes: used + walBytes, walBytes };
  }

  /** SQLite's own check of the file: [] when sound. */
  integrityCheck(): string[] {
    const rows = this.#db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  }
}

