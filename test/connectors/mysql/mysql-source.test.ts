/**
 * What only MySQL/MariaDB can get wrong, against a real MariaDB (one server
 * for the file, reused by every subtest; each subtest has its own tables).
 * The behaviour every database shares is in conformance.test.ts.
 */
import t, { type Test } from 'tap';
import { unreadableValue, type CursorPosition, type Row, type Source } from '../../../connectors/contract.js';
import { createMysqlSource } from '../../../connectors/mysql/index.js';
import { MysqlDriver } from '../../../connectors/mysql/mysql-driver.js';
import type { MysqlSourceOptions } from '../../../connectors/options.js';
import { RUN_ON_SESSION, type SqlSource } from '../../../connectors/sql/sql-source.js';
import { startMariadb, type MariadbServer } from '../../helpers/mariadb.js';

const server = await startMariadb(t);

function source(overrides: Partial<MysqlSourceOptions> = {}): Source {
  return createMysqlSource({
    kind: 'mysql',
    name: 'biz',
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.readOnlyUser,
    password: server.readOnlyPassword,
    timeZone: 'Asia/Shanghai',
    ...overrides,
  });
}

async function opened(t: Test, overrides: Partial<MysqlSourceOptions> = {}): Promise<Source> {
  const s = source(overrides);
  await s.open();
  t.teardown(() => s.close());
  return s;
}

/** Every row of a query in keyset pages, as a job would read them. */
async function readAll(s: Source, query: string, cursorColumns: string[], limit: number, from: CursorPosition | null = null): Promise<Row[]> {
  const rows: Row[] = [];
  let after = from;
  for (;;) {
    const page = await s.readPage({ query, cursorColumns, after, limit });
    rows.push(...page);
    if (page.length < limit) return rows;
    const last = page[page.length - 1]!;
    after = cursorColumns.map((c) => last[c] ?? null);
  }
}

