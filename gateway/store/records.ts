import type Database from 'better-sqlite3';
import type { CandidateRecord } from '../model.js';
import type { PayloadCipher } from './payload-crypto.js';
import type { SeqRange } from './outbox.js';
import { byId, compact, expand, expandSql } from './record-ids.js';
import type { KnownRecord } from './types.js';

/**
 * The lowest seq a page committed at `ms` (Unix time) may take: a thousand
 * seqs per millisecond, so seqs keep rising with the clock even when the
 * counter is lost (an emptied store, a new machine). 2026 gives about 1.8e15,
 * below Number.MAX_SAFE_INTEGER (9.0e15) until the year 2255, so JSON and
 * JavaScript carry it exactly; a page of more than 1000 records in one
 * millisecond simply continues from the counter.
 */
export function seqFloorAt(ms: number): number {
  return Math.max(0, Math.floor(ms)) * 1000;
}

/** rejected_local: the newest version queued was lost before it was sent (quarantine.ts), kept as a local rejection. */
export type RecordStatus = 'queued' | 'delivered' | 'platform_rejected' | 'deleted' | 'rejected_local';

export interface RecordState {
  fingerprint: string;
  lastSeq: number;
  status: RecordStatus;
}

/** What a page needs of a stored record: its row, its fingerprint as stored (compact) and the pass it was last seen in. */
export interface StoredVersion {
  rid: number;
  fingerprint: string | Buffer;
  seenPass: number;
}

/**
 * The newest version of every record the gateway has queued (record_state),
 * the gateway's seq counter, and the snapshot passes that tell which records
 * a complete read no longer saw.
 */
export class Records {
  readonly #get: Database.Statement<[{ id: string | Buffer }], RecordState & { fingerprint: string | Buffer }>;
  // Positional, the id twice (its prefix finds the row, byId): run once per record of every page.
  readonly #version: Database.Statement<[string | Buffer, string | Buffer], StoredVersion>;
  readonly #nextSeq: Database.Statement<[], { seq: number }>;
  readonly #setLastSeq: Database.Statement<[number]>;
  readonly #lastSeq: Database.Statement<[], { seq: number }>;
  // Positional: run once per record of every page, and binding by name costs a lookup per parameter.
  readonly #insert: Database.Statement<[string | Buffer, string, string, string | Buffer, string | Buffer, number, string, string, number]>;
  readonly #update: Database.Statement<[string, string | Buffer, number, string, string, number, number]>;
  readonly #see: Database.Statement<[{ pass: number; id: string | Buffer }]>;
  readonly #seeRow: Database.Statement<[number, number]>;
  readonly #settle: Database.Statement<[{ from: number; to: number; at: string }]>;
  readonly #settleById: Database.Statement<[{ from: number; to: number; at: string }]>;
  readonly #forget: Database.Statement<[{ id: string | Buffer; seq: number; at: string }]>;
  readonly #pass: Database.Statement<[string], { pass: number }>;
  readonly #beginPass: Database.Statement<[string], { pass: number }>;
  readonly #unseen: Database.Statement<[{ job: string; pass: number; after: string | Buffer; limit: number }], Omit<KnownRecord, 'id' | 'key'> & { id: string | Buffer; key: string | Buffer }>;
  /** null: keys are stored as plaintext. */
  readonly #cipher: PayloadCipher | null;

