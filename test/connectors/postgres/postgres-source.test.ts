import t from 'tap';
import { unreadableValue, type Row, type Source, type Value } from '../../../connectors/contract.js';
import { createPostgresSource } from '../../../connectors/postgres/index.js';
import { RUN_ON_SESSION, type SqlSource } from '../../../connectors/sql/sql-source.js';
import { postgresSourceOptions, startPostgres } from '../../helpers/postgres.js';

// One server for the whole file; its own TimeZone is Asia/Shanghai, like a department's.
const server = await startPostgres(t);

await server.admin(`
  CREATE TABLE t_values (
    id int4 PRIMARY KEY, updated_at timestamp(3) NOT NULL, happened timestamptz, amount numeric(14,2), ratio numeric,
    big int8, flag boolean, day date, valid_until date, code char(6), name varchar(50), note text, doc jsonb, tags text[],
    photo bytea
  );
  INSERT INTO t_values VALUES
    (1, '2026-01-01 08:00:00.123', '2026-01-01 08:00:00.123456+08', 12.5, 0.1, 9007199254740993, true, '2026-03-01', 'infinity',
     'AB', 'x  ', repeat('长', 300000), '{"b": 1.10, "a": [1]}', '{"a,b",NULL}', NULL),
    (2, '2026-01-01 08:00:00.123', '2026-06-30 23:59:59.999999+00', -0.005, 12345678901234567890.123456789, -1, false, '1999-12-31', NULL,
     NULL, NULL, NULL, NULL, NULL, '\\x0102');
  CREATE TABLE t_ties (id int4 PRIMARY KEY, updated_at timestamp(3) NOT NULL);
  INSERT INTO t_ties SELECT i, '2026-01-01 00:00:00'::timestamp + (i / 5) * interval '1 second' FROM generate_series(1, 23) AS i;
`);

function source(overrides: Parameters<typeof postgresSourceOptions>[1] = {}): Source {
  const s = createPostgresSource(postgresSourceOptions(server, overrides));
  t.teardown(() => s.close());
  return s;
}

async function readAll(s: Source, query: string, cursorColumns: string[], limit: number): Promise<Row[]> {
  const all: Row[] = [];
  let after: Value[] | null = null;
  for (;;) {
    const page = await s.readPage({ query, cursorColumns, after, limit });
    all.push(...page);
    if (page.length < limit) return all;
    const last = page[page.length - 1]!;
    after = cursorColumns.map((c) => last[c]!);
  }
}

t.test('every value type reads as the contract says, whatever the server and gateway zones', async (t) => {
  const s = source();
  await s.open();
  const [one, two] = await s.readPage({ query: 'SELECT id, updated_at, happened, amount, ratio, big, flag, day, valid_until, code, name, note, doc, tags FROM t_values', cursorColumns: ['id'], after: null, limit: 10 });
  t.same(
    { ...one, note: undefined },
    {
      id: 1,
      updated_at: '2026-01-01T00:00:00.123Z', // naive, written in Asia/Shanghai
      happened: '2026-01-01T00:00:00.123Z', // an instant, µs truncated
      amount: '12.50',
      ratio: '0.1',
      big: '9007199254740993',
      flag: true,
      day: '2026-03-01',
      valid_until: null, // 'infinity': no end date to send
      code: 'AB',
      name: 'x  ',
      note: undefined,
      doc: '{"a": [1], "b": 1.10}',
      tags: '["a,b",null]',
    },
  );
  t.equal(one!.note, '长'.repeat(300000), 'large text is read whole');
  t.same(
    { happened: two!.happened, amount: two!.amount, ratio: two!.ratio, big: two!.big, flag: two!.flag },
    { happened: '2026-06-30T23:59:59.999Z', amount: '-0.01', ratio: '12345678901234567890.123456789', big: -1, flag: false },
    '.999999 truncates, never rounds into the next day; numeric(14,2) stores -0.005 rounded by the database itself',
  );
});

