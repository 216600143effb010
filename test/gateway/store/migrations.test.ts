import Database from 'better-sqlite3';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { MIGRATIONS, migrate, type Migration } from '../../../gateway/store/migrations.js';
import { Store } from '../../../gateway/store/store.js';
import { BIG, newId, openStore, page, rec } from './helpers.js';

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