  constructor(db: Database.Database, cipher: PayloadCipher | null = null) {
    this.#cipher = cipher;
    this.#get = db.prepare(`SELECT fingerprint, last_seq AS lastSeq, status FROM record_state WHERE ${byId('id', '@id')}`);
    // The fingerprint as hex text from SQL: a BLOB comes to JavaScript as a Buffer of its own, which costs more to make than the hex.
    this.#version = db.prepare(`SELECT rid, ${expandSql('fingerprint')} AS fingerprint, seen_pass AS seenPass FROM record_state WHERE ${byId('id', '?')}`);
    this.#nextSeq = db.prepare('UPDATE seq_counter SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq AS seq');
    this.#lastSeq = db.prepare('SELECT last_seq AS seq FROM seq_counter WHERE id = 1');
    this.#setLastSeq = db.prepare('UPDATE seq_counter SET last_seq = max(last_seq, ?) WHERE id = 1');
    // No upsert: the id index is not unique (migration 13), so a page looks its record up (version) and
    // inserts only an id it did not find, in the same write transaction; a row found is updated by its rid.
    this.#insert = db.prepare(`
      INSERT INTO record_state (id, job, category, key, fingerprint, last_seq, last_op, status, updated_at, seen_pass)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`);
    this.#update = db.prepare(`
      UPDATE record_state SET job = ?, fingerprint = ?, last_seq = ?, last_op = ?, status = 'queued', updated_at = ?, seen_pass = ?
      WHERE rid = ?`);
    this.#see = db.prepare(`UPDATE record_state SET seen_pass = @pass WHERE ${byId('id', '@id')}`);
    this.#seeRow = db.prepare('UPDATE record_state SET seen_pass = ? WHERE rid = ?');
    // Only the row whose seq is still the record's newest decides its status:
    // an older version acknowledged late must not hide a newer queued one.
    // A row names its record by rid (migration 14), read in the order records were first queued; a row
    // queued before that finds it by id.
    const settle = (match: string) => db.prepare<[{ from: number; to: number; at: string }]>(`
      UPDATE record_state SET
        status = CASE WHEN o.platform_rejected = 1 THEN 'platform_rejected'
                      WHEN o.op = 'delete' THEN 'deleted' ELSE 'delivered' END,
        updated_at = @at
      FROM outbox AS o
      WHERE o.seq BETWEEN @from AND @to AND ${match} AND o.seq = record_state.last_seq`);
    this.#settle = settle('record_state.rid = o.rid');
    this.#settleById = settle(`o.rid IS NULL AND ${byId('record_state.id', 'o.record_id')}`);
    // An empty fingerprint matches no record's: the next read of the row queues it, whatever it holds.
    // 'upsert': the version lost was never sent, so the platform holds the one before (if any), and a
    // snapshot pass that no longer sees the row sends its delete again. 'rejected_local': it will never
    // be sent, so it must not be shown as waiting to be (a local rejection, like a failed check).
    this.#forget = db.prepare(`
      UPDATE record_state SET fingerprint = X'', last_op = 'upsert', status = 'rejected_local', updated_at = @at
      WHERE ${byId('id', '@id')} AND last_seq = @seq`);
    this.#pass = db.prepare('SELECT pass FROM job_passes WHERE job = ?');
    this.#beginPass = db.prepare(`
      INSERT INTO job_passes (job, pass) VALUES (?, 1)
      ON CONFLICT (job) DO UPDATE SET pass = pass + 1
      RETURNING pass`);
    // Keyset by rowid (the order records were first queued), continuing after the row of the last id returned.
    this.#unseen = db.prepare(`
      SELECT id, category, key FROM record_state
      WHERE job = @job AND rid > coalesce((SELECT rid FROM record_state WHERE ${byId('id', '@after')}), 0)
        AND seen_pass < @pass AND last_op = 'upsert'
      ORDER BY rid LIMIT @limit`);
  }

  get(id: string): RecordState | undefined {
    const row = this.#get.get({ id: compact(id) });
    return row && { ...row, fingerprint: expand(row.fingerprint) };
  }

  /** The page's lookup: no hex on the way, compare with sameFingerprint. */
  version(id: string | Buffer): StoredVersion | undefined {
    return this.#version.get(id, id);
  }

  /** Takes the next seq: strictly increasing, and never reused once the transaction commits. */
  nextSeq(): number {
    return this.#nextSeq.get()!.seq;
  }

  lastSeq(): number {
    return this.#lastSeq.get()!.seq;
  }

  /**
   * A block of seqs for one page transaction: the page hands them out in
   * order, then `advanceSeq` stores the last one taken, in the same
   * transaction, so the counter still never goes back and a seq is never
   * reused once the transaction commits. One read and one write per page
   * instead of one update per record. The first seq is at least `floor`
   * (seqFloorAt): a store that lost its counter still starts above what it sent.
   */
  seqBlock(floor = 0): { take: () => number; last: () => number } {
    let seq = Math.max(this.lastSeq(), floor - 1);
    return { take: () => ++seq, last: () => seq };
  }

  /** The counter moves to `to` unless it is already there or beyond: it never goes back. */
  advanceSeq(to: number): void {
    this.#setLastSeq.run(to);
  }

  /**
   * The record's version queued at `seq`. `rid`: its row as version() found it in this transaction,
   * undefined when it found none (the record is new: a row is inserted, so an id must never be saved
   * without that look-up first). `id`, `fingerprint`: the record's compacted, when the caller has them.
   * Returns the row's rid.
   */
  save(
    record: CandidateRecord, job: string, seq: number, at: string, pass: number, rid: number | undefined,
    id: string | Buffer = compact(record.id), fingerprint: string | Buffer = compact(record.fingerprint),
  ): number {
    if (rid !== undefined) {
      this.#update.run(job, fingerprint, seq, record.op, at, pass, rid);
      return rid;
    }
    const key = this.#cipher ? this.#cipher.seal(record.key, 'key') : record.key;
    return Number(this.#insert.run(id, job, record.category, key, fingerprint, seq, record.op, at, pass).lastInsertRowid);
  }

  /** The record is still at the source: a snapshot pass must not delete it. */
  see(id: string | Buffer, pass: number): void {
    this.#see.run({ pass, id: typeof id === 'string' ? compact(id) : id });
  }

  /** see() for a row version() found. */
  seeRow(rid: number, pass: number): void {
    this.#seeRow.run(pass, rid);
  }

  /** Statuses after a batch was answered; call before its outbox rows go. */
  settle(range: SeqRange, at: string): void {
    this.#settle.run({ from: range.from, to: range.to, at });
    this.#settleById.run({ from: range.from, to: range.to, at });
  }

  /**
   * The version queued at `seq` was lost before it was sent (a damaged line): the record no longer
   * counts as sent unchanged, so it is queued again when its row is read again. False when a newer
   * version is queued (which stands for it) or the record is unknown.
   */
  forget(id: string, seq: number, at: string): boolean {
    return this.#forget.run({ id: compact(id), seq, at }).changes > 0;
  }

  currentPass(job: string): number {
    return this.#pass.get(job)?.pass ?? 0;
  }

  beginPass(job: string): number {
    return this.#beginPass.get(job)!.pass;
  }

  unseen(job: string, pass: number, after: string, limit: number): KnownRecord[] {
    const c = this.#cipher;
    return this.#unseen.all({ job, pass, after: compact(after), limit })
      .map((r) => ({ id: expand(r.id), category: r.category, key: c ? c.open(r.key, 'key') : (r.key as string) }));
  }
}

/** A stored fingerprint (record-ids.ts) against a record's. */
export function sameFingerprint(stored: string | Buffer, fingerprint: string): boolean {
  return typeof stored === 'string' ? stored === fingerprint : fingerprint.length === 64 && stored.toString('hex') === fingerprint;
}
