import t from 'tap';
import type { Row, Value } from '../../../connectors/contract.js';
import { ConnectorError } from '../../../connectors/errors.js';
import type { SourceClock } from '../../../connectors/options.js';
import type { ColumnMeta, CursorContext, QueryResult, SqlConnection, SqlDialect, SqlDriver } from '../../../connectors/sql/dialect.js';
import { columnsOnlySql, limitPageSql, nullCountSql, windowCountSql, type SqlWriter } from '../../../connectors/sql/page-sql.js';
import { nextReadAt, waitBeforeRead } from '../../../connectors/sql/pacing.js';
import { SqlSource } from '../../../connectors/sql/sql-source.js';

/**
 * A table of ids 1..n behind a driver that reads the keyset bound and the
 * LIMIT back out of the SQL it is given: enough database to drive SqlSource.
 */
const writer: SqlWriter = { kind: 'sqlite', quoteIdentifier: (n) => `"${n}"`, placeholder: () => '?' };
const ID: ColumnMeta = { name: 'id', type: 'INTEGER' };

function fakeDialect(calls: CursorContext[] = []): SqlDialect {
  return {
    kind: 'sqlite',
    quoteIdentifier: writer.quoteIdentifier,
    placeholder: () => '?',
    pageSql: (r) => limitPageSql(writer, r),
    columnsSql: (q) => columnsOnlySql(writer, q),
    clockSql: () => 'CLOCK',
    tablesSql: () => ({ sql: 'TABLES', params: [] }),
    tableColumnsSql: (table) => ({ sql: 'TABLE COLUMNS', params: [table] }),
    factsSql: () => ({ version: 'VERSION', timeZone: null, canWrite: 'CANWRITE' }),
    countSql: (r) => windowCountSql(writer, r),
    nullCountSql: (q, c) => nullCountSql(writer, q, c),
    sessionSql: () => ['SESSION READ ONLY'],
    normalise: (v) => (typeof v === 'bigint' ? Number(v) : (v as Value)),
    cursorParam: (v, context) => {
      calls.push(context);
      return context.raw ?? v;
    },
  };
}

interface FakeDb {
  rows: number;
  connects: number;
  statements: string[];
  /** Throw this from the next statement that matches. */
  failNext?: { match: RegExp; error: Error };
  clock?: string;
}

function fakeDriver(db: FakeDb): SqlDriver {
  return {
    async connect(): Promise<SqlConnection> {
      db.connects += 1;
      return {
        async query(sql, params): Promise<QueryResult> {
          db.statements.push(sql);
          if (db.failNext && db.failNext.match.test(sql)) {
            const { error } = db.failNext;
            delete db.failNext;
            throw error;
          }
          if (sql === 'CLOCK') return { rows: [{ now: db.clock ?? '2026-11-26 04:00:00.5' }], columns: [{ name: 'now', type: 'DATETIME' }] };
          if (sql === 'VERSION') return { rows: [{ v: 'Fake 1.0' }], columns: [{ name: 'v', type: 'TEXT' }] };
          if (sql === 'CANWRITE') return { rows: [{ w: 'NO' }], columns: [{ name: 'w', type: 'TEXT' }] };
          if (sql.includes('COUNT(*)')) return { rows: [{ n: 3n }], columns: [{ name: 'n', type: 'INTEGER' }] };
          if (sql.includes('WHERE 1 = 0')) return { rows: [], columns: [ID] };
          const limit = Number(/LIMIT (\d+)$/.exec(sql)?.[1] ?? 0);
          const after = params.length > 0 ? Number(params[0]) : 0;
          const rows = [];
          for (let id = after + 1; id <= db.rows && rows.length < limit; id++) rows.push({ id: BigInt(id) });
          return { rows, columns: [ID] };
        },
        async close() {},
      };
    },
  };
}

function fakeClock(): SourceClock & { slept: number[]; at: number } {
  const clock = {
    at: 1_000_000,
    slept: [] as number[],
    now: () => clock.at,
    async sleep(ms: number) {
      clock.slept.push(ms);
      clock.at += ms;
    },
  };
  return clock;
}

