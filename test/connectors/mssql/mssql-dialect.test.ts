import t from 'tap';
import { mssqlDialect, mssqlSessionSql, quoteMssqlIdentifier } from '../../../connectors/mssql/mssql-dialect.js';
import { mssqlDerivedTable } from '../../../connectors/mssql/mssql-query-text.js';
import { mssqlParam } from '../../../connectors/mssql/mssql-types.js';

t.test('identifiers are bracketed with a closing bracket doubled, case and odd characters kept', async (t) => {
  t.equal(quoteMssqlIdentifier('updated_at'), '[updated_at]');
  t.equal(quoteMssqlIdentifier('UpdatedAt'), '[UpdatedAt]');
  t.equal(quoteMssqlIdentifier('a]b'), '[a]]b]');
  t.equal(quoteMssqlIdentifier('a[b'), '[a[b]', 'an opening bracket needs no escape');
  t.equal(quoteMssqlIdentifier('处罚 日期'), '[处罚 日期]');
  t.equal(quoteMssqlIdentifier("it's"), "[it's]");
  t.throws(() => quoteMssqlIdentifier('a\0b'), 'a NUL would end the statement text');
});

t.test('placeholders are @p1, @p2 …', async (t) => {
  t.equal(mssqlDialect.placeholder(1), '@p1');
  t.equal(mssqlDialect.placeholder(12), '@p12');
});

t.test('the first page: TOP (@pN) over the job query as a derived table, NULL cursors left out, ordered by the cursor', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM dbo.t_xzcf; -- all penalties', cursorColumns: ['updated_at', 'id'], after: null, limit: 500 });
  t.equal(
    page.sql,
    'SELECT TOP (@p1) * FROM (\nSELECT * FROM dbo.t_xzcf\n) AS q WHERE [updated_at] IS NOT NULL AND [id] IS NOT NULL ORDER BY [updated_at], [id]',
  );
  t.same(page.params, [mssqlParam('Int', 500)], 'the row limit is bound, so every page size shares one plan');
});

t.test('later pages: the keyset OR-chain after the last row, composite cursor, never OFFSET', async (t) => {
  const at = mssqlParam('DateTime2', new Date(Date.UTC(2026, 0, 1, 12)), { scale: 7 });
  const id = mssqlParam('BigInt', '7');
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at', 'id'], after: [at, id], limit: 100 });
  t.equal(
    page.sql,
    'SELECT TOP (@p4) * FROM (\nSELECT * FROM t\n) AS q WHERE [updated_at] IS NOT NULL AND [id] IS NOT NULL ' +
      'AND (([updated_at] > @p1) OR ([updated_at] = @p2 AND [id] > @p3)) ORDER BY [updated_at], [id]',
  );
  t.same(page.params, [at, at, id, mssqlParam('Int', 100)], 'each cursor value keeps the type it was converted to');
  t.notMatch(page.sql, /OFFSET|FETCH/i);
});

t.test('three cursor columns chain their ties column by column', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['a', 'b', 'c'], after: [1, 2, 3], limit: 10 });
  t.match(page.sql, /AND \(\(\[a\] > @p1\) OR \(\[a\] = @p2 AND \[b\] > @p3\) OR \(\[a\] = @p4 AND \[b\] = @p5 AND \[c\] > @p6\)\) ORDER BY \[a\], \[b\], \[c\]$/);
  t.same(page.params.slice(0, 6), [1, 1, 2, 1, 2, 3]);
  t.match(page.sql, /^SELECT TOP \(@p7\) /);
});

t.test('an incremental page stops at the through bound on the first cursor column', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at', 'id'], after: ['a', 1], through: 'b', limit: 10 });
  t.match(page.sql, / AND \[updated_at\] <= @p4 ORDER BY \[updated_at\], \[id\]$/);
  t.same(page.params, ['a', 'a', 1, 'b', mssqlParam('Int', 10)]);
  const first = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['u'], after: null, through: 'b', limit: 10 });
  t.equal(first.sql, 'SELECT TOP (@p2) * FROM (\nSELECT * FROM t\n) AS q WHERE [u] IS NOT NULL AND [u] <= @p1 ORDER BY [u]');
});

t.test('odd cursor column names are quoted wherever they appear', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['更新 时间]'], after: ['x'], limit: 1 });
  t.equal(page.sql, 'SELECT TOP (@p2) * FROM (\nSELECT * FROM t\n) AS q WHERE [更新 时间]]] IS NOT NULL AND (([更新 时间]]] > @p1)) ORDER BY [更新 时间]]]');
});

t.test('a page limit that is not a positive integer is refused before any SQL is written', async (t) => {
  t.throws(() => mssqlDialect.pageSql({ query: 'SELECT 1 AS a', cursorColumns: ['a'], after: null, limit: 0 }));
  t.throws(() => mssqlDialect.pageSql({ query: 'SELECT 1 AS a', cursorColumns: ['a'], after: null, limit: 2.5 }));
});

t.test('a job query with CTEs: the WITH list goes in front of the paging statement, which T-SQL requires', async (t) => {
  const query = 'WITH recent AS (SELECT * FROM t WHERE y > 2020), named (id, n) AS (SELECT id, name FROM recent)\nSELECT * FROM named';
  const page = mssqlDialect.pageSql({ query, cursorColumns: ['id'], after: [5], limit: 50 });
  t.equal(
    page.sql,
    'WITH recent AS (SELECT * FROM t WHERE y > 2020), named (id, n) AS (SELECT id, name FROM recent)\n' +
      'SELECT TOP (@p2) * FROM (\nSELECT * FROM named\n) AS q WHERE [id] IS NOT NULL AND (([id] > @p1)) ORDER BY [id]',
  );
  t.equal(mssqlDialect.columnsSql(query).sql, 'WITH recent AS (SELECT * FROM t WHERE y > 2020), named (id, n) AS (SELECT id, name FROM recent)\nSELECT TOP (0) * FROM (\nSELECT * FROM named\n) AS q');
});

