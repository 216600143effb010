import t from 'tap';
import { createMysqlDialect, mysqlSessionSql, quoteMysqlIdentifier } from '../../../connectors/mysql/mysql-dialect.js';

const dialect = createMysqlDialect({ queryTimeoutMs: 30_000 });
const query = 'SELECT id, updated_at, name FROM t_penalty;';

t.test('identifiers are backquoted, a backquote doubled, a NUL refused', async (t) => {
  t.equal(quoteMysqlIdentifier('updated_at'), '`updated_at`');
  t.equal(quoteMysqlIdentifier('处罚决定书文号'), '`处罚决定书文号`');
  t.equal(quoteMysqlIdentifier('a`b'), '`a``b`');
  t.throws(() => quoteMysqlIdentifier('a\0b'));
  t.equal(dialect.placeholder(3), '?');
});

t.test('the first page: no cursor yet, NULL cursors left out, ordered by the keyset, a limit, the server-side time limit', async (t) => {
  const page = dialect.pageSql({ query, cursorColumns: ['updated_at', 'id'], after: null, limit: 500 });
  t.equal(
    page.sql,
    'SELECT /*+ MAX_EXECUTION_TIME(30000) */ * FROM (\nSELECT id, updated_at, name FROM t_penalty\n) AS q ' +
      'WHERE `updated_at` IS NOT NULL AND `id` IS NOT NULL ORDER BY `updated_at`, `id` LIMIT 500',
  );
  t.same(page.params, []);
  t.notMatch(page.sql, /OFFSET/i);
});

t.test('a later page continues strictly after the cursor, ties on the timestamp broken by id', async (t) => {
  const page = dialect.pageSql({ query, cursorColumns: ['updated_at', 'id'], after: ['2026-01-01 08:00:00.000', 7], limit: 100 });
  t.equal(
    page.sql,
    'SELECT /*+ MAX_EXECUTION_TIME(30000) */ * FROM (\nSELECT id, updated_at, name FROM t_penalty\n) AS q ' +
      'WHERE `updated_at` IS NOT NULL AND `id` IS NOT NULL ' +
      'AND ((`updated_at` > ?) OR (`updated_at` = ? AND `id` > ?)) ORDER BY `updated_at`, `id` LIMIT 100',
  );
  t.same(page.params, ['2026-01-01 08:00:00.000', '2026-01-01 08:00:00.000', 7]);
});

t.test('an incremental page stops at `through` on the first cursor column', async (t) => {
  const page = dialect.pageSql({ query, cursorColumns: ['updated_at', 'id'], after: ['2026-01-01 08:00:00.000', 7], through: '2026-01-02 07:59:00.000', limit: 100 });
  t.match(page.sql, /AND \(\(`updated_at` > \?\) OR \(`updated_at` = \? AND `id` > \?\)\) AND `updated_at` <= \? ORDER BY/);
  t.same(page.params, ['2026-01-01 08:00:00.000', '2026-01-01 08:00:00.000', 7, '2026-01-02 07:59:00.000']);

  const first = dialect.pageSql({ query, cursorColumns: ['updated_at'], after: null, through: '2026-01-02 07:59:00.000', limit: 10 });
  t.match(first.sql, /WHERE `updated_at` IS NOT NULL AND `updated_at` <= \? ORDER BY `updated_at` LIMIT 10$/);
  t.same(first.params, ['2026-01-02 07:59:00.000']);
});

t.test("the job query's trailing semicolon and comment cannot break out of the derived table", async (t) => {
  const page = dialect.pageSql({ query: 'SELECT * FROM t -- all of it', cursorColumns: ['id'], after: null, limit: 1 });
  t.match(page.sql, /\(\nSELECT \* FROM t -- all of it\n\) AS q/);
});

t.test('column metadata comes from a zero-row query', async (t) => {
  t.same(dialect.columnsSql(query), { sql: 'SELECT * FROM (\nSELECT id, updated_at, name FROM t_penalty\n) AS q WHERE 1 = 0', params: [] });
});

