/**
 * The contract between the shared SQL source (`sql-source.ts`) and one
 * database kind, after Kysely's dialects: a dialect says how to write SQL for
 * the database and how to read its values; a driver says how to talk to it.
 * Every kind's folder holds the same files: `<kind>-dialect.ts` (implements
 * SqlDialect, pure), `<kind>-driver.ts` (implements SqlDriver, the only file
 * that imports the driver package, and only lazily with `await import()`),
 * `<kind>-types.ts` (the pure value normalisation the dialect delegates to)
 * and `index.ts` (`create<Kind>Source(options): Source`).
 *
 * What SqlSource does with a dialect, so a dialect need not repeat it:
 * - It converts cursor values before paging: `after` and `through` arrive in
 *   `pageSql` already passed through `cursorParam`, in the column's own terms.
 * - It learns the job query's column metadata from `columnsSql` (zero rows)
 *   before it binds a cursor, and from every page's result.
 * - It normalises every value of every row with `normalise` and the column's
 *   metadata; the clock's value is normalised with timeZone 'UTC'.
 * - It keeps the exact position of each page's last row (`positionOf`):
 *   timestamps with the finer digits of the driver's own value
 *   (time.ts exactTimestamp), so `cursorParam` must bind an ISO value with
 *   more than three fractional digits without losing them.
 * - It is built as `new SqlSource({ ...commonSqlSettings(options), kind, dialect, driver })`
 *   (options.ts), so every kind shares defaults, pacing and error handling.
 * - It wraps anything a driver throws that is not a ConnectorError as
 *   SOURCE_QUERY_FAILED (query) or SOURCE_UNAVAILABLE (connect).
 *
 * Shared pure helpers: `page-sql.ts` (derived table, keyset, through bound,
 * ORDER BY: a dialect appends its row limit), `keyset.ts`, `time.ts` (IANA
 * zone conversion both ways), `decimal.ts`, `query-text.ts`.
 */
import type { Value } from '../contract.js';

export type SqlKind = 'mysql' | 'postgres' | 'mssql' | 'oracle' | 'sqlite';

export interface SqlText {
  sql: string;
  params: unknown[];
}

/** A result column as the driver describes it. Names are as the database returns them (case preserved). */
export interface ColumnMeta {
  name: string;
  /** The database's type name as the driver reports it, e.g. 'DATETIME', 'timestamp', 'NUMBER', 'CHAR(10)'. */
  type: string;
  precision?: number | null;
  scale?: number | null;
  /** Fractional-second digits a time column keeps (0 = whole seconds); null/undefined when unknown or not a time. */
  fractionalDigits?: number | null;
}

export interface NormaliseContext {
  column: ColumnMeta;
  /** IANA zone in which the source's naive (zone-less) timestamps are written, e.g. 'Asia/Shanghai'. */
  timeZone: string;
}

export interface CursorContext extends NormaliseContext {
  /**
   * The value exactly as the driver returned it, for the row the cursor was
   * taken from, when this source read that row itself (absent after a
   * restart, and for `through`). Binding it back is exact: no zone, no
   * truncation. A dialect should bind it whenever the driver accepts its own
   * output as a parameter (e.g. timestamps fetched as strings).
   */
  raw?: unknown;
}

/**
 * A page to write as SQL. Same as the contract's PageRequest, except that the
 * cursor values have already been converted by `cursorParam` into what the
 * driver should bind (e.g. a naive local 'YYYY-MM-DD HH:mm:ss.SSS' string for
 * a naive timestamp column), so `pageSql` only places them.
 */
export interface PageSqlRequest {
  query: string;
  cursorColumns: string[];
  after: unknown[] | null;
  /** Inclusive upper bound on the first cursor column, already converted; absent = no bound. */
  through?: unknown;
  limit: number;
}

/** The rows of a page request, without its limit: what a count of a whole read covers. */
export type WindowSqlRequest = Omit<PageSqlRequest, 'limit'>;

/**
 * How a database shows the transactions open on it (SqlSource.openTransactions).
 * Each statement returns one row with any of these columns:
 * - "oldest": a timestamp in UTC (zoned, or naive UTC text like the clock),
 *   or NULL: the earliest stamp that a transaction open then, or a statement
 *   running then, can write with the database's clock, the slack for the
 *   catalogue's own precision already subtracted;
 * - "hidden": how many other sessions the account could not look into;
 * - "replica": truthy when the database applies another server's changes,
 *   whose rows carry that server's stamps and appear on commit here.
 * The earliest "oldest" of all statements counts. Where a catalogue has two
 * views, statements are listed running-statements first: a statement that
 * ends between the two queries then still shows as an open transaction.
 */
export interface OpenTransactionsSql {
  statements: string[];
  /** Where it looks, for the probe: 'innodb_trx', 'pg_stat_activity' … */
  how: string;
  /** What to grant for the account to see every session, in the database's own words. */
  privilege: string;
  /** A failed statement whose message matches was refused for want of `privilege`. */
  denied: RegExp;
}