function makeSource(db: FakeDb, extra: { rowsPerSecond?: number; clock?: SourceClock; calls?: CursorContext[] } = {}): SqlSource {
  return new SqlSource({
    name: 'biz',
    kind: 'sqlite',
    dialect: fakeDialect(extra.calls),
    driver: fakeDriver(db),
    timeZone: 'Asia/Shanghai',
    pageSize: 10,
    queryTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    ...(extra.rowsPerSecond ? { rowsPerSecond: extra.rowsPerSecond } : {}),
    ...(extra.clock ? { clock: extra.clock } : {}),
  });
}

async function readAll(source: SqlSource, limit: number): Promise<Row[]> {
  const all: Row[] = [];
  let after: Value[] | null = null;
  for (;;) {
    const page = await source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after, limit });
    all.push(...page);
    if (page.length < limit) return all;
    after = [page[page.length - 1]!.id!];
  }
}

const db = (rows = 50): FakeDb => ({ rows, connects: 0, statements: [] });

t.test('the rows-per-second cap paces pages so the average rate stays under it', async (t) => {
  const clock = fakeClock();
  const source = makeSource(db(50), { rowsPerSecond: 20, clock });
  await source.open();
  const started = clock.at;
  const rows = await readAll(source, 10);
  t.equal(rows.length, 50);
  t.same(clock.slept, [500, 500, 500, 500, 500], 'each page of 10 rows waits 10 / 20 s before the next one');
  t.ok(50 / ((clock.at - started) / 1000) <= 20, 'average rate at most 20 rows/s');
  await source.close();
});

t.test('without a cap nothing waits', async (t) => {
  const clock = fakeClock();
  const source = makeSource(db(30), { clock });
  await source.open();
  await readAll(source, 7);
  t.same(clock.slept, []);
  await source.close();
});

t.test('pacing is a pure function: idle time earns no burst', async (t) => {
  t.equal(nextReadAt(0, 1000, 10, 20), 1500);
  t.equal(nextReadAt(1500, 1200, 10, 20), 2000, 'a page that started early is paid from when it could start');
  t.equal(nextReadAt(1500, 60_000, 10, 20), 60_500, 'an hour idle gives no credit');
  t.equal(nextReadAt(1500, 1600, 10, undefined), 1500, 'no cap');
  t.equal(waitBeforeRead(2000, 1500), 500);
  t.equal(waitBeforeRead(2000, 2500), 0);
});

t.test('a lost connection is reported with its code, and the source connects again on the next read', async (t) => {
  const fake = db(5);
  const source = makeSource(fake);
  await source.open();
  fake.failNext = { match: /LIMIT/, error: new ConnectorError('SOURCE_CONNECTION_LOST', 'server closed the connection') };
  await t.rejects(source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 10 }), { code: 'SOURCE_CONNECTION_LOST' });
  t.equal(fake.connects, 1);
  const rows = await source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 10 });
  t.equal(rows.length, 5);
  t.equal(fake.connects, 2, 'a new connection');
  t.equal(fake.statements.filter((s) => s === 'SESSION READ ONLY').length, 2, 'the read-only session is set up again on it');
  await source.close();
});

t.test('a timed-out statement is SOURCE_QUERY_TIMEOUT and the connection is kept', async (t) => {
  const fake = db(5);
  const source = makeSource(fake);
  await source.open();
  fake.failNext = { match: /LIMIT/, error: new ConnectorError('SOURCE_QUERY_TIMEOUT', 'after 1000 ms') };
  await t.rejects(source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 10 }), { code: 'SOURCE_QUERY_TIMEOUT' });
  t.equal((await source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 10 })).length, 5);
  t.equal(fake.connects, 1);
  await source.close();
});