/** Waits until the server lists a statement of the read-only account as running. */
async function running(s: MariadbServer, fragment: string): Promise<number> {
  for (;;) {
    const rows = await s.admin<{ id: string }>(
      "SELECT id FROM information_schema.PROCESSLIST WHERE user = ? AND command = 'Query' AND info LIKE ?",
      [s.readOnlyUser, `%${fragment}%`],
    );
    if (rows.length > 0) return Number(rows[0]!.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A job query that keeps MariaDB busy for minutes: a join of two 100 000-row sequences on a condition no index can serve. */
const SLOW_QUERY = 'SELECT a.seq AS id FROM seq_1_to_100000 a JOIN seq_1_to_100000 b ON a.seq + b.seq = 0';

t.test('the session is read-only: the database refuses a write even from an account that may write', async (t) => {
  await server.admin('CREATE TABLE ro_check (id INT PRIMARY KEY)');
  const s = (await opened(t, { user: server.adminUser, password: server.adminPassword })) as SqlSource;
  await t.rejects(s[RUN_ON_SESSION]('INSERT INTO ro_check VALUES (1)'), { code: 'SOURCE_STATEMENT_REFUSED', message: /READ ONLY/ });
  t.same(await server.admin('SELECT * FROM ro_check'), [], 'nothing written');
  await t.rejects(s.readPage({ query: 'SELECT * FROM ro_check; DELETE FROM ro_check', cursorColumns: ['id'], after: null, limit: 1 }), {
    code: 'SOURCE_STATEMENT_REFUSED',
  });
});

t.test('facts: the server clock in UTC, its version and zone, and whether the account can write', async (t) => {
  const before = (await server.admin<{ now: string }>('SELECT UTC_TIMESTAMP(6) AS now'))[0]!.now;
  const facts = await (await opened(t)).facts();
  const after = (await server.admin<{ now: string }>('SELECT UTC_TIMESTAMP(6) AS now'))[0]!.now;
  t.match(facts.now, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const iso = (naive: string) => `${naive.slice(0, 10)}T${naive.slice(11, 23)}Z`;
  t.ok(iso(before) <= facts.now && facts.now <= iso(after), "the database's UTC clock, not the session's or the gateway's zone");
  t.equal(facts.serverVersion, server.version);
  t.equal(facts.timeZone, '+08:00', "time_zone=SYSTEM is reported as the system zone's offset");
  t.equal(facts.canWrite, false, 'credit_ro has SELECT only');

  t.equal((await (await opened(t, { user: server.adminUser, password: server.adminPassword })).facts()).canWrite, true, 'the admin can write');

  await server.admin('CREATE TABLE grants_check (id INT PRIMARY KEY, note VARCHAR(10))');
  await server.admin("CREATE USER 'clerk'@'%' IDENTIFIED BY 'clerk-pw'");
  await server.admin("GRANT SELECT ON biz.* TO 'clerk'@'%'");
  await server.admin("GRANT UPDATE (note) ON biz.grants_check TO 'clerk'@'%'");
  t.equal((await (await opened(t, { user: 'clerk', password: 'clerk-pw' })).facts()).canWrite, true, 'a column-level UPDATE is a write');

  await server.admin("SET GLOBAL time_zone = '-03:30'");
  t.teardown(() => server.admin("SET GLOBAL time_zone = 'SYSTEM'"));
  t.equal((await (await opened(t)).facts()).timeZone, '-03:30', 'a set zone is reported as the server names it');
});

t.test('DATETIME is read in the configured zone, TIMESTAMP is an instant whatever the server zone', async (t) => {
  await server.admin('CREATE TABLE stamps (id INT PRIMARY KEY, dt DATETIME(3), ts TIMESTAMP(3) NULL)');
  // The admin's session has the server's zone (SYSTEM = Asia/Shanghai), as the department's application would.
  await server.admin("INSERT INTO stamps VALUES (1, '2026-03-01 08:00:00.250', '2026-03-01 08:00:00.250')");
  await server.admin('INSERT INTO stamps VALUES (2, NOW(3), NOW(3))');
  const query = 'SELECT id, dt, ts FROM stamps';
  const rows = await (await opened(t)).readPage({ query, cursorColumns: ['id'], after: null, limit: 10 });
  t.same(rows[0], { id: 1, dt: '2026-03-01T00:00:00.250Z', ts: '2026-03-01T00:00:00.250Z' });
  t.equal(rows[1]!.dt, rows[1]!.ts, 'NOW() stored as DATETIME and as TIMESTAMP is one instant');

  const misconfigured = await (await opened(t, { timeZone: 'UTC' })).readPage({ query, cursorColumns: ['id'], after: null, limit: 10 });
  t.same(misconfigured[0], { id: 1, dt: '2026-03-01T08:00:00.250Z', ts: '2026-03-01T00:00:00.250Z' }, 'a wrong zone moves DATETIME only: hence the zone warning');
});

t.test('a DATETIME cursor is bound back as wall-clock time: paging and the `through` bound meet the rows exactly', async (t) => {
  await server.admin('CREATE TABLE changes (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, KEY (updated_at, id))');
  // Ten rows a second, three distinct milliseconds in each: ties on the timestamp are broken by id.
  const values = Array.from({ length: 30 }, (_, i) => `(${i + 1}, '2026-05-01 09:00:0${Math.floor(i / 10)}.00${i % 3}000')`);
  await server.admin(`INSERT INTO changes VALUES ${values.join(', ')}`);
  const s = await opened(t);
  const query = 'SELECT id, updated_at FROM changes';
  for (const limit of [1, 4, 7, 100]) {
    const ids = (await readAll(s, query, ['updated_at', 'id'], limit)).map((r) => r.id);
    t.same([...ids].sort((a, b) => Number(a) - Number(b)), Array.from({ length: 30 }, (_, i) => i + 1), `every row once with pages of ${limit}`);
  }
  const through = await s.readPage({ query, cursorColumns: ['updated_at', 'id'], after: null, through: '2026-05-01T01:00:01.000Z', limit: 100 });
  t.same(
    through.map((r) => r.id).sort((a, b) => Number(a) - Number(b)),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 16, 19],
    'through 09:00:01.000 Shanghai time, inclusive: all of the first second and the .000 rows of the next',
  );
});

t.test('microseconds in one millisecond, out of id order: each row once in true order, and after a restart nothing skipped', async (t) => {
  await server.admin('CREATE TABLE micro (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL)');
  await server.admin("INSERT INTO micro VALUES (1, '2026-01-01 00:00:00.000000'), (2, '2026-01-01 00:00:00.000001'), (3, '2026-01-01 00:00:00.000000'), (4, '2026-01-01 00:00:00.002000')");
  const query = 'SELECT id, ts FROM micro';
  const s = await opened(t);
  t.same((await readAll(s, query, ['ts', 'id'], 1)).map((r) => r.id), [1, 3, 2, 4], 'in true order, each once: the cursor is bound as the server wrote it');

  // A restart after the first page: the stored cursor has milliseconds only, so rows of that millisecond are read again, never skipped.
  const restarted = await opened(t);
  const stored: CursorPosition = ['2025-12-31T16:00:00.000Z', 1]; // row 1, 00:00:00.000000 Shanghai time, as the store keeps it
  const rest = await readAll(restarted, query, ['ts', 'id'], 1, stored);
  t.same(rest.map((r) => r.id), [3, 2, 4], 'after a restart on row 1: the rest, in true order, and the read ends');
});

t.test('exact numbers as cursors: BIGINT beyond 2^53 and long DECIMALs are compared exactly', async (t) => {
  await server.admin('CREATE TABLE big_keys (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(32,10) NOT NULL)');
  await server.admin(`INSERT INTO big_keys VALUES
    (9007199254740991, '1234567890123456789012.0000000001'),
    (9007199254740992, '1234567890123456789012.0000000002'),
    (9007199254740993, '1234567890123456789012.0000000003'),
    (9007199254740994, '1234567890123456789012.0000000004'),
    (18446744073709551615, '-0.5000000000')`);
  const s = await opened(t);
  const byId = await readAll(s, 'SELECT id, amount FROM big_keys', ['id'], 1);
  t.same(byId.map((r) => r.id), [9007199254740991, '9007199254740992', '9007199254740993', '9007199254740994', '18446744073709551615']);
  const byAmount = await readAll(s, 'SELECT id, amount FROM big_keys', ['amount'], 1);
  t.same(byAmount.map((r) => r.amount), [
    '-0.5000000000',
    '1234567890123456789012.0000000001',
    '1234567890123456789012.0000000002',
    '1234567890123456789012.0000000003',
    '1234567890123456789012.0000000004',
  ], 'one page per row: none skipped, none repeated');
});

t.test('zero dates read as null, and a cursor standing on one moves on', async (t) => {
  await server.admin(`CREATE TABLE legacy (id INT PRIMARY KEY, changed DATETIME NOT NULL, born DATE NULL)`);
  await server.admin(
    "SET STATEMENT sql_mode = '' FOR INSERT INTO legacy VALUES (1, '0000-00-00 00:00:00', '0000-00-00'), (2, '0000-00-00 00:00:00', '2026-00-10'), (3, '2026-01-01 08:00:00', '1990-05-04'), (4, '2026-01-01 08:00:00', NULL)",
  );
  const s = await opened(t);
  for (const limit of [1, 2, 10]) {
    const rows = await readAll(s, 'SELECT * FROM legacy', ['changed', 'id'], limit);
    t.same(rows, [
      { id: 1, changed: null, born: null },
      { id: 2, changed: null, born: null },
      { id: 3, changed: '2026-01-01T00:00:00.000Z', born: '1990-05-04' },
      { id: 4, changed: '2026-01-01T00:00:00.000Z', born: null },
    ], `pages of ${limit}`);
  }
});

t.test('values MySQL hands over in its own shapes', async (t) => {
  await server.admin(`CREATE TABLE shapes (id INT PRIMARY KEY, flag TINYINT(1), bits BIT(1), code CHAR(6), doc JSON, body LONGTEXT,
    kind ENUM('许可', '处罚'), photo BLOB)`);
  const body = '信用'.repeat(1_500_000); // 9 MB of UTF-8: read whole, not cut at a buffer size
  await server.admin("INSERT INTO shapes VALUES (1, 1, b'0', 'A1  ', '{\"amount\": 1.10}', ?, '处罚', 'x')", [body]);
  const s = await opened(t);
  const [row] = await s.readPage({ query: 'SELECT id, flag, bits, code, doc, body, kind FROM shapes', cursorColumns: ['id'], after: null, limit: 1 });
  t.same({ ...row, body: undefined }, { id: 1, flag: true, bits: false, code: 'A1', doc: '{"amount": 1.10}', body: undefined, kind: '处罚' });
  t.equal(row!.body, body, 'LONGTEXT whole');

  const [photo] = await s.readPage({ query: 'SELECT id, photo FROM shapes', cursorColumns: ['id'], after: null, limit: 1 });
  t.equal(photo!.photo, null, 'bytes are never passed on');
  t.match(unreadableValue(photo!, 'photo'), { code: 'SOURCE_BINARY_COLUMN', detail: /photo/ }, 'the row carries the binary value marked unreadable, naming the column');
  t.same(await s.readPage({ query: 'SELECT id, HEX(photo) AS photo FROM shapes', cursorColumns: ['id'], after: null, limit: 1 }), [{ id: 1, photo: '78' }], 'converted in SQL, it is text');
  await t.rejects(s.readPage({ query: 'SELECT a.id, b.id FROM shapes a JOIN shapes b ON a.id = b.id', cursorColumns: ['id'], after: null, limit: 1 }), {
    code: 'SOURCE_QUERY_FAILED',
    message: /Duplicate column name 'id'/,
  }, 'two columns of one name: refused, never one value silently replacing the other');
  await t.rejects(s.readPage({ query: 'SELECT id, code AS `__proto__` FROM shapes', cursorColumns: ['id'], after: null, limit: 1 }), {
    code: 'SOURCE_QUERY_FAILED',
    message: /column named __proto__.*another name in the query/,
  }, 'a column the driver cannot return is the query to change, not a lost connection');
  const again = await opened(t);
  t.same(await again.readPage({ query: 'SELECT id, code AS proto_value FROM shapes', cursorColumns: ['id'], after: null, limit: 1 }), [{ id: 1, proto_value: 'A1' }], 'named otherwise, it reads');
});

t.test('a wide table: every one of 40 columns in its order, on every row', async (t) => {
  const names = ['id', ...Array.from({ length: 39 }, (_, i) => `c${i + 1}`)];
  await server.admin(`CREATE TABLE wide (id INT PRIMARY KEY, ${names.slice(1).map((n) => `\`${n}\` VARCHAR(20)`).join(', ')})`);
  await server.admin(`INSERT INTO wide VALUES ${[1, 2, 3].map((id) => `(${id}, ${names.slice(1).map((n) => `'${n}-${id}'`).join(', ')})`).join(', ')}`);
  const s = await opened(t);
  const rows = await readAll(s, 'SELECT * FROM wide', ['id'], 2);
  t.equal(rows.length, 3);
  for (const [i, row] of rows.entries()) {
    t.same(Object.keys(row), names, `row ${i + 1}: the columns in the table's order`);
    t.same(Object.values(row), [i + 1, ...names.slice(1).map((n) => `${n}-${i + 1}`)], `row ${i + 1}: each column's own value`);
  }
});

