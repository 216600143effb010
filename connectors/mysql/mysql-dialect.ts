/**
 * How to write SQL for MySQL (5.6.5+, 5.7, 8) and MariaDB (10.0+). Pure:
 * text in, text out.
 *
 * Each page is one autocommit SELECT in a session made read-only once
 * (SET SESSION TRANSACTION READ ONLY): InnoDB runs such a statement as its
 * own consistent, lock-free read, and marks it read-only so it needs no
 * transaction id. Wrapping each page in START TRANSACTION READ ONLY … COMMIT
 * would add two round trips a page and buy nothing: pages are tied together
 * by the keyset, not by a snapshot, and a snapshot held across pages would
 * only hold back purge on the department's server.
 */
import type { Value } from '../contract.js';
import type { CursorContext, NormaliseContext, OpenTransactionsSql, PageSqlRequest, SqlDialect, SqlText } from '../sql/dialect.js';
import { columnsOnlySql, limitPageSql, nullCountSql, windowCountSql, type SqlWriter } from '../sql/page-sql.js';
import { mysqlCursorParam, normaliseMysqlValue } from './mysql-types.js';

export function quoteMysqlIdentifier(name: string): string {
  // A NUL cannot be in an identifier and would end the statement text early.
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return `\`${name.replace(/`/g, '``')}\``;
}

const writer: SqlWriter = { kind: 'mysql', quoteIdentifier: quoteMysqlIdentifier, placeholder: () => '?' };

/**
 * MySQL 5.7.8+ stops a SELECT that runs past this optimiser hint; older
 * servers and MariaDB read it as a comment (MariaDB's limit is a session
 * variable, see sessionSql). The driver cancels late statements itself; this
 * keeps the server safe even when the gateway is gone.
 */
function withTimeLimit(query: SqlText, queryTimeoutMs: number): SqlText {
  const hint = `/*+ MAX_EXECUTION_TIME(${Math.max(1, Math.floor(queryTimeoutMs))}) */`;
  return { sql: query.sql.replace(/^SELECT /, `SELECT ${hint} `), params: query.params };
}

/**
 * `'user'@'host'`, as information_schema's GRANTEE column spells the
 * account the server matched this login to (CURRENT_USER(), not USER():
 * grants belong to the matched account, e.g. `credit_ro'@'%`).
 */
const GRANTEE = "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";

/** Privileges that change data or schema. ALL PRIVILEGES is listed privilege by privilege in these views. */
const WRITE_PRIVILEGES = [
  'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'INDEX', 'CREATE VIEW', 'TRIGGER',
  'CREATE ROUTINE', 'ALTER ROUTINE', 'EVENT',
];

/**
 * Any write privilege of this account, global, on a schema, a table or a
 * column, except on the server's own virtual schemas. Privileges that come
 * only through a role are not seen (roles differ between MySQL 8 and MariaDB
 * and do not exist in 5.7).
 */
function canWriteSql(): string {
  const privileges = WRITE_PRIVILEGES.map((p) => `'${p}'`).join(', ');
  const mine = (view: string, extra = '') =>
    `SELECT 1 FROM information_schema.${view} p WHERE p.GRANTEE = ${GRANTEE} AND p.PRIVILEGE_TYPE IN (${privileges})${extra}`;
  const notVirtual = " AND p.TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema')";
  return `SELECT EXISTS (${[
    mine('USER_PRIVILEGES'),
    mine('SCHEMA_PRIVILEGES', notVirtual),
    mine('TABLE_PRIVILEGES', notVirtual),
    mine('COLUMN_PRIVILEGES', notVirtual),
  ].join(' UNION ALL ')}) AS can_write`;
}

/**
 * The zone the department's own sessions get. 'SYSTEM' says nothing to
 * compare with, so for it the system zone's current offset is reported
 * ('+08:00'); the session's '+00:00' (sessionSql) is never what is asked.
 */
const TIME_ZONE_SQL =
  'SELECT CASE WHEN @@global.time_zone <> \'SYSTEM\' THEN @@global.time_zone ' +
  "ELSE CONCAT(IF(z.m < 0, '-', '+'), LPAD(ABS(z.m) DIV 60, 2, '0'), ':', LPAD(ABS(z.m) MOD 60, 2, '0')) END AS time_zone " +
  "FROM (SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', 'SYSTEM')) AS m) AS z";

/**
 * What the server shows of other sessions' writes, for the read bound
 * (SqlSource.openTransactions); both views need the PROCESS privilege
 * (without it PROCESSLIST shows only this session and INNODB_TRX is refused).
 *
 * NOW() and CURRENT_TIMESTAMP are the start of the statement, not of the
 * transaction: a transaction that has written nothing yet stamps its later
 * rows later, so only two things can still commit a row stamped in the past:
 * - a statement running now that may write (a plain SELECT cannot), stamped
 *   from its start: TIME is whole seconds elapsed, so the start is at worst
 *   TIME + 1 s ago;
 * - a transaction that has written rows and not committed. trx_started is
 *   whole seconds, in the server's system zone (not the session's), and it
 *   is when InnoDB first saw the transaction, a moment after its first
 *   statement began and took its NOW(): 1 s covers both.
 * Statements first: one that ends between the two queries is then a
 * transaction with rows by the time INNODB_TRX is read. Replication threads
 * ('system user') apply another server's rows, stamped by its clock.
 */