t.test('a binary column is refused with its name; encoded in SQL it reads', async (t) => {
  const s = source();
  await s.open();
  const raw = await s.readPage({ query: 'SELECT id, photo FROM t_values', cursorColumns: ['id'], after: null, limit: 10 });
  t.same(raw.map((r) => r.photo), [null, null], 'bytes are never passed on');
  t.match(unreadableValue(raw[1]!, 'photo'), { code: 'SOURCE_BINARY_COLUMN', detail: /photo \(bytea\)/ }, 'the row with bytes carries them marked unreadable, naming the column');
  const rows = await s.readPage({ query: "SELECT id, encode(photo, 'base64') AS photo FROM t_values", cursorColumns: ['id'], after: null, limit: 10 });
  t.same(rows.map((r) => r.photo), [null, 'AQI=']);
});

t.test('keyset pages read every row once, ties on the timestamp broken by id, at every page size', async (t) => {
  const s = source();
  await s.open();
  for (const limit of [1, 4, 5, 7, 23, 100]) {
    const rows = await readAll(s, 'SELECT id, updated_at FROM t_ties', ['updated_at', 'id'], limit);
    t.same(rows.map((r) => r.id), Array.from({ length: 23 }, (_, i) => i + 1), `page size ${limit}`);
  }
});

t.test('timestamptz is an instant and timestamp a wall clock, under a non-UTC server zone and another process zone', async (t) => {
  await server.admin(`CREATE TABLE t_zones (id int4 PRIMARY KEY, zoned timestamptz, naive timestamp(3));
    ALTER ROLE ${server.readOnlyUser} SET TimeZone = 'America/New_York';`);
  t.teardown(() => server.admin(`ALTER ROLE ${server.readOnlyUser} RESET TimeZone`));
  // Written by an application whose session runs in Asia/Shanghai, as the department's would.
  await server.admin(`SET TimeZone = 'Asia/Shanghai'; INSERT INTO t_zones VALUES (1, '2026-07-01 08:00:00', '2026-07-01 08:00:00')`);
  const processZone = process.env.TZ;
  process.env.TZ = 'America/Los_Angeles';
  t.teardown(() => {
    if (processZone === undefined) delete process.env.TZ;
    else process.env.TZ = processZone;
  });
  const shanghai = source({ timeZone: 'Asia/Shanghai' });
  await shanghai.open();
  t.same(await shanghai.readPage({ query: 'SELECT * FROM t_zones', cursorColumns: ['id'], after: null, limit: 10 }), [
    { id: 1, zoned: '2026-07-01T00:00:00.000Z', naive: '2026-07-01T00:00:00.000Z' },
  ]);
  t.equal((await shanghai.facts()).timeZone, 'America/New_York', 'facts name the zone the role sessions get, not the gateway UTC session');
  const utc = source({ timeZone: 'UTC' });
  await utc.open();
  t.same(
    await utc.readPage({ query: 'SELECT * FROM t_zones', cursorColumns: ['id'], after: null, limit: 10 }),
    [{ id: 1, zoned: '2026-07-01T00:00:00.000Z', naive: '2026-07-01T08:00:00.000Z' }],
    'only the naive column follows the configured zone',
  );
});

t.test('a naive timestamp cursor goes back as the wall clock of the configured zone', async (t) => {
  const s = source({ timeZone: 'Asia/Shanghai' });
  await s.open();
  const page = await s.readPage({
    query: 'SELECT id, updated_at FROM t_ties',
    cursorColumns: ['updated_at', 'id'],
    after: ['2025-12-31T16:00:01.000Z', 7], // 2026-01-01 00:00:01 in Shanghai
    through: '2025-12-31T16:00:02.000Z',
    limit: 100,
  });
  t.same(page.map((r) => r.id), [8, 9, 10, 11, 12, 13, 14]);
});

