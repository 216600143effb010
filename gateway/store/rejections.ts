import type Database from 'better-sqlite3';
import type { LocalRejection } from '../model.js';
import type { Outbox, SeqRange } from './outbox.js';
import type { PayloadCipher } from './payload-crypto.js';
import { compact, expand, expandSql } from './record-ids.js';
import type { RejectionFilter, RejectionPage, RejectionReason, RejectionRow } from './types.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

/** Shown for a record's key that was damaged with its line. */
const UNREADABLE_KEY = '（主键无法读取）';

/** A rejection without findings still has to reach the technical contact. */
const UNSPECIFIED = { field: '', code: 'UNSPECIFIED', message: '未说明原因' };

interface FilterParams {
  category: string | null;
  job: string | null;
  source: string | null;
  code: string | null;
  openOnly: number;
  from: string | null;
  to: string | null;
  q: string | null;
}

const WHERE = `
  WHERE (@category IS NULL OR category = @category)
    AND (@job IS NULL OR job = @job)
    AND (@source IS NULL OR source = @source)
    AND (@code IS NULL OR code = @code)
    AND (@openOnly = 0 OR resolved_at IS NULL)
    AND (@from IS NULL OR at >= @from)
    AND (@to IS NULL OR at <= @to)
    AND (@q IS NULL OR key LIKE @q ESCAPE '\\')`;

const COLUMNS = `
  id, source, job, category, record_id AS recordId, key, field, code, message, at,
  batch_id AS batchId, resolved_at AS resolvedAt, resend_requested_at AS resendRequestedAt,
  subject_kind AS subjectKind, subject_code AS subjectCode`;

/**
 * Every row the gateway would not send and every record the platform refused,
 * with the reason, for the technical contact. Open rows are the current
 * problems; resolved ones stay as history.
 */
export class Rejections {
  readonly #dropOpenLocal: Database.Statement<[string]>;
  readonly #addLocal: Database.Statement<[LocalParams]>;
  // Positional: run once per record of every page, and binding by name costs a lookup per parameter.
  readonly #resolveLocal: Database.Statement<[string, string]>;
  readonly #resolveLocalOf: Database.Statement<[string, string]>;
  readonly #anyOpenLocal: Database.Statement<[], { open: number }>;
  readonly #addDamaged: Database.Statement<[DamagedParams]>;
  readonly #supersedePlatform: Database.Statement<[{ from: number; to: number; at: string }]>;
  readonly #anyOpenPlatform: Database.Statement<[], { open: number }>;
  readonly #list: Database.Statement<[FilterParams & { limit: number; offset: number }], RejectionRow>;
  readonly #count: Database.Statement<[FilterParams], { n: number }>;
  readonly #get: Database.Statement<[number], RejectionRow>;
  readonly #requestResend: Database.Statement<[{ id: number; at: string }]>;
  /** null: keys, messages and subject codes are stored as plaintext, and the SQL paths below do all the work. */
  readonly #cipher: PayloadCipher | null;
  /** Reads a refused row's line, which holds the subject. */
  readonly #outbox: Pick<Outbox, 'line'>;
  readonly #platformRows: Database.Statement<[{ from: number; to: number; recordId: string | Buffer | null }], RefusedOutboxRow>;
  readonly #insertPlatform: Database.Statement<[PlatformRowParams]>;
  readonly #scan: Database.Statement<[FilterParams], RejectionRow>;
  readonly #reasons: Database.Statement<[FilterParams & { limit: number }], { source: RejectionRow['source']; code: string; field: string | null; count: number; sampleId: number }>;