t.test('a statement past queryTimeoutMs is cancelled on the server, and the session stays usable', async (t) => {
  const s = await opened(t, { queryTimeoutMs: 1000 });
  await t.rejects(s.readPage({ query: SLOW_QUERY, cursorColumns: ['id'], after: null, limit: 1 }), { code: 'SOURCE_QUERY_TIMEOUT' });
  const left = await server.admin("SELECT id FROM information_schema.PROCESSLIST WHERE user = ? AND info LIKE '%seq_1_to_100000%'", [server.readOnlyUser]);
  t.same(left, [], 'no statement of the gateway is left running on the server');
  t.same((await s.facts()).canWrite, false, 'the same session answers the next statement');
});

t.test('without any server-side limit (MySQL before 5.7.8, a statement the hint does not reach), the driver cancels a late statement with KILL QUERY', async (t) => {
  const driver = new MysqlDriver({
    host: server.host, port: server.port, database: server.database, user: server.readOnlyUser, password: server.readOnlyPassword, connectTimeoutMs: 5000,
  });
  const connection = await driver.connect();
  t.teardown(() => connection.close());
  await t.rejects(connection.query('SELECT SLEEP(600) AS s', [], { timeoutMs: 300 }), { code: 'SOURCE_QUERY_TIMEOUT', message: /cancelled after 300 ms/ });
  t.same(await server.admin("SELECT id FROM information_schema.PROCESSLIST WHERE user = ? AND info LIKE '%SLEEP(600)%'", [server.readOnlyUser]), [], 'killed on the server');

  const abort = new AbortController();
  const reading = connection.query('SELECT SLEEP(600) AS s', [], { timeoutMs: 600_000, signal: abort.signal });
  reading.catch(() => undefined);
  await running(server, 'SLEEP(600)');
  abort.abort();
  await t.rejects(reading, { code: 'SOURCE_QUERY_TIMEOUT', message: /aborted/ }, 'an abort signal cancels the same way');
  t.same((await connection.query('SELECT 1 AS one', [], { timeoutMs: 5000 })).rows, [{ one: 1 }], 'the session is still usable');
});