const RUNNING_WRITES_SQL =
  "SELECT MIN(CASE WHEN p.COMMAND IN ('Query', 'Execute') AND (p.INFO IS NULL OR p.INFO NOT REGEXP '^[[:space:]]*SELECT[[:space:]]')" +
  ' THEN UTC_TIMESTAMP(6) - INTERVAL (COALESCE(p.TIME, 0) + 1) SECOND END) AS oldest,' +
  " MAX(p.USER = 'system user') AS replica" +
  ' FROM information_schema.PROCESSLIST p WHERE p.ID <> CONNECTION_ID()';

const OPEN_WRITES_SQL =
  "SELECT MIN(CONVERT_TZ(t.trx_started, 'SYSTEM', '+00:00')) - INTERVAL 1 SECOND AS oldest" +
  ' FROM information_schema.INNODB_TRX t WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND t.trx_rows_modified > 0';

export const MYSQL_OPEN_TRANSACTIONS: OpenTransactionsSql = {
  statements: [RUNNING_WRITES_SQL, OPEN_WRITES_SQL],
  how: 'innodb_trx',
  privilege: 'PROCESS',
  denied: /PROCESS privilege|access denied/i,
};

/**
 * The session every connection runs in, in order:
 * - read-only, so nothing that follows can write (MySQL 5.6.5+, MariaDB 10.0+);
 * - time_zone '+00:00', so TIMESTAMP values (stored as instants) are sent
 *   as UTC whatever the server's zone; DATETIME (naive) is untouched by it
 *   and read in the configured zone by normalise;
 * - sql_mode without NO_BACKSLASH_ESCAPES, so the server lexes the job query
 *   and mysql2's escaped values exactly as the statement guard and the driver
 *   do, and without PAD_CHAR_TO_FULL_LENGTH, so CHAR comes back unpadded;
 * - lock_wait_timeout: a read queued behind DDL (ALTER TABLE waiting for
 *   its metadata lock) gives up with the statement instead of after the
 *   default year;
 * - MariaDB 10.1+: max_statement_time (seconds), inside a MariaDB-only
 *   executable comment that MySQL skips (MySQL gets the optimiser hint).
 */
export function mysqlSessionSql(queryTimeoutMs: number): string[] {
  const ms = Math.max(1, Math.floor(queryTimeoutMs));
  const seconds = (ms / 1000).toFixed(3);
  const dropModes = ['NO_BACKSLASH_ESCAPES', 'PAD_CHAR_TO_FULL_LENGTH'].reduce(
    (mode, name) => `REPLACE(${mode}, ',${name},', ',')`,
    "CONCAT(',', @@SESSION.sql_mode, ',')",
  );
  return [
    'SET SESSION TRANSACTION READ ONLY',
    `SET SESSION time_zone = '+00:00', SESSION sql_mode = TRIM(BOTH ',' FROM ${dropModes}),` +
      ` SESSION lock_wait_timeout = ${Math.ceil(ms / 1000)} /*M!100108 , SESSION max_statement_time = ${seconds} */`,
  ];
}

export interface MysqlDialectOptions {
  queryTimeoutMs: number;
}

export function createMysqlDialect(options: MysqlDialectOptions): SqlDialect {
  return {
    kind: 'mysql',

    quoteIdentifier: quoteMysqlIdentifier,

    placeholder: () => '?',

    pageSql: (request: PageSqlRequest): SqlText => withTimeLimit(limitPageSql(writer, request), options.queryTimeoutMs),

    columnsSql: (query) => columnsOnlySql(writer, query),

    // UTC_TIMESTAMP, not NOW(): NOW() is in the session's zone. (6) keeps the
    // server's microseconds; normalise truncates them to milliseconds.
    clockSql: () => 'SELECT UTC_TIMESTAMP(6) AS now',

    factsSql: () => ({
      version: 'SELECT VERSION() AS version',
      timeZone: TIME_ZONE_SQL,
      canWrite: canWriteSql(),
    }),

    countSql: (request) => withTimeLimit(windowCountSql(writer, request), options.queryTimeoutMs),

    tablesSql: () => ({
      sql: 'SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME',
      params: [],
    }),

    tableColumnsSql: (table) => ({
      sql: "SELECT COLUMN_NAME AS column_name, DATA_TYPE AS data_type, CASE WHEN COLUMN_KEY = 'PRI' THEN 1 ELSE 0 END AS is_key FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
      params: [table],
    }),

    nullCountSql: (query, cursorColumns) => withTimeLimit(nullCountSql(writer, query, cursorColumns), options.queryTimeoutMs),

    openTransactionsSql: () => MYSQL_OPEN_TRANSACTIONS,

    sessionSql: ({ queryTimeoutMs }) => mysqlSessionSql(queryTimeoutMs),

    // TIMESTAMP is stored as an instant and sent in the session's UTC.
    naiveTime: (column) => column.type === 'DATETIME',

    normalise: (value: unknown, context: NormaliseContext): Value => normaliseMysqlValue(value, context),

    cursorParam: (value: Value, context: CursorContext): unknown => mysqlCursorParam(value, context),
  };
}
