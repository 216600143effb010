import pg from 'pg';
import t from 'tap';
import type { Row, Source, Value } from '../../../connectors/contract.js';
import { createPostgresSource } from '../../../connectors/postgres/index.js';
import { PostgresDriver } from '../../../connectors/postgres/postgres-driver.js';
import { postgresSourceOptions, startPostgres, type PostgresServer } from '../../helpers/postgres.js';

const server = await startPostgres(t);
await server.admin(`CREATE TABLE t_r (id int4 PRIMARY KEY, updated_at timestamp(3) NOT NULL);
  INSERT INTO t_r SELECT i, '2026-01-01'::timestamp + i * interval '1 minute' FROM generate_series(1, 20) AS i;`);

const QUERY = 'SELECT id, updated_at FROM t_r';
const CURSOR = ['updated_at', 'id'];
const ALL_IDS = Array.from({ length: 20 }, (_, i) => i + 1);

function source(name: string, overrides: Parameters<typeof postgresSourceOptions>[1] = {}): Source {
  const s = createPostgresSource(postgresSourceOptions(server, { name, ...overrides }));
  t.teardown(() => s.close());
  return s;
}

const page = (s: Source, after: Value[] | null, limit = 5) => s.readPage({ query: QUERY, cursorColumns: CURSOR, after, limit });
const cursorOf = (rows: Row[]): Value[] => CURSOR.map((c) => rows[rows.length - 1]![c]!);

async function readRest(s: Source, after: Value[] | null): Promise<Row[]> {
  const rows: Row[] = [];
  for (;;) {
    const next = await page(s, after);
    rows.push(...next);
    if (next.length < 5) return rows;
    after = cursorOf(next);
  }
}

