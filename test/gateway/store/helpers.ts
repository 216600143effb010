import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { Finding, CandidateRecord, LocalRejection, Page, RecordData } from '../../../gateway/model.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { Store } from '../../../gateway/store/store.js';
import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { pino } from 'pino';
import { dataFolderFiles } from '../../../gateway/store/data-folder.js';
import { MIGRATIONS, migrate } from '../../../gateway/store/migrations.js';
import { createPrivateFile } from '../../../gateway/store/private-files.js';

export const GATEWAY = 'hs-test';
export const CATEGORY = 'P07-002';
/** Midday UTC: the same calendar day in every time zone from UTC-11 to UTC+11. */
export const T0 = '2026-11-26T12:00:00.000Z';

interface RecordOptions {
  category?: string;
  observedAt?: string;
}

/** An upsert with the given data; the same key always gives the same id. */
export function rec(key: string, data: RecordData = { NAME: `name ${key}` }, options: RecordOptions = {}): CandidateRecord {
  const category = options.category ?? CATEGORY;
  const subject = { kind: 'legal' as const, name: `某某公司${key}`, code: '91420200MA4K000000' };
  return {
    id: recordId(GATEWAY, category, key), category, key, op: 'upsert', subject, data,
    observedAt: options.observedAt ?? T0, fingerprint: fingerprint({ op: 'upsert', subject, data }),
  };
}

export function del(key: string, options: RecordOptions = {}): CandidateRecord {
  const category = options.category ?? CATEGORY;
  return {
    id: recordId(GATEWAY, category, key), category, key, op: 'delete',
    observedAt: options.observedAt ?? T0, fingerprint: fingerprint({ op: 'delete' }),
  };
}

export function refused(key: string, findings: Finding[], options: RecordOptions = {}): LocalRejection {
  const category = options.category ?? CATEGORY;
  return { category, key, recordId: recordId(GATEWAY, category, key), findings, observedAt: options.observedAt ?? T0 };
}

export function page(
  job: string,
  records: CandidateRecord[],
  options: { rejections?: LocalRejection[]; cursor?: Page['cursor']; rowsRead?: number } = {},
): Page {
  const rejections = options.rejections ?? [];
  return {
    job, records, rejections,
    cursor: options.cursor === undefined ? [records.length + rejections.length] : options.cursor,
    rowsRead: options.rowsRead ?? records.length + rejections.length,
  };
}

export function idFor(key: string, category = CATEGORY): string {
  return recordId(GATEWAY, category, key);
}

export const newId = () => randomUUID();

export const BIG = { maxRecords: 5000, maxBytes: 8 * 1024 * 1024 };

/** A settable clock the store reads instead of the system's. */
export class Clock {
  at = new Date(T0);
  readonly now = () => new Date(this.at);
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** A store in a fresh temp folder, closed when the test ends. */
export function openStore(t: Test, clock = new Clock()) {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.db');
  const store = Store.open({ file, now: clock.now });
  t.teardown(() => store.close());
  return { store, file, dir, clock, reopen: () => reopen(t, file, clock) };
}

function reopen(t: Test, file: string, clock: Clock): Store {
  const store = Store.open({ file, now: clock.now });
  t.teardown(() => store.close());
  return store;
}

/**
 * A data folder whose store an earlier release left: the real migrations up
 * to the one before the newest, a cursor and `filler` bytes of queued rows.
 */
export function oldStore(dir: string, filler = 0): string {
  chmodSync(dir, 0o700);
  const { store } = dataFolderFiles(dir);
  createPrivateFile(store);
  const db = new Database(store);
  migrate(db, pino({ enabled: false }), MIGRATIONS.slice(0, -1));
  db.prepare("INSERT INTO cursors (job, position, updated_at) VALUES ('penalties', '[\"2026-01-01\"]', '2026-01-01T00:00:00Z')").run();
  const add = db.prepare("INSERT INTO outbox (seq, record_id, job, category, key, op, line, bytes, queued_at) VALUES (?, ?, 'penalties', 'P07-002', ?, 'upsert', ?, ?, '2026-01-01T00:00:00Z')");
  const line = 'x'.repeat(1000);
  db.transaction(() => {
    for (let i = 1; i * 1000 <= filler; i++) add.run(i, `r${i}`, String(i), line, line.length);
  })();
  // Filled with a rollback journal (no second copy in a WAL), then in WAL mode as the gateway keeps it.
  db.pragma('journal_mode = WAL');
  db.close();
  return store;
}

/** PRAGMA user_version of a store file, read as an operator's sqlite3 shell would. */
export function storeVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}