t.test('a wrong password is SOURCE_UNAVAILABLE, and the message names the account but never the password', async (t) => {
  const wrong = source({ password: 'not-the-password-42' });
  const err = (await wrong.open().then(() => null, (e: unknown) => e)) as { code: string; message: string };
  t.match(err, { code: 'SOURCE_UNAVAILABLE', message: /credit_ro@127\.0\.0\.1:\d+\/biz: ER_ACCESS_DENIED_ERROR/ });
  t.notMatch(err.message, /not-the-password-42/);
  t.notMatch(err.message, new RegExp(server.readOnlyPassword));
  await wrong.close();
});

// Kills the server: keep these last, the subtests above share it.
t.test('a server killed between two pages: the read fails with a code, a fresh open resumes from the cursor', async (t) => {
  await server.admin('CREATE TABLE resume (id INT PRIMARY KEY, updated_at DATETIME NOT NULL)');
  const values = Array.from({ length: 25 }, (_, i) => `(${i + 1}, '2026-02-0${1 + Math.floor(i / 10)} 10:00:00')`);
  await server.admin(`INSERT INTO resume VALUES ${values.join(', ')}`);
  const query = 'SELECT id, updated_at FROM resume';
  const s = await opened(t);
  const first = await s.readPage({ query, cursorColumns: ['updated_at', 'id'], after: null, limit: 10 });
  const last = first[first.length - 1]!;
  const cursor = [last.updated_at!, last.id!];

  await server.crash();
  await t.rejects(s.readPage({ query, cursorColumns: ['updated_at', 'id'], after: cursor, limit: 10 }), { code: 'SOURCE_CONNECTION_LOST' });
  await t.rejects(s.open(), { code: 'SOURCE_UNAVAILABLE' }, 'while it is down, opening says so');

  await server.start();
  await s.open();
  const rest = await readAll(s, query, ['updated_at', 'id'], 10, cursor);
  t.same([...first, ...rest].map((r) => r.id), Array.from({ length: 25 }, (_, i) => i + 1), 'every row exactly once across the restart');
});

t.test('a server killed in the middle of a statement: the statement fails with a code, not a hang', async (t) => {
  const s = await opened(t, { queryTimeoutMs: 600_000 });
  const reading = s.readPage({ query: SLOW_QUERY, cursorColumns: ['id'], after: null, limit: 1 });
  reading.catch(() => undefined);
  await running(server, 'seq_1_to_100000');
  await server.crash();
  await t.rejects(reading, { code: 'SOURCE_CONNECTION_LOST' });
  await server.start();
  await s.open();
  t.equal((await s.facts()).canWrite, false, 'usable again after open');
});

t.test('an idle connection the server drops: the next read reports it, the gateway process lives on, open reconnects', async (t) => {
  const s = await opened(t);
  await s.facts();
  const [{ id }] = (await server.admin<{ id: string }>('SELECT id FROM information_schema.PROCESSLIST WHERE user = ?', [server.readOnlyUser])) as [{ id: string }];
  await server.admin(`KILL CONNECTION ${Number(id)}`);
  await t.rejects(s.facts(), { code: 'SOURCE_CONNECTION_LOST' });
  await s.open();
  t.equal((await s.facts()).canWrite, false);
});