/** The source's backend, found by the application_name it logs in with. */
async function backend(name: string, state?: 'waiting on a lock'): Promise<number> {
  for (;;) {
    const rows = await server.admin<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 ${state ? "AND wait_event_type = 'Lock'" : ''}`,
      [`credit-gateway ${name}`],
    );
    if (rows.length === 1) return rows[0]!.pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function gone(pid: number): Promise<void> {
  while ((await server.admin('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An admin session holding an exclusive lock on t_r, so a read waits on the server for as long as the test likes. */
async function lockTable(s: PostgresServer): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ host: s.host, port: s.port, user: s.adminUser, database: s.database });
  client.on('error', () => undefined); // a restart ends this session too
  await client.connect();
  await client.query('BEGIN; LOCK TABLE t_r IN ACCESS EXCLUSIVE MODE');
  return { release: () => client.end().catch(() => undefined) };
}

t.test('the session shows itself to the DBA by application_name, read-only', async (t) => {
  const s = source('visible');
  await s.open();
  const pid = await backend('visible');
  const [row] = await server.admin<{ usename: string }>('SELECT usename FROM pg_stat_activity WHERE pid = $1', [pid]);
  t.equal(row!.usename, server.readOnlyUser);
});

t.test('a backend terminated mid-read is a lost connection; a fresh open resumes from the cursor', async (t) => {
  const s = source('terminated', { queryTimeoutMs: 60_000 });
  await s.open();
  const first = await page(s, null);
  const lock = await lockTable(server);
  const reading = page(s, cursorOf(first));
  reading.catch(() => undefined); // judged below, once the server has acted
  const pid = await backend('terminated', 'waiting on a lock');
  await server.admin('SELECT pg_terminate_backend($1)', [pid]);
  await t.rejects(reading, { code: 'SOURCE_CONNECTION_LOST', message: /57P01/ });
  await lock.release();
  await s.open();
  const rest = await readRest(s, cursorOf(first));
  t.same([...first, ...rest].map((r) => r.id), ALL_IDS, 'every row once: none skipped, none repeated');
});

t.test('a backend terminated between pages: the next read reports it, the one after reconnects', async (t) => {
  const s = source('idle-kill');
  await s.open();
  const first = await page(s, null);
  const pid = await backend('idle-kill');
  await server.admin('SELECT pg_terminate_backend($1)', [pid]);
  await gone(pid);
  await t.rejects(page(s, cursorOf(first)), { code: 'SOURCE_CONNECTION_LOST' });
  const rest = await readRest(s, cursorOf(first));
  t.same([...first, ...rest].map((r) => r.id), ALL_IDS);
});

t.test('a lock held by DDL gives up after lock_timeout as a timeout, and the session stays usable', async (t) => {
  const s = source('locked', { queryTimeoutMs: 400 });
  await s.open();
  const lock = await lockTable(server);
  await t.rejects(page(s, null), { code: 'SOURCE_QUERY_TIMEOUT', message: /55P03/ });
  await lock.release();
  t.equal((await page(s, null)).length, 5, 'the same session reads again');
});

t.test('a statement past queryTimeoutMs is cancelled on the server as a timeout', async (t) => {
  const s = source('slow', { queryTimeoutMs: 300 });
  await s.open();
  await t.rejects(
    s.readPage({ query: 'SELECT count(*) AS n, 1 AS id FROM generate_series(1, 100000) a, generate_series(1, 100000) b', cursorColumns: ['id'], after: null, limit: 1 }),
    { code: 'SOURCE_QUERY_TIMEOUT', message: /57014/ },
  );
  const pid = await backend('slow');
  // The backend reports itself idle just after it has answered: wait for that, not for a time.
  while ((await server.admin('SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = $2', [pid, 'active'])).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.pass('nothing left running on the server');
  t.equal((await page(s, null)).length, 5);
});

t.test('a server that stops answering (backend frozen) is given up as lost, and the next read reconnects', async (t) => {
  const s = source('frozen', { queryTimeoutMs: 300 });
  await s.open();
  const first = await page(s, null);
  const pid = await backend('frozen');
  process.kill(pid, 'SIGSTOP');
  try {
    await t.rejects(page(s, cursorOf(first)), { code: 'SOURCE_CONNECTION_LOST', message: /no answer/ });
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await gone(pid);
  const rest = await readRest(s, cursorOf(first));
  t.same([...first, ...rest].map((r) => r.id), ALL_IDS);
});

t.test('a server restart mid-read: the waiting read is lost, the next one reconnects and resumes', async (t) => {
  const s = source('restart', { queryTimeoutMs: 60_000 });
  await s.open();
  const first = await page(s, null);
  const lock = await lockTable(server);
  const reading = page(s, cursorOf(first));
  reading.catch(() => undefined); // judged below, once the server has acted
  await backend('restart', 'waiting on a lock');
  await server.restart();
  // The shutdown ends the lock holder and the waiting reader in an order the
  // server chooses: the read either is cut off or completes just before its
  // session goes. Either way nothing may be lost.
  const outcome = await reading.then(() => 'completed', (err: { code?: string }) => err.code);
  t.ok(outcome === 'completed' || outcome === 'SOURCE_CONNECTION_LOST', `the waiting read ended as ${outcome}`);
  await lock.release().catch(() => undefined);
  let rest;
  try {
    rest = await readRest(s, cursorOf(first));
  } catch (err) {
    t.equal((err as { code?: string }).code, 'SOURCE_CONNECTION_LOST', 'a session that died with the server is reported once');
    rest = await readRest(s, cursorOf(first));
  }
  t.same([...first, ...rest].map((r) => r.id), ALL_IDS);
});

t.test('a server that is down is unavailable with the reason; once it is back the source reads on', async (t) => {
  const s = source('down', { connectTimeoutMs: 2000 });
  await s.open();
  const first = await page(s, null);
  await server.stop();
  await t.rejects(page(s, cursorOf(first)), { code: 'SOURCE_CONNECTION_LOST' }, 'the open session breaks');
  await t.rejects(page(s, cursorOf(first)), { code: 'SOURCE_UNAVAILABLE', message: /ECONNREFUSED/ }, 'and no new one can be made');
  await t.rejects(source('down-fresh').open(), { code: 'SOURCE_UNAVAILABLE' });
  await server.restart();
  const rest = await readRest(s, cursorOf(first));
  t.same([...first, ...rest].map((r) => r.id), ALL_IDS);
});

t.test('the driver: a per-query limit and an abort both stop the statement on the server', async (t) => {
  const driver = new PostgresDriver({
    host: server.host, port: server.port, database: server.database, user: server.readOnlyUser, password: '',
    applicationName: 'credit-gateway driver', connectTimeoutMs: 5000, queryTimeoutMs: 60_000,
  });
  const connection = await driver.connect();
  t.teardown(() => connection.close());
  const slow = 'SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b';
  await t.rejects(connection.query(slow, [], { timeoutMs: 300 }), { code: 'SOURCE_QUERY_TIMEOUT', message: /statement timeout/ });
  const abort = new AbortController();
  // Its own marker: the statement cancelled above may still be listed as active for a moment.
  const marked = slow.replace('SELECT', 'SELECT /* abort-me */');
  const reading = connection.query(marked, [], { timeoutMs: 60_000, signal: abort.signal });
  reading.catch(() => undefined);
  await backendRunning('credit-gateway driver', 'abort-me');
  abort.abort();
  await t.rejects(reading, { code: 'SOURCE_QUERY_TIMEOUT', message: /cancelled: 57014 canceling statement due to user request/ });
  t.same((await connection.query('SELECT 1 AS one', [], { timeoutMs: 1000 })).rows, [{ one: 1 }], 'the connection reads on');
});

async function backendRunning(applicationName: string, running: string): Promise<void> {
  const sql = "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND strpos(query, $2) > 0";
  while ((await server.admin(sql, [applicationName, running])).length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