  constructor(db: Database.Database, outbox: Pick<Outbox, 'line'>, cipher: PayloadCipher | null = null) {
    this.#outbox = outbox;
    this.#cipher = cipher;
    // Replaced, not resolved: a row re-read with the same fault each run would otherwise pile up.
    this.#dropOpenLocal = db.prepare(`DELETE FROM rejections WHERE record_id = ? AND source = 'local' AND resolved_at IS NULL`);
    this.#addLocal = db.prepare(`
      INSERT INTO rejections (source, job, category, record_id, key, field, code, message, at, subject_kind, subject_code)
      VALUES ('local', @job, @category, @recordId, @key, @field, @code, @message, @at, @subjectKind, @subjectCode)`);
    this.#addDamaged = db.prepare(`
      INSERT INTO rejections (source, job, category, record_id, key, field, code, message, at, seq)
      VALUES ('local', @job, @category, @recordId, @key, NULL, @code, @message, @at, @seq)`);
    this.#resolveLocal = db.prepare(`
      UPDATE rejections SET resolved_at = ?
      WHERE record_id = ? AND source = 'local' AND resolved_at IS NULL`);
    // The page's ids as one JSON array: one statement (and one probe of the open-rejection index per id) for the page.
    this.#resolveLocalOf = db.prepare(`
      UPDATE rejections SET resolved_at = ?
      WHERE record_id IN (SELECT value FROM json_each(?)) AND source = 'local' AND resolved_at IS NULL`);
    // A bulk load of clean rows has none open: then a page need not send its ids to SQLite at all.
    this.#anyOpenLocal = db.prepare(`SELECT 1 AS open FROM rejections INDEXED BY rejections_open WHERE resolved_at IS NULL AND source = 'local' LIMIT 1`);
    // Nearly always none are open: then a batch's answer need not look at its ids at all (index of migration 9).
    this.#anyOpenPlatform = db.prepare(`SELECT 1 AS open FROM rejections INDEXED BY rejections_platform_open WHERE source = 'platform' AND resolved_at IS NULL LIMIT 1`);
    this.#supersedePlatform = db.prepare(`
      UPDATE rejections SET resolved_at = @at
      WHERE source = 'platform' AND resolved_at IS NULL
        AND record_id IN (SELECT ${expandSql('record_id')} FROM outbox WHERE seq BETWEEN @from AND @to)`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM rejections ${WHERE} ORDER BY id DESC LIMIT @limit OFFSET @offset`);
    this.#count = db.prepare(`SELECT count(*) AS n FROM rejections ${WHERE}`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM rejections WHERE id = ?`);
    this.#requestResend = db.prepare('UPDATE rejections SET resend_requested_at = @at WHERE id = @id');
    // The line is compressed (and maybe sealed), so SQL cannot read the subject out of it: JSON is read here instead.
    this.#platformRows = db.prepare(`
      SELECT job, category, record_id AS recordId, key, line, form, seq
      FROM outbox WHERE seq BETWEEN @from AND @to AND platform_rejected = 1 AND (@recordId IS NULL OR record_id = @recordId)`);
    this.#insertPlatform = db.prepare(`
      INSERT INTO rejections (source, job, category, record_id, key, field, code, message, at, batch_id, seq, subject_kind, subject_code)
      VALUES ('platform', @job, @category, @recordId, @key, NULL, @code, @message, @at, @batchId, @seq, @subjectKind, @subjectCode)`);
    // Sealed keys cannot be matched with LIKE: a search walks the other filters' rows and matches opened keys.
    this.#scan = db.prepare(`SELECT ${COLUMNS} FROM rejections ${WHERE} ORDER BY id DESC`);
    // Grouped by code and field, never by message: messages quote values (and may be sealed), so each row's would differ.
    this.#reasons = db.prepare(`
      SELECT source, code, field, count(*) AS count, max(id) AS sampleId FROM rejections ${WHERE}
      GROUP BY source, code, field ORDER BY count DESC, code, field LIMIT @limit`);
  }

  /** One row per finding; the record's earlier open local rejections are replaced. */
  addLocal(job: string, rejection: LocalRejection): void {
    this.#dropOpenLocal.run(rejection.recordId);
    const findings = rejection.findings.length > 0 ? rejection.findings : [UNSPECIFIED];
    const c = this.#cipher;
    const key = c ? c.seal(rejection.key, 'key') : rejection.key;
    const subjectCode = c ? c.sealNullable(rejection.subject?.code ?? null, 'rejections.subject_code') : rejection.subject?.code ?? null;
    for (const finding of findings) {
      this.#addLocal.run({
        job, category: rejection.category, recordId: rejection.recordId, key,
        field: finding.field === '' ? null : finding.field, code: finding.code,
        message: c ? c.seal(finding.message, 'rejections.message') : finding.message,
        at: rejection.observedAt,
        subjectKind: rejection.subject?.kind ?? null, subjectCode,
      });
    }
  }

  /**
   * A queued record whose line was found damaged (quarantine.ts): a local rejection like a failed check,
   * resolved the same way, when its row is read and queued again. `key` as the outbox row kept it.
   */
  addDamaged(d: { job: string; category: string; recordId: string; key: string | Buffer; seq: number }, code: string, message: string, at: string): void {
    this.#dropOpenLocal.run(d.recordId);
    const c = this.#cipher;
    this.#addDamaged.run({
      job: d.job, category: d.category, recordId: d.recordId, key: this.#keptKey(d.key), code, seq: d.seq, at,
      message: c ? c.seal(message, 'rejections.message') : message,
    });
  }

  /** The key as a rejection keeps it: a sealed key that does not open (damaged with its line) would break every list it is in. */
  #keptKey(key: string | Buffer): string | Buffer {
    const c = this.#cipher;
    if (!c) return typeof key === 'string' ? key : UNREADABLE_KEY;
    try {
      c.open(key, 'key');
      return key;
    } catch {
      return c.seal(UNREADABLE_KEY, 'key');
    }
  }

  /** The record passed its checks this time. */
  resolveLocal(recordId: string, at: string): void {
    this.#resolveLocal.run(at, recordId);
  }

  /** These records passed their checks this time: one statement for a whole page. */
  resolveLocalOf(records: readonly { id: string }[], at: string): void {
    if (records.length === 0 || this.#anyOpenLocal.get() === undefined) return;
    this.#resolveLocalOf.run(at, JSON.stringify(records.map((r) => r.id)));
  }

  /** The batch answers for its records: their earlier platform rejections are no longer current. */
  supersedePlatform(range: SeqRange, at: string): void {
    if (this.#anyOpenPlatform.get() === undefined) return;
    this.#supersedePlatform.run({ from: range.from, to: range.to, at });
  }

  /** Keeps the batch's rows already marked refused (all of them, or one record id's). */
  addPlatform(batchId: string, range: SeqRange, recordId: string | null, code: string, message: string, at: string): void {
    const c = this.#cipher;
    const storedMessage = c ? c.seal(message, 'rejections.message') : message;
    // all, not iterate: the connection cannot write while a read is open; a batch is at most 5000 records.
    for (const row of this.#platformRows.all({ from: range.from, to: range.to, recordId: recordId === null ? null : compact(recordId) })) {
      const subject = this.#subjectOf(row);
      const subjectCode = typeof subject?.code === 'string' ? subject.code : null;
      this.#insertPlatform.run({
        job: row.job, category: row.category, recordId: expand(row.recordId), key: row.key, code, message: storedMessage, at,
        batchId, seq: row.seq,
        subjectKind: typeof subject?.kind === 'string' ? subject.kind : null,
        subjectCode: c ? c.sealNullable(subjectCode, 'rejections.subject_code') : subjectCode,
      });
    }
  }

  /** A line damaged since its batch was read still lets its answer be recorded: without a subject. */
  #subjectOf(row: RefusedOutboxRow): { kind?: unknown; code?: unknown } | undefined {
    let line: string;
    try {
      line = this.#outbox.line(row);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'STORE_VALUE_UNREADABLE') return undefined;
      throw err;
    }
    return (JSON.parse(line) as { subject?: { kind?: unknown; code?: unknown } }).subject;
  }

  list(page: RejectionPage = {}): RejectionRow[] {
    const limit = Math.min(Math.max(0, Math.trunc(page.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
    const offset = Math.max(0, Math.trunc(page.offset ?? 0));
    const params = filterParams(page);
    if (!this.#cipher) return this.#list.all({ ...params, limit, offset });
    if (params.q === null) return this.#list.all({ ...params, limit, offset }).map((r) => this.#opened(r));
    const rows: RejectionRow[] = [];
    let skipped = 0;
    for (const row of this.#matching(page.q!, params)) {
      if (skipped < offset) skipped++;
      else if (rows.length < limit) rows.push(row);
      else break;
    }
    return rows;
  }

  count(filter: RejectionFilter = {}): number {
    const params = filterParams(filter);
    if (!this.#cipher || params.q === null) return this.#count.get(params)!.n;
    let n = 0;
    for (const _ of this.#matching(filter.q!, params)) n++;
    return n;
  }

  /**
   * The commonest reasons among the matching rows, most frequent first, each
   * with the message of its newest row as an example. A key search (q) is
   * not applied here.
   */
  reasons(filter: RejectionFilter = {}, limit = 5): RejectionReason[] {
    const params = { ...filterParams(filter), q: null, limit: Math.min(Math.max(1, Math.trunc(limit)), MAX_LIMIT) };
    return this.#reasons.all(params).map((r) => ({
      source: r.source, code: r.code, field: r.field, count: r.count, example: this.get(r.sampleId)?.message ?? r.code,
    }));
  }

  get(id: number): RejectionRow | null {
    const row = this.#get.get(id);
    return row ? this.#opened(row) : null;
  }

  /** Rows of the other filters whose opened key holds `q` (case-insensitively, like LIKE), newest first, one at a time. */
  *#matching(q: string, params: FilterParams): Generator<RejectionRow> {
    const needle = q.toLowerCase();
    for (const row of this.#scan.iterate({ ...params, q: null })) {
      const opened = this.#opened(row);
      if (opened.key.toLowerCase().includes(needle)) yield opened;
    }
  }

  #opened(row: RejectionRow): RejectionRow {
    const c = this.#cipher;
    if (!c) return row;
    return {
      ...row,
      key: c.open(row.key, 'key'),
      message: c.open(row.message, 'rejections.message'),
      subjectCode: c.openNullable(row.subjectCode, 'rejections.subject_code'),
    };
  }

  /** The contact fixed the source and asked for the record to be read again; a later request replaces the time. */
  requestResend(id: number, at: string): void {
    this.#requestResend.run({ id, at });
  }
}

function filterParams(filter: RejectionFilter): FilterParams {
  return {
    category: filter.category ?? null,
    job: filter.job ?? null,
    source: filter.source ?? null,
    code: filter.code ?? null,
    openOnly: filter.openOnly ? 1 : 0,
    from: filter.from === undefined ? null : comparableTime(filter.from),
    to: filter.to === undefined ? null : comparableTime(filter.to),
    q: filter.q === undefined || filter.q === '' ? null : `%${escapeLike(filter.q)}%`,
  };
}

/**
 * Rows keep `at` as Date#toISOString writes it (UTC, milliseconds), and are
 * compared as text: a bound with an offset (+08:00) or without milliseconds
 * is brought to the same form first. Text that is no date is compared as given.
 */
function comparableTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString();
}

/** The user's text is matched literally: % and _ are not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

interface LocalParams {
  subjectKind: string | null;
  subjectCode: string | Buffer | null;
  job: string;
  category: string;
  recordId: string;
  key: string | Buffer;
  field: string | null;
  code: string;
  message: string | Buffer;
  at: string;
}

interface DamagedParams {
  job: string;
  category: string;
  recordId: string;
  key: string | Buffer;
  code: string;
  message: string | Buffer;
  at: string;
  seq: number;
}

interface RefusedOutboxRow {
  job: string;
  category: string;
  recordId: string | Buffer;
  key: string | Buffer;
  line: string | Buffer;
  form: number;
  seq: number;
}

/** A platform refusal's row: a queued record's, as a quarantined one's, plus its batch and subject. */
interface PlatformRowParams extends DamagedParams {
  batchId: string;
  subjectKind: string | null;
  subjectCode: string | Buffer | null;
}
