/**
 * Issue 14, on real servers: a transaction stamps a row with the database's
 * clock, stays open across several runs while later rows commit, and then
 * commits. Where the account sees the other sessions (MariaDB: PROCESS;
 * PostgreSQL: pg_read_all_stats) each run's bound stays behind the open
 * transaction, so the late row and everything after it are read once it
 * commits, and reads are otherwise fresh to a fraction of a second. Where it
 * does not, the fixed lag applies, and the probe says which grant is missing.
 */
import t, { type Test } from 'tap';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Source } from '../../../connectors/contract.js';
import { createMysqlSource } from '../../../connectors/mysql/index.js';
import { createPostgresSource } from '../../../connectors/postgres/index.js';
import { planIncremental, type IncrementalPlan } from '../../../gateway/jobs/plan.js';
import { runIncremental } from '../../../gateway/jobs/runner.js';
import type { CursorClock } from '../../../gateway/jobs/window.js';
import { makeCreditCode } from '../../../scripts/demo/make-demo-data.js';
import { mariadbBinaries, startMariadb } from '../../helpers/mariadb.js';
import { postgresBinDir, startPostgres } from '../../helpers/postgres.js';
import { GATEWAY_ID, mapPenalty, openStore, QUERY, queued } from './helpers.js';
import { recordId } from '../../../gateway/records/record-id.js';
import type { Store } from '../../../gateway/store/store.js';

interface Db {
  /** A source as the account that sees every session (true) or as the plain read-only one (false). */
  source(t: Test, watching: boolean): Promise<Source>;
  /** One autocommit statement as the admin. */
  exec(sql: string): Promise<void>;
  /** A transaction on its own admin connection, committed when asked. */
  begin(t: Test): Promise<{ exec(sql: string): Promise<void>; commit(): Promise<void> }>;
}

