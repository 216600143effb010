/**
 * SQL Server 2012+ as a SqlDialect: the SQL it is sent, nothing else. Pure.
 *
 * Paging is `SELECT TOP (@pN) * FROM (<query>) AS q WHERE <keyset> ORDER BY
 * <cursor>`: TOP with an ORDER BY is a plain top-N on the cursor's index,
 * understood by every version since 2005; no page is an OFFSET query, not
 * even `OFFSET 0 ROWS FETCH NEXT`.
 *
 * SQL Server has no read-only session. The session is pinned to READ
 * COMMITTED (never REPEATABLE READ or SERIALIZABLE, which would keep shared
 * locks on the department's rows) with a lock timeout (a read queued behind
 * an open write fails with SOURCE_QUERY_TIMEOUT and is retried on the next
 * run, instead of waiting and blocking what queues behind it; a database with
 * READ_COMMITTED_SNAPSHOT ON never makes readers wait). The driver connects
 * with ApplicationIntent=ReadOnly, which routes to a readable secondary of an
 * availability group and is ignored elsewhere. What really keeps the gateway
 * read-only is the account: grant it SELECT only (db_datareader, or per
 * table). facts().canWrite reports when it can write, so the status page can
 * say so.
 */
import type { Value } from '../contract.js';
import type { ColumnMeta, CursorContext, NormaliseContext, OpenTransactionsSql, PageSqlRequest, SqlDialect, SqlText, WindowSqlRequest } from '../sql/dialect.js';
import { checkedLimit, pageParts, type SqlWriter } from '../sql/page-sql.js';
import { mssqlDerivedTable } from './mssql-query-text.js';
import { isMssqlParam, mssqlCursorParam, mssqlParam, needsExactText, normaliseMssqlValue } from './mssql-types.js';

export function quoteMssqlIdentifier(name: string): string {
  // A NUL cannot be in an identifier and would end the statement text early.
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return `[${name.replace(/]/g, ']]')}]`;
}

const writer: SqlWriter = { kind: 'mssql', quoteIdentifier: quoteMssqlIdentifier, placeholder: (index) => `@p${index}` };

/** CURRENT_TIMEZONE() exists from SQL Server 2022 (and in Azure SQL): asked through sp_executesql so older servers, which cannot even compile it, fall back to the offset. */
const TIME_ZONE_SQL = `DECLARE @tz NVARCHAR(256) = DATENAME(TZOFFSET, SYSDATETIMEOFFSET());
BEGIN TRY
  EXEC sp_executesql N'SELECT @tz = CURRENT_TIMEZONE()', N'@tz NVARCHAR(256) OUTPUT', @tz = @tz OUTPUT;
END TRY
BEGIN CATCH
END CATCH;
SELECT @tz AS time_zone`;

const TABLE_PERMISSION = (permission: string) =>
  `HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(t.schema_id)) + N'.' + QUOTENAME(t.name), N'OBJECT', N'${permission}') = 1`;

/** Any way the login can change data in this database: server or database roles, database-wide grants, or a grant on any table it can see. */
const CAN_WRITE_SQL = `SELECT CASE WHEN IS_SRVROLEMEMBER('sysadmin') = 1
  OR IS_ROLEMEMBER('db_owner') = 1 OR IS_ROLEMEMBER('db_datawriter') = 1 OR IS_ROLEMEMBER('db_ddladmin') = 1
  OR HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'INSERT') = 1
  OR HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'UPDATE') = 1
  OR HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'DELETE') = 1
  OR EXISTS (SELECT 1 FROM sys.tables AS t WHERE ${['INSERT', 'UPDATE', 'DELETE'].map(TABLE_PERMISSION).join(' OR ')})
  THEN 1 ELSE 0 END AS can_write`;

/** The values in the order page-sql.ts places them: per cursor column, the equalities before it and its own; then `through`. */
function placedValues(request: WindowSqlRequest): unknown[] {
  const keyset = request.after ? request.after.flatMap((value, i) => [...request.after!.slice(0, i), value]) : [];
  return request.through === undefined ? keyset : [...keyset, request.through];
}

