import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { MIGRATIONS, migrate, type Migration } from '../../../gateway/store/migrations.js';
import { Store } from '../../../gateway/store/store.js';
import type { Batch } from '../../../gateway/model.js';
import { BIG, idFor, newId, openStore, page, rec, storeVersion, T0 } from './helpers.js';
import { besideTest } from '../../helpers/beside.js';

const quiet = pino({ enabled: false });

/** The file seen directly, as an operator's sqlite3 shell would. */
function rawDb(t: Test, file: string) {
  const db = new Database(file);
  t.teardown(() => db.close());
  return db;
}

t.test('a new store is created at the newest version, in WAL mode', async (t) => {
  const { store, file } = openStore(t);
  store.close();
  const db = rawDb(t, file);
  t.equal(db.pragma('user_version', { simple: true }), MIGRATIONS[MIGRATIONS.length - 1]!.version);
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
});

t.test('reopening runs no migration again and keeps the data', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.db');
  const logged: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { logged.push(JSON.parse(line).msg); } });
  const first = Store.open({ file, logger });
  first.commitPage(page('penalties', [rec('1')], { cursor: ['a'] }));
  const batch = first.nextBatch(BIG, newId)!;
  first.close();
  t.same(logged.filter((m) => m === 'store migrated').length, MIGRATIONS.length);

  logged.length = 0;
  const second = Store.open({ file, logger });
  t.teardown(() => second.close());
  t.same(logged.filter((m) => m === 'store migrated'), []);
  t.same(second.getCursor('penalties'), ['a']);
  t.same(second.nextBatch(BIG, newId), batch);
});

t.test('a later migration runs once on an existing store', async (t) => {
  const { store, file } = openStore(t);
  store.commitPage(page('penalties', [rec('1')]));
  store.close();
  const next: Migration = { version: MIGRATIONS.length + 1, name: 'add a table', sql: 'CREATE TABLE extra (x INTEGER)' };
  const db = rawDb(t, file);
  t.same(migrate(db, quiet, [...MIGRATIONS, next]), [next.version]);
  t.same(migrate(db, quiet, [...MIGRATIONS, next]), [], 'not twice');
  t.equal(db.pragma('user_version', { simple: true }), next.version);
  t.equal((db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n, 1, 'data kept');
});

t.test('a migration that fails leaves the store at the version before it', async (t) => {
  const { store, file } = openStore(t);
  store.close();
  const broken: Migration = {
    version: MIGRATIONS.length + 1, name: 'half done',
    sql: 'CREATE TABLE extra (x INTEGER); INSERT INTO no_such_table VALUES (1);',
  };
  const db = rawDb(t, file);
  t.throws(() => migrate(db, quiet, [...MIGRATIONS, broken]), { code: 'STORE_MIGRATION_FAILED' });
  t.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  t.equal(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get(), undefined, 'its first statement was rolled back too');
});

t.test('a store written by a newer gateway is refused, not downgraded', async (t) => {
  const { store, file } = openStore(t);
  store.close();
  const db = rawDb(t, file);
  db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
  db.close();
  t.throws(() => Store.open({ file }), { code: 'STORE_NEWER_THAN_GATEWAY' });
});

t.test('a store that cannot be opened says so', async (t) => {
  const dir = t.testdir({});
  t.throws(() => Store.open({ file: join(dir, 'missing-folder', 'gateway.db') }), { code: 'STORE_OPEN_FAILED' });
});

t.test('a store from before resend requests and first runs is upgraded with what it knew', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.db');
  const old = rawDb(t, file);
  migrate(old, quiet, MIGRATIONS.slice(0, 1));
  old.prepare(`INSERT INTO job_runs (job, last_run_started_at, last_run_at, last_run_ok) VALUES ('penalties', '2026-11-20T02:00:00.000Z', '2026-11-20T02:00:05.000Z', 1)`).run();
  old.prepare(`INSERT INTO rejections (source, job, category, record_id, key, code, message, at) VALUES ('local', 'penalties', 'P07-002', 'r1', '1', 'REQUIRED', 'x', '2026-11-20T02:00:01.000Z')`).run();
  old.close();

  const store = Store.open({ file });
  t.teardown(() => store.close());
  t.equal(store.firstRunAt('penalties'), '2026-11-20T02:00:00.000Z', 'the earliest start the old store knew');
  t.match(store.listRejections(), [{ key: '1', resendRequestedAt: null, resolvedAt: null }]);
  t.same(store.declarations(), []);
  t.equal(store.currentBundle(), null);
});