export interface SqlDialect {
  readonly kind: SqlKind;
  quoteIdentifier(name: string): string;
  /** 1-based: ?, $1, @p1, :1. */
  placeholder(index: number): string;
  /**
   * Keyset page over the job query wrapped as a derived table: keyset
   * predicate AND (first cursor column <= through, when given), ORDER BY the
   * cursor columns, row limit in the dialect's syntax. Never OFFSET.
   * `page-sql.ts` writes all of it but the limit.
   */
  pageSql(request: PageSqlRequest): SqlText;
  /** The job query wrapped so that it returns zero rows but its columns (e.g. `WHERE 1 = 0`): cheap column metadata. */
  columnsSql(query: string): SqlText;
  /**
   * One row, one column named "now": the database's current instant, either as
   * a zoned value or as a naive timestamp in UTC (UTC_TIMESTAMP(3),
   * SYSUTCDATETIME(), SYS_EXTRACT_UTC(SYSTIMESTAMP)); SqlSource normalises it
   * with timeZone 'UTC'. Never the session's local time: that would be off by
   * the zone.
   */
  clockSql(): string;
  /** Each one row, one column. canWrite: truthy when the account can write somewhere (1/0, true/false, 'YES'); null when the database cannot tell. */
  factsSql(): { version: string; timeZone: string | null; canWrite: string | null };
  /**
   * One row, column "n": how many rows the pages of this window return in
   * all (same keyset predicate, same bound, same NULL exclusion). A scan of
   * the job query: only run when asked for (`credit-gateway run --count`).
   */
  countSql(request: WindowSqlRequest): SqlText;
  /** One row, column "n": rows of the job query with a NULL in any cursor column. */
  nullCountSql(query: string, cursorColumns: string[]): SqlText;
  /**
   * The tables and views of the session's own database or schema: columns
   * "table_name" and "table_type" ('table' or 'view'), ordered by name.
   */
  tablesSql(): SqlText;
  /**
   * One table's columns in table order: "column_name", "data_type" and
   * "is_key" (1 when part of the primary key, else 0), the table named by a
   * bound parameter, never spliced into the text.
   */
  tableColumnsSql(table: string): SqlText;
  /** The database's view of its open transactions; absent where it has none (SQLite). */
  openTransactionsSql?(): OpenTransactionsSql;
  /** Run once per connection, in order: read-only session/transaction, lock and statement timeouts. */
  sessionSql(options: { queryTimeoutMs: number }): string[];
  /**
   * Whether a column holds wall-clock times without a zone (PostgreSQL
   * timestamp, MySQL DATETIME, SQL Server DATETIME2, Oracle DATE), read in
   * the configured zone; zoned types (timestamptz, DATETIMEOFFSET …) are
   * instants no zone setting can shift. Absent: the dialect cannot tell.
   */
  naiveTime?(column: ColumnMeta): boolean;
  /**
   * A value as the driver returned it → the contract's normalised Value (see
   * contract.ts). Throws SOURCE_BINARY_COLUMN for binary, and a
   * ConnectorError for a value it cannot read: SqlSource makes either an
   * unreadable value of that row (markUnreadable), unless it is a cursor
   * column.
   */
  normalise(value: unknown, context: NormaliseContext): Value;
  /**
   * The inverse of `normalise` for binding a cursor value back: a normalised
   * value (ISO UTC timestamp, decimal string …) → what the driver must bind so
   * the database compares it in the column's own terms. For a naive timestamp
   * column that is the naive local time in the configured zone
   * (`isoToNaiveLocal` in time.ts, which keeps digits beyond the
   * millisecond). An exact position binds exactly; an older cursor already
   * truncated to milliseconds stays truncated, which can only make it lower
   * (rows re-read once and dropped by fingerprint), never higher.
   */
  cursorParam(value: Value, context: CursorContext): unknown;
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  columns: ColumnMeta[];
  /**
   * The same rows as the driver read them, values in column order, when it
   * has them so: a page is normalised from these without a keyed object
   * made per row first (a driver giving them may build `rows` only when read).
   */
  values?: readonly (readonly unknown[])[];
}

/**
 * One session on the database. `query` throws ConnectorError
 * SOURCE_QUERY_TIMEOUT when `timeoutMs` passed (and cancels the statement on
 * the server), SOURCE_CONNECTION_LOST when the connection broke (the session
 * is then unusable: SqlSource drops it and reconnects on the next open), and
 * anything else for a failed statement. `signal` aborts the statement the same
 * way as a timeout.
 */
export interface SqlConnection {
  query(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult>;
  close(): Promise<void>;
}

/** Connects with the options it was built from; throws SOURCE_UNAVAILABLE (or anything, wrapped as such). */
export interface SqlDriver {
  connect(): Promise<SqlConnection>;
}