t.test('a trailing ORDER BY is dropped (error 1033 in a derived table) unless TOP, OFFSET or FOR XML gives it a meaning', async (t) => {
  t.same(mssqlDerivedTable('SELECT * FROM t ORDER BY id DESC;'), { ctes: '', body: '\nSELECT * FROM t\n' });
  t.same(mssqlDerivedTable('SELECT TOP 10 * FROM t ORDER BY id DESC'), { ctes: '', body: '\nSELECT TOP 10 * FROM t ORDER BY id DESC\n' });
  t.same(mssqlDerivedTable('SELECT * FROM t ORDER BY id OFFSET 5 ROWS'), { ctes: '', body: '\nSELECT * FROM t ORDER BY id OFFSET 5 ROWS\n' });
  t.same(
    mssqlDerivedTable('SELECT a, (SELECT TOP 1 b FROM u ORDER BY b) AS b FROM t'),
    { ctes: '', body: '\nSELECT a, (SELECT TOP 1 b FROM u ORDER BY b) AS b FROM t\n' },
    'an ORDER BY inside a subquery is not the query\'s own',
  );
  t.same(mssqlDerivedTable("SELECT 'ORDER BY x' AS [order by] FROM t"), { ctes: '', body: "\nSELECT 'ORDER BY x' AS [order by] FROM t\n" }, 'words in strings and brackets are not code');
  t.same(mssqlDerivedTable('WITH a AS (SELECT * FROM t ORDER BY x OFFSET 0 ROWS) SELECT * FROM a ORDER BY id'), {
    ctes: 'WITH a AS (SELECT * FROM t ORDER BY x OFFSET 0 ROWS)\n',
    body: '\nSELECT * FROM a\n',
  });
});

t.test('a query that only looks like it starts with WITH is left whole', async (t) => {
  t.same(mssqlDerivedTable('SELECT * FROM t WITH (NOLOCK)'), { ctes: '', body: '\nSELECT * FROM t WITH (NOLOCK)\n' });
  t.same(mssqlDerivedTable('WITH XMLNAMESPACES (\'urn:x\' AS x) SELECT * FROM t'), { ctes: "WITH XMLNAMESPACES ('urn:x' AS x)\n", body: '\nSELECT * FROM t\n' });
});

t.test('column metadata comes from TOP (0) over the job query', async (t) => {
  t.same(mssqlDialect.columnsSql('SELECT a FROM t'), { sql: 'SELECT TOP (0) * FROM (\nSELECT a FROM t\n) AS q', params: [] });
});

t.test('NULL cursor rows are counted with COUNT_BIG over the job query', async (t) => {
  t.same(mssqlDialect.nullCountSql('SELECT * FROM t', ['updated_at', 'id']), {
    sql: 'SELECT COUNT_BIG(*) AS n FROM (\nSELECT * FROM t\n) AS q WHERE [updated_at] IS NULL OR [id] IS NULL',
    params: [],
  });
});

t.test('the clock is the server\'s UTC time, never its local time', async (t) => {
  t.equal(mssqlDialect.clockSql(), 'SELECT SYSUTCDATETIME() AS now');
});

t.test('facts: the first line of @@VERSION, the zone by name where the server has CURRENT_TIMEZONE(), write permissions', async (t) => {
  const facts = mssqlDialect.factsSql();
  t.equal(facts.version, 'SELECT RTRIM(LEFT(@@VERSION, CHARINDEX(CHAR(10), @@VERSION + CHAR(10)) - 1)) AS version');
  t.match(facts.timeZone, /DECLARE @tz NVARCHAR\(256\) = DATENAME\(TZOFFSET, SYSDATETIMEOFFSET\(\)\);/, 'the offset first: every version has it');
  t.match(facts.timeZone, /BEGIN TRY\s+EXEC sp_executesql N'SELECT @tz = CURRENT_TIMEZONE\(\)'/, 'then the name, compiled only where it exists');
  t.match(facts.timeZone, /SELECT @tz AS time_zone$/);
  t.match(facts.canWrite, /IS_ROLEMEMBER\('db_datawriter'\) = 1/);
  t.match(facts.canWrite, /HAS_PERMS_BY_NAME\(DB_NAME\(\), N'DATABASE', N'INSERT'\) = 1/);
  t.match(facts.canWrite, /FROM sys\.tables AS t WHERE HAS_PERMS_BY_NAME\(QUOTENAME\(SCHEMA_NAME\(t\.schema_id\)\) \+ N'\.' \+ QUOTENAME\(t\.name\), N'OBJECT', N'INSERT'\) = 1 OR .*N'UPDATE'.* OR .*N'DELETE'\) = 1\)/);
  t.match(facts.canWrite, /THEN 1 ELSE 0 END AS can_write$/);
});

t.test('the session: READ COMMITTED and a lock timeout no longer than the statement timeout (at most 10 s)', async (t) => {
  t.same(mssqlSessionSql(30_000), ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'SET LOCK_TIMEOUT 10000']);
  t.same(mssqlSessionSql(2_500), ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'SET LOCK_TIMEOUT 2500']);
  t.same(mssqlDialect.sessionSql({ queryTimeoutMs: 0 }), ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'SET LOCK_TIMEOUT 1'], 'never 0, which would mean "do not wait at all" … nor -1, "wait for ever"');
});