t.test('driver failures get catalogue codes: a failed statement, an unreachable database, a session that cannot be read-only', async (t) => {
  const fake = db(5);
  const source = makeSource(fake);
  await source.open();
  fake.failNext = { match: /LIMIT/, error: new Error('relation "t" does not exist') };
  await t.rejects(source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 10 }), {
    code: 'SOURCE_QUERY_FAILED',
    message: /relation "t" does not exist/,
  });
  await source.close();

  const down = new SqlSource({
    name: 'down', kind: 'sqlite', dialect: fakeDialect(), timeZone: 'UTC', pageSize: 10, queryTimeoutMs: 1000, connectTimeoutMs: 1000,
    driver: { connect: async () => { throw new Error('connect ECONNREFUSED 10.1.2.3:3306'); } },
  });
  await t.rejects(down.open(), { code: 'SOURCE_UNAVAILABLE', message: /ECONNREFUSED/ });

  const writable = db(5);
  writable.failNext = { match: /SESSION READ ONLY/, error: new Error('unknown system variable') };
  const source2 = makeSource(writable);
  await t.rejects(source2.open(), { code: 'SOURCE_UNAVAILABLE', message: /read-only session/ });
  t.notOk(writable.statements.some((s) => s.includes('LIMIT')), 'nothing was read without the read-only session');
});

t.test('a writing statement never reaches the driver', async (t) => {
  const fake = db(5);
  const source = makeSource(fake);
  await source.open();
  for (const query of ['DELETE FROM t', 'SELECT 1; DROP TABLE t', 'SELECT * FROM t FOR UPDATE']) {
    await t.rejects(source.readPage({ query, cursorColumns: ['id'], after: null, limit: 10 }), { code: 'SOURCE_STATEMENT_REFUSED' });
    await t.rejects(source.probe(query, ['id']), { code: 'SOURCE_STATEMENT_REFUSED' });
  }
  t.same(fake.statements, ['SESSION READ ONLY'], 'only the session set-up ran');
  await source.close();
});

t.test('a cursor is bound through the dialect: with the raw value of the row it came from, or, after a restart, from the column type', async (t) => {
  const calls: CursorContext[] = [];
  const fake = db(5);
  const source = makeSource(fake, { calls });
  await source.open();
  const first = await source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 2 });
  await source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: [first[1]!.id!], limit: 2 });
  t.equal(calls[0]!.raw, 2n, 'the raw driver value of the last row read');
  t.same(calls[0]!.column, ID);
  t.equal(calls[0]!.timeZone, 'Asia/Shanghai');
  await source.close();

  const resumed = makeSource(fake, { calls });
  await resumed.open();
  const rows = await resumed.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: [4], limit: 2 });
  t.same(rows, [{ id: 5 }]);
  t.equal(calls[1]!.raw, undefined, 'no raw value after a restart');
  t.same(calls[1]!.column, ID, 'the column type learnt from a zero-row query');
  t.ok(fake.statements.some((s) => s.includes('WHERE 1 = 0')));
  await resumed.close();
});

t.test('facts: the clock normalised as UTC, the version, write permission as a boolean', async (t) => {
  const fake = db(1);
  const source = makeSource(fake);
  await source.open();
  t.same(await source.facts(), { now: '2026-11-26T04:00:00.500Z', serverVersion: 'Fake 1.0', timeZone: null, canWrite: false });
  fake.clock = 'not a time';
  await t.rejects(source.facts(), { code: 'SOURCE_QUERY_FAILED', message: /clock/ });
  await source.close();
});

t.test('probe: NULL cursor rows and the first cursor column as the database describes it', async (t) => {
  const source = makeSource(db(1));
  await source.open();
  t.same(await source.probe('SELECT id FROM t', ['id']), { nullCursorRows: 3, columnType: 'INTEGER', fractionalDigits: null });
  await t.rejects(source.probe('SELECT id FROM t', ['updated_at']), { code: 'SOURCE_CURSOR_COLUMN_MISSING', message: /updated_at/ });
  await source.close();
});

t.test('a source is opened before use, and its options are checked when it is built', async (t) => {
  const source = makeSource(db(1));
  await t.rejects(source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 1 }), { code: 'SOURCE_NOT_OPEN' });
  await source.open();
  await t.rejects(source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 0 }), { code: 'SOURCE_OPTIONS_INVALID' });
  await source.close();
  await t.rejects(source.facts(), { code: 'SOURCE_NOT_OPEN' }, 'closed again');
  t.throws(
    () => new SqlSource({ name: 'x', kind: 'sqlite', dialect: fakeDialect(), driver: fakeDriver(db()), timeZone: 'Beijing', pageSize: 1, queryTimeoutMs: 1, connectTimeoutMs: 1 }),
    { code: 'SOURCE_OPTIONS_INVALID', message: /IANA/ },
  );
});