t.test('the session is read-only: a write refused even where the account could write', async (t) => {
  await server.admin('CREATE TABLE t_guarded (id int4); INSERT INTO t_guarded VALUES (1)');
  const s = source({ user: server.adminUser }) as SqlSource; // a superuser: only the session stands in the way
  await s.open();
  await t.rejects(s[RUN_ON_SESSION]('INSERT INTO t_guarded VALUES (2)'), { code: 'SOURCE_STATEMENT_REFUSED', message: /25006/ });
  await t.rejects(s[RUN_ON_SESSION]('WITH gone AS (DELETE FROM t_guarded RETURNING id) SELECT id FROM gone'), { code: 'SOURCE_STATEMENT_REFUSED' },
    'a data-modifying CTE is refused by the session even if it slipped past the statement guard');
  await t.rejects(s[RUN_ON_SESSION]('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; DELETE FROM t_guarded'), 'one statement per call, never a batch');
  await t.rejects(s.readPage({ query: 'WITH gone AS (DELETE FROM t_guarded RETURNING id) SELECT id FROM gone', cursorColumns: ['id'], after: null, limit: 10 }), {
    code: 'SOURCE_STATEMENT_REFUSED',
  });
  t.same(await server.admin('SELECT id FROM t_guarded'), [{ id: 1 }], 'nothing was written');
});

t.test('facts: the database clock, its version, and whether the account can write', async (t) => {
  await server.admin(`CREATE ROLE credit_rw LOGIN; GRANT CONNECT ON DATABASE ${server.database} TO credit_rw;
    GRANT USAGE ON SCHEMA ${server.schema} TO credit_rw; GRANT SELECT, UPDATE ON t_ties TO credit_rw;`);
  const readOnly = source();
  await readOnly.open();
  const [{ before }] = (await server.admin<{ before: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS before`)) as [{ before: string }];
  const facts = await readOnly.facts();
  const [{ after }] = (await server.admin<{ after: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS after`)) as [{ after: string }];
  t.ok(before <= facts.now && facts.now <= after, `the server clock (${before} ≤ ${facts.now} ≤ ${after})`);
  t.match(facts.serverVersion, /^PostgreSQL \d+/);
  t.equal(facts.timeZone, 'Asia/Shanghai');
  t.equal(facts.canWrite, false, 'credit_ro has only SELECT');
  const writable = source({ user: 'credit_rw' });
  await writable.open();
  t.equal((await writable.facts()).canWrite, true, 'UPDATE on one table is enough to warn');
  const superuser = source({ user: server.adminUser });
  await superuser.open();
  t.equal((await superuser.facts()).canWrite, true, 'a superuser can write whatever the grants say');
});

t.test('probe: NULL cursor rows, the cursor column type and its fractional digits', async (t) => {
  await server.admin(`CREATE TABLE t_probe (id int4, at6 timestamp, at0 timestamp(0), tz timestamptz(3));
    INSERT INTO t_probe VALUES (1, now(), now(), now()), (2, NULL, now(), now()), (NULL, NULL, NULL, NULL)`);
  const s = source();
  await s.open();
  t.same(await s.probe('SELECT * FROM t_probe', ['at6', 'id']), { nullCursorRows: 2, columnType: 'timestamp', fractionalDigits: 6, naiveTimeColumns: ['at6', 'at0'] });
  t.same(await s.probe('SELECT * FROM t_probe', ['at0']), { nullCursorRows: 1, columnType: 'timestamp', fractionalDigits: 0, naiveTimeColumns: ['at6', 'at0'] });
  t.same(await s.probe('SELECT * FROM t_probe', ['tz']), { nullCursorRows: 1, columnType: 'timestamptz', fractionalDigits: 3, naiveTimeColumns: ['at6', 'at0'] }, 'timestamptz is an instant: no zone setting moves it');
  await t.rejects(s.probe('SELECT id FROM t_probe', ['updated_at']), { code: 'SOURCE_CURSOR_COLUMN_MISSING' });
});

