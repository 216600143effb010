/**
 * Issue 10 case 14, on real servers: one statement stamps three pages' worth
 * of rows with one timestamp (`UPDATE … SET updated_at = now()`), the gateway
 * is killed with SIGKILL after the first of those pages and started again.
 * Every row reaches the platform exactly once per version, a later change
 * still arrives, and while nothing changes the polls read nothing.
 *
 * The rows' timestamps carry microseconds: a cursor cut to milliseconds
 * would sit below the whole group and read it again on every poll, and a
 * group larger than a page could never be passed.
 */
import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createReceiver, type Receiver } from '../../../scripts/receiver/index.js';
import { makeCreditCode } from '../../../scripts/demo/make-demo-data.js';
import { TEST_PENALTY_FIELDS, TEST_SECRET } from '../../helpers/business-db.js';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/conservation.js';
import { mariadbBinaries, startMariadb } from '../../helpers/mariadb.js';
import { postgresBinDir, startPostgres } from '../../helpers/postgres.js';
import { until } from '../../helpers/wait.js';
import { recordId } from '../../../gateway/records/record-id.js';

const PAGE = 40;
const ROWS = 150;
const STAMPED = 3 * PAGE;

interface Database_ {
  /** Runs one statement as the admin. */
  admin(sql: string): Promise<unknown>;
  source: Record<string, unknown>;
  secret: string;
}

function rowsSql(now: string): string {
  let random = 7;
  const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const values = [];
  for (let id = 1; id <= ROWS; id++) {
    // Distinct past instants, microseconds included.
    values.push(`(${id}, '黄石测试企业${id}有限公司', '${makeCreditCode(next, 'company')}', 'v1', '20260102', ${now} - INTERVAL '${(ROWS - id) * 1000 + 1}' SECOND)`);
  }
  return values.join(',\n');
}

function writeConfig(dir: string, platformUrl: string, source: Record<string, unknown>): string {
  const file = join(dir, 'gateway.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      gateway: { id: 'hs-test', department: '测试部门', dataDir: join(dir, 'data') },
      platform: { url: platformUrl, secretRef: 'platform', batchMaxRecords: 50, backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 3600 },
      status: { host: '127.0.0.1', port: 0 },
      scheduling: { realtimePollSecs: 1, retryBaseSecs: 1, retryMaxSecs: 2 },
      // One page a second, so the kill lands inside the stamped group.
      sources: [{ name: 'biz', pageSize: PAGE, rowsPerSecond: PAGE, timeZone: 'Asia/Shanghai', passwordRef: 'db', ...source }],
      jobs: [
        {
          name: 'penalties', source: 'biz', category: 'P07-002', query: 'SELECT * FROM t_penalty',
          cursor: ['updated_at', 'id'], key: ['id'], safetyLagSecs: 1,
          subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
          fields: TEST_PENALTY_FIELDS,
        },
      ],
    }),
  );
  return file;
}