/**
 * TOP (@pN) in front, where LIMIT would go at the end; the row limit is bound
 * so every page of every size shares one plan. CTEs are lifted in front of
 * the statement (see mssql-query-text.ts). Cursor columns are named through
 * the alias q: the driver may replace `*` with a list that converts a column
 * under its own name (see exactSelectList), and an unqualified ORDER BY would
 * then sort by the converted text. A decimal cursor value is bound as text
 * and CAST to the column's type in SQL, every digit kept.
 */
function pageSql(request: PageSqlRequest): SqlText {
  const { ctes, parts } = windowParts(request);
  const params = [...parts.params, mssqlParam('Int', checkedLimit(request.limit))];
  return {
    sql: `${ctes}SELECT TOP (${writer.placeholder(params.length)}) * FROM ${parts.from} WHERE ${parts.where} ORDER BY ${parts.orderBy}`,
    params,
  };
}

/** The page's FROM and WHERE, CTEs lifted, cursor values placed (and CAST) as pageSql places them. */
function windowParts(request: WindowSqlRequest) {
  const { ctes, body } = mssqlDerivedTable(request.query);
  const values = placedValues(request);
  const page: SqlWriter = {
    ...writer,
    quoteIdentifier: (name) => `q.${quoteMssqlIdentifier(name)}`,
    placeholder: (index) => {
      const value = values[index - 1];
      return isMssqlParam(value) && value.cast ? `CAST(${writer.placeholder(index)} AS ${value.cast})` : writer.placeholder(index);
    },
  };
  return { ctes, parts: pageParts(page, { ...request, query: body }) };
}

/** Every row the window's pages return: COUNT_BIG, as COUNT(*) is an INT and fails past 2^31 rows. */
function countSql(request: WindowSqlRequest): SqlText {
  const { ctes, parts } = windowParts(request);
  return { sql: `${ctes}SELECT COUNT_BIG(*) AS n FROM ${parts.from} WHERE ${parts.where}`, params: parts.params };
}

/**
 * The select list that reads the exact numerics tedious cannot (more than 15
 * significant digits: see mssql-types.ts) as SQL Server's own text of them,
 * every digit kept: `q.[id], CONVERT(VARCHAR(48), q.[amount]) AS [amount]`.
 * MONEY in style 2: four decimals, no thousands separators. Null when no
 * column needs it, so the page keeps its `*`.
 */
export function exactSelectList(columns: ColumnMeta[]): string | null {
  if (!columns.some(needsExactText)) return null;
  return columns
    .map((column) => {
      const name = quoteMssqlIdentifier(column.name);
      if (!needsExactText(column)) return `q.${name}`;
      const style = column.type === 'MONEY' || column.type === 'SMALLMONEY' ? ', 2' : '';
      return `CONVERT(VARCHAR(48), q.${name}${style}) AS ${name}`;
    })
    .join(', ');
}

/** `SELECT <list> FROM (<job query>) AS q`, CTEs lifted in front. */
function selectFromJobQuery(list: string, query: string): string {
  const { ctes, body } = mssqlDerivedTable(query);
  return `${ctes}SELECT ${list} FROM (${body}) AS q`;
}

/**
 * The oldest transaction open on the server, for the read bound
 * (SqlSource.openTransactions): every session's transaction, explicit or the
 * one an autocommit statement runs in, except this session's and the
 * engine's own (type 2, system). SYSDATETIME() and GETDATE() are taken when
 * the statement starts, inside its transaction. transaction_begin_time is a
 * DATETIME (1/300 s) in the server's local time: moved to UTC by the
 * server's current offset, less 1 s for its precision and for the moment
 * between a statement's start and its transaction's.
 *
 * The DMVs need VIEW SERVER STATE (SQL Server 2022: VIEW SERVER PERFORMANCE
 * STATE also shows them; the check asks for the older name); without it they
 * refuse, or show this session only, which `hidden` catches. A readable
 * secondary (database READ_ONLY) applies the primary's rows with the
 * primary's stamps.
 */
