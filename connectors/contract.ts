/**
 * The one contract every source implements. A source knows nothing of the
 * catalog, the store or the platform: it reads pages of plain rows.
 *
 * Values in a Row are already normalised by the source's dialect:
 * exact decimals as strings, DATE as 'YYYY-MM-DD', timestamps as ISO-8601 UTC
 * strings with milliseconds (cursor positions keep finer digits, see positionOf), integers as numbers (or strings beyond 2^53), text as strings,
 * NULL as null.
 */
export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

/**
 * A value a source could not read (bytes, a type it cannot turn into text,
 * a value the driver refuses), left as null in its row and named here, so
 * one bad cell rejects one row, and only if the job uses that column.
 */
export interface UnreadableValue {
  column: string;
  /** SOURCE_BINARY_COLUMN (bytes) or SOURCE_VALUE_UNREADABLE (anything else). */
  code: 'SOURCE_BINARY_COLUMN' | 'SOURCE_VALUE_UNREADABLE';
  /** What the database said of it, e.g. 'photo (bytea)'; never the value. */
  detail: string;
}

/**
 * Where a row carries its unreadable values: a symbol key, so Object.keys,
 * JSON and fingerprints never see it, while a spread copy keeps it.
 */
const UNREADABLE = Symbol.for('credit-gateway.unreadable-values');

/** Marks `column` of `row` unreadable (its value becomes null). */
export function markUnreadable(row: Row, unreadable: UnreadableValue): void {
  const marked = row as Row & { [UNREADABLE]?: UnreadableValue[] };
  row[unreadable.column] = null;
  (marked[UNREADABLE] ??= []).push(unreadable);
}

/** The unreadable value of `column` in `row`, if the source marked one. */
export function unreadableValue(row: Row, column: string): UnreadableValue | undefined {
  return (row as Row & { [UNREADABLE]?: UnreadableValue[] })[UNREADABLE]?.find((u) => u.column === column);
}

/** Every value of `row` the source marked unreadable (empty when none). */
export function unreadableValues(row: Row): readonly UnreadableValue[] {
  return (row as Row & { [UNREADABLE]?: UnreadableValue[] })[UNREADABLE] ?? [];
}

/** Position of a keyset cursor: one value per cursor column, in order. */
export type CursorPosition = Value[];

export interface PageRequest {
  /** The job's single SELECT/WITH statement, used as a derived table. */
  query: string;
  /** Columns ordered and compared as one keyset, e.g. ['updated_at', 'id']. */
  cursorColumns: string[];
  /** Read rows strictly after this position; null reads from the beginning. */
  after: CursorPosition | null;
  /**
   * Inclusive upper bound on the first cursor column (incremental jobs: the
   * database's clock minus a safety lag), so rows of transactions still in
   * flight are left for the next run instead of being skipped for ever.
   */
  through?: Value;
  limit: number;
}

/** Facts about the database, read when a job starts. */
export interface SourceFacts {
  /** The database server's clock, ISO-8601 UTC: cursor bounds come from it, never from the gateway's clock. */
  now: string;
  serverVersion: string;
  /** The time zone the database reports for its session/server, as it names it (e.g. '+08:00', 'Asia/Shanghai', 'SYSTEM'). */
  timeZone: string | null;
  /** Whether the account can write somewhere; null when the database cannot tell. */
  canWrite: boolean | null;
}

/**
 * The transactions open on the database when it was asked, as far as the
 * account can see them (Source.openTransactions). A transaction's rows carry
 * the time they were written but appear only when it commits, so no read may
 * pass the start of the oldest one still open.
 */
export interface OpenTransactions {
  /**
   * True when the account saw every other session's transactions. When
   * false, `oldestStart` says nothing about them and `blind` says why.
   */
  visible: boolean;
  /**
   * ISO-8601 UTC: no row that a transaction open at the time of asking, or a
   * statement running then, writes with the database's own clock (NOW(),
   * now(), SYSDATETIME(), SYSTIMESTAMP, a column default) can be stamped
   * earlier than this. The source already allowed for the precision of
   * what its catalogue shows (whole seconds in innodb_trx, v$transaction).
   * null when no other transaction was open.
   */
  oldestStart: string | null;
  /** Where the source looked, e.g. 'innodb_trx', 'pg_stat_activity'. */
  how: string;
  /** Why the source could not see every transaction (visible false). */
  blind?: {
    /** privilege: the account lacks `detail`; replica: rows arrive stamped by another server; unsupported: the database shows no such thing; failed: the query failed. */
    reason: 'privilege' | 'replica' | 'unsupported' | 'failed';
    /** The privilege to grant ('PROCESS', 'pg_read_all_stats' …), or what failed. */
    detail: string;
  };
}

/** What a job's cursor column looks like in the result of its query. */
export interface CursorProbe {
  /** Rows with a NULL in a cursor column: keyset paging cannot place them, so incremental reads never see them. */
  nullCursorRows: number;
  /** Database type name of the first cursor column, as the driver reports it. */
  columnType: string | null;
  /** Fractional-second digits the first cursor column keeps (0 = whole seconds); null when not a timestamp or unknown. */
  fractionalDigits: number | null;
  /**
   * The query's columns whose values are wall-clock times without a zone,
   * read in the source's configured timeZone (only these move when that zone
   * is wrong); absent when the source cannot tell.
   */
  naiveTimeColumns?: string[];
}

/** A table or view the account can read, as the database names it. */
export interface TableInfo {
  name: string;
  kind: 'table' | 'view';
}

/** A column of a table or view, for proposing a job's mapping. */
export interface ColumnInfo {
  name: string;
  /** The database's type name, e.g. 'varchar', 'DATETIME', 'TEXT'. */
  type: string;
  /** Part of the table's primary key (views have none). */
  primaryKey: boolean;
}

export interface Source {
  readonly name: string;
  readonly kind: string;
  open(): Promise<void>;
  /** One keyset page ordered by cursorColumns; never uses OFFSET. */
  readPage(request: PageRequest): Promise<Row[]>;
  facts(): Promise<SourceFacts>;
  probe(query: string, cursorColumns: string[]): Promise<CursorProbe>;
  /**
   * The oldest transaction still open on the database, other than this
   * source's own session (see OpenTransactions). Asked after facts(), whose
   * clock it must follow: a transaction that starts after it is asked
   * stamps its rows later than that clock said. Never throws for a missing
   * privilege: that is `visible: false`. Absent: the source cannot tell.
   */
  openTransactions?(): Promise<OpenTransactions>;
  /**
   * How many rows readPage would return over this window, page after page,
   * in all: a COUNT over the job query, a scan on most tables, so only run
   * when asked for (`credit-gateway run --count`). Absent: the source cannot
   * tell beforehand.
   */
  count?(request: Omit<PageRequest, 'limit'>): Promise<number>;
  /**
   * Where paging continues after `row`, the last row of a page this source
   * returned: one value per column, normalised like row values but without
   * loss (a timestamp keeps every fractional digit the database stores:
   * '2026-01-01T04:00:00.123456Z'), so a cursor stored from it and bound
   * again stands exactly on that row. Absent: the row's own values.
   */
  positionOf?(row: Row, columns: readonly string[]): CursorPosition;
  /** The tables and views of the connection's own database/schema, by name; absent for sources without tables (files). */
  listTables?(): Promise<TableInfo[]>;
  /** A listed table's columns in table order (empty for an unknown table). */
  listColumns?(table: string): Promise<ColumnInfo[]>;
  close(): Promise<void>;
}