t.test('statements on one source run one at a time, in call order', async (t) => {
  const fake = db(20);
  const source = makeSource(fake);
  await source.open();
  const reads = [0, 5, 10].map((from) => source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: from ? [from] : null, limit: 5 }));
  const pages = await Promise.all(reads);
  t.same(pages.map((p) => p.map((r) => r.id)), [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]]);
  await source.close();
});

/** A source whose dialect shows open transactions through two statements, answering with the rows given. */
function withOpenTransactions(answers: Record<string, Record<string, unknown> | Error>, kind: 'mysql' | 'sqlite' = 'mysql'): SqlSource {
  const base = fakeDialect();
  const dialect: SqlDialect = {
    ...base,
    openTransactionsSql: () => ({ statements: ['RUNNING', 'TRX'], how: 'innodb_trx', privilege: 'PROCESS', denied: /PROCESS privilege/ }),
  };
  const driver: SqlDriver = {
    async connect() {
      return {
        async query(sql): Promise<QueryResult> {
          const answer = answers[sql];
          if (answer instanceof Error) throw answer;
          if (answer) return { rows: [answer], columns: Object.keys(answer).map((name) => ({ name, type: 'DATETIME' })) };
          return fakeDriver(db()).connect().then((c) => c.query(sql, [], { timeoutMs: 1000 }));
        },
        async close() {},
      };
    },
  };
  return new SqlSource({ name: 'biz', kind, dialect, driver, timeZone: 'Asia/Shanghai', pageSize: 10, queryTimeoutMs: 1000, connectTimeoutMs: 1000 });
}

t.test('open transactions: the earliest start over the dialect\'s statements, read as UTC like the clock', async (t) => {
  const source = withOpenTransactions({
    RUNNING: { oldest: '2026-11-26 03:59:58.250000', replica: 0 },
    TRX: { oldest: '2026-11-26 03:59:57.000000' },
  });
  await source.open();
  t.same(await source.openTransactions(), { visible: true, oldestStart: '2026-11-26T03:59:57.000Z', how: 'innodb_trx' });
});

t.test('open transactions: none open is a visible null; a hidden session, a replica or a refusal is not visible, with the reason', async (t) => {
  const none = withOpenTransactions({ RUNNING: { oldest: null, replica: null }, TRX: { oldest: null } });
  await none.open();
  t.same(await none.openTransactions(), { visible: true, oldestStart: null, how: 'innodb_trx' });

  const hidden = withOpenTransactions({ RUNNING: { oldest: null, hidden: '2' }, TRX: { oldest: null } });
  await hidden.open();
  t.same(await hidden.openTransactions(), { visible: false, oldestStart: null, how: 'innodb_trx', blind: { reason: 'privilege', detail: 'PROCESS' } });

  const replica = withOpenTransactions({ RUNNING: { oldest: '2026-11-26 03:59:58', replica: 1 }, TRX: { oldest: null } });
  await replica.open();
  t.same(await replica.openTransactions(), { visible: false, oldestStart: null, how: 'innodb_trx', blind: { reason: 'replica', detail: 'innodb_trx' } });

  const refused = withOpenTransactions({ RUNNING: { oldest: null }, TRX: new Error('Access denied; you need (at least one of) the PROCESS privilege(s) for this operation') });
  await refused.open();
  t.same(await refused.openTransactions(), { visible: false, oldestStart: null, how: 'innodb_trx', blind: { reason: 'privilege', detail: 'PROCESS' } });
  t.same((await refused.readPage({ query: 'SELECT id FROM t', cursorColumns: ['id'], after: null, limit: 2 })).map((r) => r.id), [1, 2], 'the session reads on');

  const failed = withOpenTransactions({ RUNNING: new Error('Unknown table PROCESSLIST') });
  await failed.open();
  t.match(await failed.openTransactions(), { visible: false, blind: { reason: 'failed', detail: /Unknown table/ } });
});

t.test('open transactions: a dialect without a view of them (SQLite) says so', async (t) => {
  const source = makeSource(db());
  await source.open();
  t.same(await source.openTransactions(), { visible: false, oldestStart: null, how: 'sqlite', blind: { reason: 'unsupported', detail: 'sqlite' } });
});
