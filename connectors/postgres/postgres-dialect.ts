/**
 * How to write SQL for PostgreSQL (10+) and the databases that speak its
 * dialect (Kingbase, openGauss/GaussDB, HighGo). Pure: text in, text out.
 */
import type { Value } from '../contract.js';
import type { CursorContext, NormaliseContext, OpenTransactionsSql, PageSqlRequest, SqlDialect, SqlText } from '../sql/dialect.js';
import { columnsOnlySql, limitPageSql, nullCountSql, windowCountSql, type SqlWriter } from '../sql/page-sql.js';
import { normalisePostgresValue, postgresCursorParam } from './postgres-types.js';

export function quotePostgresIdentifier(name: string): string {
  // A NUL cannot be in an identifier and would end the statement text early.
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

const writer: SqlWriter = { kind: 'postgres', quoteIdentifier: quotePostgresIdentifier, placeholder: (index) => `$${index}` };

/*
 * Catalog names are left unqualified: PostgreSQL searches pg_catalog first
 * anyway, and a derivative that keeps these names under a system schema of
 * its own still finds them.
 */

/**
 * The table privileges that change data, over every ordinary, partitioned,
 * foreign table and view outside the system schemas. Superusers bypass
 * privileges, so they can write regardless.
 */
const CAN_WRITE_SQL = `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
  OR EXISTS (
    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
      AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
  ) AS can_write`;

/**
 * The oldest transaction open in this database, for the read bound
 * (SqlSource.openTransactions). now() and CURRENT_TIMESTAMP are the start of
 * the transaction, xact_start exactly: a session idle in a transaction that
 * has written nothing yet (no backend_xid, no backend_xmin) still stamps what
 * it writes later with that start, so every open transaction counts, not
 * only those holding an xid or a snapshot. Autovacuum writes no rows.
 *
 * Another role's sessions show only '<insufficient privilege>' and a NULL
 * xact_start unless the account has pg_read_all_stats (or is that role):
 * they are counted as hidden, and the bound falls back to the fixed lag.
 * On a standby (pg_is_in_recovery) rows arrive with the primary's stamps,
 * from transactions this server never shows.
 */
const OPEN_TRANSACTIONS_SQL = `SELECT min(a.xact_start) FILTER (WHERE a.backend_type IS DISTINCT FROM 'autovacuum worker') AS oldest,
  count(*) FILTER (WHERE a.xact_start IS NULL AND a.query = '<insufficient privilege>') AS hidden,
  pg_is_in_recovery() AS replica
  FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`;

export const POSTGRES_OPEN_TRANSACTIONS: OpenTransactionsSql = {
  statements: [OPEN_TRANSACTIONS_SQL],
  how: 'pg_stat_activity',
  privilege: 'pg_read_all_stats',
  denied: /permission denied/i,
};

export const postgresDialect: SqlDialect = {
  kind: 'postgres',

  quoteIdentifier: quotePostgresIdentifier,

  placeholder: writer.placeholder,

  pageSql: (request: PageSqlRequest): SqlText => limitPageSql(writer, request),

  columnsSql: (query) => columnsOnlySql(writer, query),

  // clock_timestamp(), not now(): now() is frozen at the start of the
  // transaction, and a zoned value needs no session zone to be read right.
  clockSql: () => 'SELECT clock_timestamp() AS now',

  factsSql: () => ({
    version: 'SELECT version() AS version',
    // The session runs in UTC; reset_val is what the department's own
    // sessions get (server, database or role setting).
    timeZone: "SELECT reset_val AS time_zone FROM pg_settings WHERE name = 'TimeZone'",
    canWrite: CAN_WRITE_SQL,
  }),

  countSql: (request) => windowCountSql(writer, request),

  // The schema unqualified names resolve to (search_path's first): where a job's `FROM t` reads.
  tablesSql: () => ({
    sql: "SELECT table_name, CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END AS table_type FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
    params: [],
  }),

  // pg_catalog, not information_schema: its constraint views hide the keys of tables a read-only account does not own.
  tableColumnsSql: (table) => ({
    sql: `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS data_type,
      CASE WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) THEN 1 ELSE 0 END AS is_key
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    params: [table],
  }),

  nullCountSql: (query, cursorColumns) => nullCountSql(writer, query, cursorColumns),

  openTransactionsSql: () => POSTGRES_OPEN_TRANSACTIONS,

  sessionSql: ({ queryTimeoutMs }) => postgresSessionSql(queryTimeoutMs),

  // time (no zone) is a time of day, passed on as text: no zone is applied to it.
  naiveTime: (column) => column.type === 'timestamp' || column.type === 'timestamp[]',

  normalise: (value: unknown, context: NormaliseContext): Value => normalisePostgresValue(value, context),

  cursorParam: (value: Value, context: CursorContext): unknown => postgresCursorParam(value, context),
};

/**
 * The session every connection runs in. Read-only first, so nothing that
 * follows can write; then the fixed output formats the value normalisation
 * reads (UTC for timestamptz, ISO dates, floats that round-trip); then the
 * limits that keep a slow or blocked read from loading the server.
 */
export function postgresSessionSql(queryTimeoutMs: number): string[] {
  const ms = Math.max(1, Math.floor(queryTimeoutMs));
  // A read waits for a lock only behind DDL (ALTER TABLE, VACUUM FULL), and
  // while it waits it blocks the queries queued behind that DDL: give up
  // early, and before the statement limit, so the error names the lock.
  const lockMs = Math.max(1, Math.min(10_000, Math.floor(ms / 2)));
  return [
    'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY',
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    'SET extra_float_digits = 3',
    `SET statement_timeout = ${ms}`,
    // Settings younger than the oldest servers we read (lock_timeout 9.3,
    // idle_in_transaction_session_timeout 9.6; openGauss is 9.2 at heart):
    // set where the server has them, instead of failing the session there.
    "SELECT set_config(v.name, v.setting, false) FROM (VALUES " +
      `('lock_timeout', '${lockMs}'), ('idle_in_transaction_session_timeout', '${Math.max(ms, 60_000)}')` +
      ') AS v (name, setting) WHERE v.name IN (SELECT s.name FROM pg_settings s)',
  ];
}
