/**
 * The SQL every dialect shares: the job query as a derived table, the keyset
 * predicate, the `through` bound and the ORDER BY. A dialect adds only what is
 * its own: the alias syntax and the row limit.
 *
 *   SELECT * FROM (<job query>) q
 *   WHERE c1 IS NOT NULL AND c2 IS NOT NULL           -- NULLs cannot be placed in a keyset
 *     AND ((c1 > ?) OR (c1 = ? AND c2 > ?))           -- after the cursor
 *     AND c1 <= ?                                     -- through
 *   ORDER BY c1, c2
 */
import type { PageSqlRequest, SqlKind, SqlText, WindowSqlRequest } from './dialect.js';
import { keysetPredicate } from './keyset.js';
import { derivedTableBody } from './query-text.js';

export interface SqlWriter {
  kind: SqlKind;
  quoteIdentifier(name: string): string;
  placeholder(index: number): string;
  /** How a derived table is named: 'AS q' in most databases, 'q' in Oracle. */
  derivedAlias?: string;
}

export interface PageParts {
  /** `SELECT * FROM (…) q WHERE … ORDER BY …`, without a row limit. */
  sql: string;
  params: unknown[];
  /** The pieces, for dialects that must place the limit inside (TOP, ROWNUM). */
  from: string;
  where: string;
  orderBy: string;
}

export function fromJobQuery(writer: SqlWriter, query: string): string {
  return `(${derivedTableBody(query, writer.kind)}) ${writer.derivedAlias ?? 'AS q'}`;
}

export function pageParts(writer: SqlWriter, request: WindowSqlRequest): PageParts {
  if (request.cursorColumns.length === 0) throw new Error('a page needs at least one cursor column');
  const columns = request.cursorColumns.map((c) => writer.quoteIdentifier(c));
  const conditions = columns.map((c) => `${c} IS NOT NULL`);
  const params: unknown[] = [];
  if (request.after) {
    const keyset = keysetPredicate(columns, request.after, writer.placeholder);
    conditions.push(`(${keyset.where})`);
    params.push(...keyset.params);
  }
  if (request.through !== undefined) {
    params.push(request.through);
    conditions.push(`${columns[0]} <= ${writer.placeholder(params.length)}`);
  }
  const from = fromJobQuery(writer, request.query);
  const where = conditions.join(' AND ');
  const orderBy = columns.join(', ');
  return { sql: `SELECT * FROM ${from} WHERE ${where} ORDER BY ${orderBy}`, params, from, where, orderBy };
}

/** A page with `LIMIT n` (MySQL, PostgreSQL, SQLite). */
export function limitPageSql(writer: SqlWriter, request: PageSqlRequest): SqlText {
  const parts = pageParts(writer, request);
  return { sql: `${parts.sql} LIMIT ${checkedLimit(request.limit)}`, params: parts.params };
}

/** How many rows the pages of a window would return, all of them: a scan of the job query, so only asked for. */
export function windowCountSql(writer: SqlWriter, request: WindowSqlRequest, count = 'COUNT(*)'): SqlText {
  const parts = pageParts(writer, request);
  return { sql: `SELECT ${count} AS n FROM ${parts.from} WHERE ${parts.where}`, params: parts.params };
}

/** The zero-row query that still describes the job query's columns. */
export function columnsOnlySql(writer: SqlWriter, query: string): SqlText {
  return { sql: `SELECT * FROM ${fromJobQuery(writer, query)} WHERE 1 = 0`, params: [] };
}

export function nullCountSql(writer: SqlWriter, query: string, cursorColumns: string[]): SqlText {
  const test = cursorColumns.map((c) => `${writer.quoteIdentifier(c)} IS NULL`).join(' OR ');
  return { sql: `SELECT COUNT(*) AS n FROM ${fromJobQuery(writer, query)} WHERE ${test}`, params: [] };
}

/** The limit is written into the SQL (not every dialect binds it), so it must be a plain positive integer. */
export function checkedLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`page limit must be a positive integer, not ${limit}`);
  return limit;
}