t.test('the NULL count tests every cursor column', async (t) => {
  t.same(dialect.nullCountSql(query, ['updated_at', 'id']), {
    sql: 'SELECT /*+ MAX_EXECUTION_TIME(30000) */ COUNT(*) AS n FROM (\nSELECT id, updated_at, name FROM t_penalty\n) AS q WHERE `updated_at` IS NULL OR `id` IS NULL',
    params: [],
  });
});

t.test("the clock is the server's UTC clock, never the session's local time", async (t) => {
  t.equal(dialect.clockSql(), 'SELECT UTC_TIMESTAMP(6) AS now');
});

t.test('facts: version, the zone the department sessions get, and any write privilege of this account', async (t) => {
  const facts = dialect.factsSql();
  t.equal(facts.version, 'SELECT VERSION() AS version');
  t.match(facts.timeZone, /@@global\.time_zone/);
  t.match(facts.timeZone, /CONVERT_TZ\(UTC_TIMESTAMP\(\), '\+00:00', 'SYSTEM'\)/, "SYSTEM is reported as the system zone's offset");
  const canWrite = facts.canWrite!;
  for (const view of ['USER_PRIVILEGES', 'SCHEMA_PRIVILEGES', 'TABLE_PRIVILEGES', 'COLUMN_PRIVILEGES']) {
    t.match(canWrite, `information_schema.${view} p WHERE p.GRANTEE = CONCAT(`, `${view} of this account`);
  }
  t.match(canWrite, /PRIVILEGE_TYPE IN \('INSERT', 'UPDATE', 'DELETE', /);
  t.match(canWrite, /TABLE_SCHEMA NOT IN \('information_schema', 'performance_schema'\)/);
  t.match(canWrite, /CURRENT_USER\(\)/, 'the matched account, not the login name');
  t.match(canWrite, /^SELECT EXISTS \(.*\) AS can_write$/s);
});

t.test('the session: read-only first, then UTC for TIMESTAMP, a pinned sql_mode, lock and statement limits', async (t) => {
  const session = mysqlSessionSql(30_000);
  t.same(dialect.sessionSql({ queryTimeoutMs: 30_000 }), session);
  t.equal(session[0], 'SET SESSION TRANSACTION READ ONLY');
  t.equal(
    session[1],
    "SET SESSION time_zone = '+00:00', SESSION sql_mode = TRIM(BOTH ',' FROM " +
      "REPLACE(REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','), ',PAD_CHAR_TO_FULL_LENGTH,', ',')), " +
      'SESSION lock_wait_timeout = 30 /*M!100108 , SESSION max_statement_time = 30.000 */',
  );
  t.match(mysqlSessionSql(1500)[1], /lock_wait_timeout = 2 \/\*M!100108 , SESSION max_statement_time = 1\.500 \*\/$/, 'whole seconds, rounded up');
  t.equal(session.length, 2);
});

t.test('open transactions: running statements first (a plain SELECT cannot write), then transactions with rows written, both in UTC', async (t) => {
  const spec = createMysqlDialect({ queryTimeoutMs: 1000 }).openTransactionsSql!();
  const [running, trx] = spec.statements as [string, string];
  t.equal(spec.statements.length, 2);
  t.match(running, /FROM information_schema\.PROCESSLIST p WHERE p\.ID <> CONNECTION_ID\(\)/);
  t.match(running, /UTC_TIMESTAMP\(6\) - INTERVAL \(COALESCE\(p\.TIME, 0\) \+ 1\) SECOND/, 'TIME is whole seconds elapsed: the start is at worst a second further back');
  t.match(running, /NOT REGEXP '\^\[\[:space:\]\]\*SELECT\[\[:space:\]\]'/);
  t.match(running, /MAX\(p\.USER = 'system user'\) AS replica/);
  t.match(trx, /MIN\(CONVERT_TZ\(t\.trx_started, 'SYSTEM', '\+00:00'\)\) - INTERVAL 1 SECOND AS oldest/, 'trx_started is in the system zone, in whole seconds');
  t.match(trx, /t\.trx_mysql_thread_id <> CONNECTION_ID\(\) AND t\.trx_rows_modified > 0/);
  t.equal(spec.privilege, 'PROCESS');
});