/** What the store says of the job: rows read in all, and when its latest run started. */
function jobState(dir: string): { rowsRead: number; runStartedAt: string | null } {
  const store = new Database(join(dir, 'data', 'gateway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const read = store.prepare("SELECT coalesce(sum(rows_read), 0) AS n FROM job_counters WHERE job = 'penalties'").get() as { n: number };
    const run = store.prepare("SELECT last_run_started_at AS at FROM job_runs WHERE job = 'penalties'").get() as { at: string } | undefined;
    return { rowsRead: read.n, runStartedAt: run?.at ?? null };
  } catch {
    return { rowsRead: 0, runStartedAt: null };
  } finally {
    store.close();
  }
}

function contents(receiver: Receiver): Map<string, unknown> {
  return new Map(receiver.records().map((r) => [r.id, r.data?.CF_NR]));
}

const idOf = (n: number) => recordId('hs-test', 'P07-002', String(n));

function holdsAll(receiver: Receiver, version: (id: number) => string): boolean {
  const held = contents(receiver);
  for (let id = 1; id <= ROWS; id++) if (held.get(idOf(id)) !== version(id)) return false;
  return held.size === ROWS;
}

async function stopped(gw: GatewayProcess, signal: NodeJS.Signals): Promise<void> {
  gw.child.kill(signal);
  await gw.exited;
}

async function scenario(t: Test, db: Database_): Promise<void> {
  const dir = t.testdir({});
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const config = writeConfig(dir, url, db.source);
  const env = { CREDIT_GATEWAY_SECRET_DB: db.secret };

  let gw = startGatewayProcess(config, { env });
  t.teardown(() => stopped(gw, 'SIGKILL'));
  t.ok(await until(() => holdsAll(receiver, () => 'v1'), (ok) => ok, 60_000), `the first ${ROWS} rows arrive`);
  const before = jobState(dir).rowsRead;

  // One statement, one timestamp, three pages of rows.
  await db.admin(`UPDATE t_penalty SET content = 'v2', updated_at = ${db.source.kind === 'postgres' ? 'now()' : 'NOW(6)'} WHERE id <= ${STAMPED}`);
  const started = await until(() => jobState(dir).rowsRead, (n) => n > before, 60_000);
  t.ok(started > before && started < before + STAMPED, 'killed after the first page of the stamped rows was committed, before the last');
  await stopped(gw, 'SIGKILL');

  gw = startGatewayProcess(config, { env });
  const v2 = (id: number) => (id <= STAMPED ? 'v2' : 'v1');
  t.ok(await until(() => holdsAll(receiver, v2), (ok) => ok, 60_000), 'after the restart every stamped row arrives at its new version');

  await db.admin(`UPDATE t_penalty SET content = 'v3', updated_at = ${db.source.kind === 'postgres' ? 'now()' : 'NOW(6)'} WHERE id = ${ROWS}`);
  const v3 = (id: number) => (id === ROWS ? 'v3' : v2(id));
  t.ok(await until(() => holdsAll(receiver, v3), (ok) => ok, 60_000), 'a change made afterwards arrives too');

  // Idle: wait for three more polls and count the rows they read.
  const idle = jobState(dir);
  let polls = 0;
  let last = idle.runStartedAt;
  await until(
    () => {
      const now = jobState(dir).runStartedAt;
      if (now !== last) {
        polls += 1;
        last = now;
      }
      return polls;
    },
    (n) => n >= 3,
    30_000,
  );
  t.ok(polls >= 3, 'the job polled at least three times while nothing changed');
  t.equal(jobState(dir).rowsRead - idle.rowsRead, 0, 'and those polls read no row again');

  const stats = receiver.stats();
  t.equal(stats.accepted, ROWS + STAMPED + 1, 'each version of each row was accepted exactly once');
  t.equal(stats.stale, 0, 'no version arrived out of order');
  const expected = new Map(Array.from({ length: ROWS }, (_, i) => [idOf(i + 1), v3(i + 1)]));
  t.same(receiver.records().filter((r) => expected.get(r.id) !== r.data?.CF_NR).map((r) => r.id), [], 'nothing the source does not hold');
  await stopped(gw, 'SIGTERM');
}

const CREATE_PG = `CREATE TABLE t_penalty (id integer PRIMARY KEY, party_name text, credit_code text, content text, punish_date text, updated_at timestamp(6) NOT NULL);
  CREATE INDEX ON t_penalty (updated_at, id);
  GRANT SELECT ON t_penalty TO credit_ro`;

t.test('PostgreSQL: a bulk update of three pages with one now(), interrupted by kill -9', { skip: postgresBinDir() ? false : 'no PostgreSQL binaries' }, async (t) => {
  const server = await startPostgres(t, { timeZone: 'Asia/Shanghai' });
  await server.admin(CREATE_PG);
  await server.admin(`INSERT INTO t_penalty VALUES ${rowsSql("now() - INTERVAL '1 day'").replace(/INTERVAL '(\d+)' SECOND/g, "INTERVAL '$1.123456 seconds'")}`);
  await scenario(t, {
    admin: (sql) => server.admin(sql),
    source: { kind: 'postgres', host: server.host, port: server.port, database: server.database, user: server.readOnlyUser },
    secret: 'trusted',
  });
});

t.test('MariaDB: a bulk update of three pages with one NOW(6), interrupted by kill -9', { skip: mariadbBinaries() ? false : 'no MariaDB binaries' }, async (t) => {
  const server = await startMariadb(t);
  await server.admin(`CREATE TABLE t_penalty (id INT PRIMARY KEY, party_name VARCHAR(100), credit_code VARCHAR(18), content VARCHAR(20), punish_date VARCHAR(8), updated_at DATETIME(6) NOT NULL, KEY (updated_at, id))`);
  await server.admin(`INSERT INTO t_penalty VALUES ${rowsSql('NOW(6) - INTERVAL 1 DAY').replace(/INTERVAL '(\d+)' SECOND/g, "INTERVAL '$1.123456' SECOND_MICROSECOND")}`);
  await scenario(t, {
    admin: (sql) => server.admin(sql),
    source: { kind: 'mysql', host: server.host, port: server.port, database: server.database, user: server.readOnlyUser },
    secret: server.readOnlyPassword,
  });
});