t.test('rows sharing one microsecond instant beyond a page are all read, and paging moves on', async (t) => {
  // PostgreSQL's now() is the transaction start, with microseconds: one bulk
  // UPDATE gives every row the same instant, finer than the cursor's milliseconds.
  await server.admin(`CREATE TABLE t_bulk (id int4 PRIMARY KEY, updated_at timestamptz NOT NULL);
    INSERT INTO t_bulk SELECT i, '2026-01-01 00:00:00.123456+00' FROM generate_series(1, 30) AS i;
    INSERT INTO t_bulk VALUES (31, '2026-01-01 00:00:01+00'), (32, '2026-01-01 00:00:02+00');`);
  const s = source();
  await s.open();
  const rows = await readAll(s, 'SELECT * FROM t_bulk', ['updated_at', 'id'], 10);
  t.same([...new Set(rows.map((r) => r.id))], Array.from({ length: 32 }, (_, i) => i + 1), 'every row, in order');
});

t.test('a page that ends on an infinite cursor value stops with the reason, never silently short', async (t) => {
  await server.admin(`CREATE TABLE t_inf (id int4 PRIMARY KEY, updated_at timestamp NOT NULL);
    INSERT INTO t_inf VALUES (1, '-infinity'), (2, '-infinity'), (3, '2026-01-01'), (4, 'infinity')`);
  const s = source();
  await s.open();
  const first = await s.readPage({ query: 'SELECT * FROM t_inf', cursorColumns: ['updated_at', 'id'], after: null, limit: 1 });
  t.same(first, [{ id: 1, updated_at: null }], 'the record itself carries null: no date to send');
  await t.rejects(s.readPage({ query: 'SELECT * FROM t_inf', cursorColumns: ['updated_at', 'id'], after: [null, 1], limit: 1 }), {
    code: 'SOURCE_QUERY_FAILED',
    message: /infinity/,
  });
  const filtered = "SELECT * FROM t_inf WHERE updated_at <> 'infinity' AND updated_at <> '-infinity'";
  t.same((await readAll(s, filtered, ['updated_at', 'id'], 1)).map((r) => r.id), [3], 'the remedy the message names works');
});

t.test('types pg does not know (enums, their arrays, domains) read as text', async (t) => {
  await server.admin(`CREATE TYPE mood AS ENUM ('happy', 'sad'); CREATE DOMAIN credit_code AS char(18);
    CREATE TABLE t_custom (id int4, m mood, ms mood[], cc credit_code);
    INSERT INTO t_custom VALUES (1, 'happy', '{happy,sad}', '91420200MA4KXXXX1X')`);
  const s = source();
  await s.open();
  t.same(await s.readPage({ query: 'SELECT * FROM t_custom', cursorColumns: ['id'], after: null, limit: 10 }), [
    { id: 1, m: 'happy', ms: '["happy","sad"]', cc: '91420200MA4KXXXX1X' },
  ]);
});

t.test('two result columns with one name are refused rather than one silently lost', async (t) => {
  const s = source();
  await s.open();
  await t.rejects(s.readPage({ query: 'SELECT a.id, b.id AS "ID2", a.id AS "id" FROM t_ties a JOIN t_ties b USING (id)', cursorColumns: ['ID2'], after: null, limit: 10 }), {
    code: 'SOURCE_QUERY_FAILED',
    message: /"id"/,
  });
});

t.test('password logins: SCRAM-SHA-256 and md5 work, a wrong password is refused without echoing it', async (t) => {
  await server.requirePassword('credit_scram', 'S3cret-scram', 'scram-sha-256');
  await server.requirePassword('credit_md5', 'S3cret-md5', 'md5');
  for (const [user, password] of [['credit_scram', 'S3cret-scram'], ['credit_md5', 'S3cret-md5']] as const) {
    const s = source({ user, password });
    await s.open();
    t.match((await s.facts()).serverVersion, /PostgreSQL/, `${user} logs in`);
    const wrong = source({ user, password: 'Wr0ng-pass' });
    const err = await wrong.open().then(() => null, (e: unknown) => e as Error & { code: string });
    t.equal(err?.code, 'SOURCE_UNAVAILABLE', `${user}: wrong password`);
    t.match(err?.message, /28P01 password authentication failed/);
    t.notMatch(err?.message, /Wr0ng-pass|S3cret/, 'the password is never in the message');
  }
});