const OPEN_TRANSACTIONS_SQL = `SELECT DATEADD(second, -1, DATEADD(minute, -DATEPART(TZOFFSET, SYSDATETIMEOFFSET()), MIN(a.transaction_begin_time))) AS oldest,
  CASE WHEN HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW SERVER STATE') = 1 THEN 0 ELSE 1 END AS hidden,
  CASE WHEN CAST(DATABASEPROPERTYEX(DB_NAME(), 'Updateability') AS NVARCHAR(20)) = N'READ_ONLY' THEN 1 ELSE 0 END AS replica
  FROM sys.dm_tran_session_transactions s JOIN sys.dm_tran_active_transactions a ON a.transaction_id = s.transaction_id
  WHERE s.session_id <> @@SPID AND a.transaction_type <> 2`;

export const MSSQL_OPEN_TRANSACTIONS: OpenTransactionsSql = {
  statements: [OPEN_TRANSACTIONS_SQL],
  how: 'sys.dm_tran_active_transactions',
  privilege: 'VIEW SERVER STATE',
  denied: /VIEW SERVER (PERFORMANCE )?STATE|permission was denied/i,
};

export const mssqlDialect: SqlDialect = {
  kind: 'mssql',

  quoteIdentifier: quoteMssqlIdentifier,

  placeholder: writer.placeholder,

  pageSql,

  columnsSql: (query) => ({ sql: selectFromJobQuery('TOP (0) *', query), params: [] }),

  // SYSUTCDATETIME(): the server's clock in UTC with 100 ns digits; GETDATE() would be its local time.
  clockSql: () => 'SELECT SYSUTCDATETIME() AS now',

  factsSql: () => ({
    // The first line of @@VERSION: product, release, build and platform; the rest is the build date and OS.
    version: 'SELECT RTRIM(LEFT(@@VERSION, CHARINDEX(CHAR(10), @@VERSION + CHAR(10)) - 1)) AS version',
    timeZone: TIME_ZONE_SQL,
    canWrite: CAN_WRITE_SQL,
  }),

  countSql,

  tablesSql: () => ({
    sql: 'SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = SCHEMA_NAME() ORDER BY TABLE_NAME',
    params: [],
  }),

  tableColumnsSql: (table) => ({
    sql: `SELECT c.COLUMN_NAME AS column_name, c.DATA_TYPE AS data_type,
      CASE WHEN EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc
        JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
        WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY' AND tc.TABLE_SCHEMA = c.TABLE_SCHEMA AND tc.TABLE_NAME = c.TABLE_NAME AND k.COLUMN_NAME = c.COLUMN_NAME)
      THEN 1 ELSE 0 END AS is_key
      FROM INFORMATION_SCHEMA.COLUMNS c WHERE c.TABLE_SCHEMA = SCHEMA_NAME() AND c.TABLE_NAME = @p1 ORDER BY c.ORDINAL_POSITION`,
    params: [table],
  }),

  nullCountSql: (query, cursorColumns) => {
    const test = cursorColumns.map((c) => `${quoteMssqlIdentifier(c)} IS NULL`).join(' OR ');
    // COUNT_BIG: COUNT(*) is an INT and fails past 2^31 rows.
    return { sql: `${selectFromJobQuery('COUNT_BIG(*) AS n', query)} WHERE ${test}`, params: [] };
  },

  openTransactionsSql: () => MSSQL_OPEN_TRANSACTIONS,

  sessionSql: ({ queryTimeoutMs }) => mssqlSessionSql(queryTimeoutMs),

  naiveTime: (column) => ['DATETIME', 'DATETIME2', 'SMALLDATETIME'].includes(column.type.toUpperCase()),

  normalise: (value: unknown, context: NormaliseContext): Value => normaliseMssqlValue(value, context),

  cursorParam: (value: Value, context: CursorContext): unknown => mssqlCursorParam(value, context),
};

/**
 * READ COMMITTED, so a database whose default is REPEATABLE READ or
 * SERIALIZABLE never holds our shared locks to the end of a statement batch;
 * a lock timeout, so a read queued behind a long write fails (error 1222)
 * instead of waiting, and blocking what queues behind it. The statement
 * timeout itself is the driver's (tedious cancels the request on the server).
 */
export function mssqlSessionSql(queryTimeoutMs: number): string[] {
  const ms = Math.max(1, Math.floor(queryTimeoutMs));
  return ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', `SET LOCK_TIMEOUT ${Math.min(ms, 10_000)}`];
}