let random = 11;
const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const row = (id: number) => `(${id}, '黄石测试企业${id}有限公司', '${makeCreditCode(next, 'company')}', 'v1', '20260102')`;
const insert = (ids: number[]) => `INSERT INTO t_penalty (id, party_name, credit_code, content, punish_date) VALUES ${ids.map(row).join(', ')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (store: Store) => queued(store).map((r) => r.id).sort();
const idsOf = (...n: number[]) => n.map((i) => recordId(GATEWAY_ID, 'P07-002', String(i))).sort();

/** One run as the runtime makes it: the plan (clock, open transactions, window), then the pages. */
async function run(source: Source, store: Store, options: { safetyLagSecs?: number; cursorClock?: CursorClock } = {}): Promise<IncrementalPlan> {
  const job = { query: QUERY, cursor: ['updated_at', 'id'], safetyLagSecs: options.safetyLagSecs ?? 5, lookbackSecs: 0, snapshotScheduled: false, cursorClock: options.cursorClock ?? 'database' };
  const plan = await planIncremental(source, job, store.getCursor('penalties'));
  await runIncremental({ name: 'penalties', query: QUERY, cursor: job.cursor, pageSize: 2, mapRow: mapPenalty }, { source, store }, plan.window);
  return plan;
}

async function lateCommit(t: Test, db: Db, how: string): Promise<void> {
  const store = openStore(t.testdir({}));
  t.teardown(() => store.close());
  const source = await db.source(t, true);
  await db.exec(insert([1, 2, 3]));
  await sleep(300);
  const first = await run(source, store);
  t.same(first.window.bound, { kind: 'open-transactions', how, oldestStart: null }, 'nothing open: the bound is the open-transaction one');
  t.ok(first.window.lagSecs < 1, `and it reads to within a second of the clock (${first.window.lagSecs} s)`);
  t.same(ids(store), idsOf(1, 2, 3));

  // The late transaction stamps its row now, and stays open while later rows commit.
  const late = await db.begin(t);
  await late.exec(insert([100]));
  await db.exec(insert([4, 5, 6]));
  for (let i = 0; i < 3; i++) {
    await sleep(400);
    const held = await run(source, store);
    t.equal(held.window.bound?.kind, 'open-transactions', `run ${i + 1} while it is open: bounded by it`);
    t.not(held.window.bound?.kind === 'open-transactions' && held.window.bound.oldestStart, null, 'which it saw');
  }
  t.same(ids(store), [], 'rows committed after the open transaction started wait behind it');

  await late.commit();
  await sleep(400);
  await run(source, store);
  t.same(ids(store), idsOf(4, 5, 6, 100), 'once it commits, its row and the rows behind it are read');
  await sleep(400);
  await run(source, store);
  t.same(ids(store), [], 'each once');
}

async function withoutTheGrant(t: Test, db: Db, privilege: string): Promise<void> {
  const store = openStore(t.testdir({}));
  t.teardown(() => store.close());
  const source = await db.source(t, false);
  const late = await db.begin(t);
  await late.exec(insert([200]));
  const plan = await run(source, store, { safetyLagSecs: 1 });
  t.same(plan.window.bound, { kind: 'fixed-lag', why: 'privilege', detail: privilege }, `the fixed lag applies, naming ${privilege}`);
  t.equal(plan.window.lagSecs, 1);
  await late.commit();
  const application = await run(await db.source(t, true), openStore(t.testdir({})), { cursorClock: 'application' });
  t.same(application.window.bound, { kind: 'fixed-lag', why: 'application-clock' }, 'a column the application stamps keeps the fixed lag, whatever the account sees');
}

const MARIADB_TABLE = `CREATE TABLE t_penalty (id INT PRIMARY KEY, party_name VARCHAR(100), credit_code VARCHAR(18), content VARCHAR(20), punish_date VARCHAR(8),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), KEY (updated_at, id))`;

t.test('MariaDB', { skip: mariadbBinaries() ? false : 'no MariaDB binaries' }, async (t) => {
  const server = await startMariadb(t);
  await server.admin(MARIADB_TABLE);
  await server.admin("CREATE USER 'credit_watch'@'%' IDENTIFIED BY 'watch-pw'");
  await server.admin("GRANT SELECT ON biz.* TO 'credit_watch'@'%'");
  await server.admin("GRANT PROCESS ON *.* TO 'credit_watch'@'%'");
  const admin = { host: server.host, port: server.port, user: server.adminUser, password: server.adminPassword, database: server.database };
  const db: Db = {
    async source(t, watching) {
      const s = createMysqlSource({
        kind: 'mysql', name: 'biz', host: server.host, port: server.port, database: server.database, timeZone: 'Asia/Shanghai',
        ...(watching ? { user: 'credit_watch', password: 'watch-pw' } : { user: server.readOnlyUser, password: server.readOnlyPassword }),
      });
      await s.open();
      t.teardown(() => s.close());
      return s;
    },
    exec: async (sql) => void (await server.admin(sql)),
    async begin(t) {
      const c = await mysql.createConnection(admin);
      t.teardown(() => c.end().catch(() => undefined));
      await c.query('START TRANSACTION');
      return { exec: async (sql) => void (await c.query(sql)), commit: async () => void (await c.query('COMMIT')) };
    },
  };
  await db.exec('DELETE FROM t_penalty');
  await t.test('a transaction open across several runs is read when it commits (PROCESS granted)', (t) => lateCommit(t, db, 'innodb_trx'));
  await db.exec('DELETE FROM t_penalty');
  await t.test('without PROCESS: the fixed lag', (t) => withoutTheGrant(t, db, 'PROCESS'));
});

t.test('PostgreSQL', { skip: postgresBinDir() ? false : 'no PostgreSQL binaries' }, async (t) => {
  const server = await startPostgres(t, { timeZone: 'Asia/Shanghai' });
  await server.admin(`CREATE TABLE t_penalty (id integer PRIMARY KEY, party_name text, credit_code text, content text, punish_date text,
    updated_at timestamp(6) NOT NULL DEFAULT now());
    CREATE INDEX ON t_penalty (updated_at, id);
    GRANT SELECT ON t_penalty TO credit_ro;
    CREATE ROLE credit_watch LOGIN;
    GRANT CONNECT ON DATABASE ${server.database} TO credit_watch;
    GRANT USAGE ON SCHEMA ${server.schema} TO credit_watch;
    GRANT SELECT ON t_penalty TO credit_watch;
    GRANT pg_read_all_stats TO credit_watch`);
  const db: Db = {
    async source(t, watching) {
      const s = createPostgresSource({
        kind: 'postgres', name: 'biz', host: server.host, port: server.port, database: server.database, timeZone: 'Asia/Shanghai',
        user: watching ? 'credit_watch' : server.readOnlyUser, password: '',
      });
      await s.open();
      t.teardown(() => s.close());
      return s;
    },
    exec: async (sql) => void (await server.admin(sql)),
    async begin(t) {
      const c = new pg.Client({ host: server.host, port: server.port, user: server.adminUser, database: server.database });
      await c.connect();
      t.teardown(() => c.end().catch(() => undefined));
      await c.query('BEGIN');
      return { exec: async (sql) => void (await c.query(sql)), commit: async () => void (await c.query('COMMIT')) };
    },
  };
  await t.test('a transaction open across several runs is read when it commits (pg_read_all_stats granted)', (t) => lateCommit(t, db, 'pg_stat_activity'));
  await db.exec('DELETE FROM t_penalty');
  await t.test('without pg_read_all_stats: the fixed lag while another role\'s transaction is open', (t) => withoutTheGrant(t, db, 'pg_read_all_stats'));
});