t.test('a record quarantined before migration 12 (queued, fingerprint emptied, out of the outbox) is rejected_local after it; queued ones stay queued', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.db');
  const old = rawDb(t, file);
  migrate(old, quiet, MIGRATIONS.filter((m) => m.version <= 11));
  const state = old.prepare(`
    INSERT INTO record_state (id, job, category, key, fingerprint, last_seq, last_op, status, updated_at)
    VALUES (?, 'penalties', 'P07-002', ?, ?, ?, 'upsert', ?, '2026-11-20T02:00:00.000Z')`);
  const id = (key: string) => Buffer.from(idFor(key), 'hex');
  state.run(id('1'), '1', Buffer.alloc(0), 1, 'queued');
  state.run(id('2'), '2', Buffer.alloc(32, 2), 2, 'queued');
  state.run(id('3'), '3', Buffer.alloc(32, 3), 3, 'delivered');
  const line = `{"id":"${idFor('2')}","category":"P07-002","op":"upsert","seq":2}`;
  old.prepare(`INSERT INTO outbox (seq, record_id, job, category, key, op, line, form, bytes, queued_at) VALUES (2, ?, 'penalties', 'P07-002', '2', 'upsert', ?, 0, ?, '2026-11-20T02:00:00.000Z')`)
    .run(id('2'), line, line.length);
  old.close();

  const store = Store.open({ file });
  t.teardown(() => store.close());
  t.equal(store.recordState(idFor('1'))!.status, 'rejected_local', 'the quarantined one');
  t.equal(store.recordState(idFor('2'))!.status, 'queued', 'the one still in the outbox');
  t.equal(store.recordState(idFor('3'))!.status, 'delivered');
  t.same(store.integrityCheck(), []);
});

t.test('a row queued before migration 14 (no rid) is settled by its id; a row queued after names its record by rid', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.db');
  const store = Store.open({ file, now: () => new Date(T0) });
  t.teardown(() => store.close());
  store.commitPage(page('penalties', [rec('1'), rec('2')]));
  const raw = rawDb(t, file);
  const named = () => raw.prepare('SELECT s.rid = o.rid AS same FROM outbox o JOIN record_state s ON s.id = o.record_id ORDER BY o.seq').pluck().all();
  t.same(named(), [1, 1], 'each row names its record');
  // As a row queued before the migration is: the column added, no rid in it.
  raw.prepare('UPDATE outbox SET rid = NULL WHERE seq = 1').run();
  store.commitPage(page('penalties', [rec('3')]));

  const batch = store.nextBatch(BIG, newId)!;
  t.equal(batch.records.length, 3);
  store.acknowledge(batch.batchId, { rejected: [], at: T0 });
  t.same(['1', '2', '3'].map((k) => store.recordState(idFor(k))!.status), ['delivered', 'delivered', 'delivered']);
  t.same(store.integrityCheck(), []);
});

/**
 * fixtures/store-v6.sqlite was written by the release before migration 7
 * (ids and fingerprints as hex text, batches named in every outbox row):
 * records delivered, refused by the platform, queued, in an open batch and
 * not yet batched, local and platform rejections, a snapshot pass, and an id
 * that is not sha256 hex. fixtures/store-v6.json is what that release read
 * back from it. The store migrated forward reads the same.
 */
t.test('a store the previous release wrote is migrated forward: every record, fingerprint, seq, batch and rejection is still there', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'gateway.db');
  copyFileSync(besideTest(import.meta.url, './fixtures/store-v6.sqlite'), file);
  const before = JSON.parse(readFileSync(besideTest(import.meta.url, './fixtures/store-v6.json'), 'utf8')) as {
    states: Record<string, unknown>; lastSeq: number; queue: unknown; pendingByJob: unknown; openBatch: Batch;
    rejections: unknown; unseen: string[]; cursor: unknown; totals: unknown;
  };
  const store = Store.open({ file, now: () => new Date(T0) });
  t.teardown(() => store.close());
  t.equal(storeVersion(file), MIGRATIONS[MIGRATIONS.length - 1]!.version);

  for (const [id, state] of Object.entries(before.states)) t.same(store.recordState(id), state, `record ${id.slice(0, 12)}…`);
  t.equal(store.lastSeq(), before.lastSeq, 'the seq counter');
  t.same(store.queueStats(), before.queue, 'the queue');
  t.same([...store.pendingByJob()], before.pendingByJob);
  t.same(store.listRejections({ limit: 100 }), before.rejections, 'every rejection, open and resolved');
  t.same(store.getCursor('penalties'), before.cursor);
  t.same(store.totals(), before.totals, 'the counters');
  t.same(store.unseenRecords('penalties', 1).map((r) => r.key).sort(), before.unseen, 'the snapshot pass');

  const open = store.nextBatch(BIG, newId)!;
  t.same(open, before.openBatch, 'the open batch goes out again with its id and exact records');
  t.match(store.commitPage(page('penalties', [rec('1'), rec('5'), rec('12')])), { queued: 0, unchanged: 3 }, 'unchanged records are not queued again');
  t.match(store.commitPage(page('penalties', [rec('1', { NAME: 'new' })])), { queued: 1 }, 'a changed one is');
  t.same(store.acknowledge(open.batchId, { rejected: [], at: T0 }), { accepted: open.records.length, rejected: 0 });
  const rest = store.nextBatch(BIG, newId)!;
  t.same(rest.records.map((r) => r.seq), [9, 10, 11, 12, 13, 14, 15, before.lastSeq + 1], 'the records never batched follow, in seq order, then the new one');
  t.ok(rest.records.every((r) => JSON.parse(r.line).seq === r.seq), 'with their exact lines');
  store.acknowledge(rest.batchId, { rejected: [], at: T0 });
  t.equal(store.recordState(idFor('1'))!.status, 'delivered');
  t.equal(store.recordState('legacy-1')!.status, 'delivered', 'an id that is not sha256 hex is kept as it was');
  t.same(store.integrityCheck(), []);
});
