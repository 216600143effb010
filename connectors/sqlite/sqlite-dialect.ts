/**
 * SQLite: double-quoted identifiers, '?' placeholders, LIMIT. The file is
 * opened read-only by the driver; the session adds query_only so that even a
 * handle that could write refuses to.
 */
import type { Value } from '../contract.js';
import type { CursorContext, NormaliseContext, PageSqlRequest, SqlDialect, SqlText, WindowSqlRequest } from '../sql/dialect.js';
import { columnsOnlySql, limitPageSql, nullCountSql, windowCountSql, type SqlWriter } from '../sql/page-sql.js';
import { normaliseSqliteValue, sqliteCursorParam } from './sqlite-types.js';

export function quoteSqliteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class SqliteDialect implements SqlDialect {
  readonly kind = 'sqlite' as const;
  readonly #writer: SqlWriter = { kind: 'sqlite', quoteIdentifier: quoteSqliteIdentifier, placeholder: () => '?' };

  quoteIdentifier(name: string): string {
    return quoteSqliteIdentifier(name);
  }

  placeholder(): string {
    return '?';
  }

  pageSql(request: PageSqlRequest): SqlText {
    return limitPageSql(this.#writer, request);
  }

  columnsSql(query: string): SqlText {
    return columnsOnlySql(this.#writer, query);
  }

  clockSql(): string {
    // SQLite's 'now' is UTC.
    return "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now";
  }

  factsSql(): { version: string; timeZone: string | null; canWrite: string | null } {
    // No server, so no server zone to compare with the source's timeZone (which only says how zone-less text in
    // the file is read): reporting SQLite's UTC clock as a zone made every Asia/Shanghai source warn of a mismatch.
    // The handle is read-only, so it cannot write.
    return { version: "SELECT 'SQLite ' || sqlite_version()", timeZone: null, canWrite: 'SELECT 0' };
  }

  countSql(request: WindowSqlRequest): SqlText {
    return windowCountSql(this.#writer, request);
  }

  tablesSql(): SqlText {
    return {
      sql: "SELECT name AS table_name, type AS table_type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      params: [],
    };
  }

  tableColumnsSql(table: string): SqlText {
    return { sql: 'SELECT name AS column_name, type AS data_type, CASE WHEN pk > 0 THEN 1 ELSE 0 END AS is_key FROM pragma_table_info(?) ORDER BY cid', params: [table] };
  }

  nullCountSql(query: string, cursorColumns: string[]): SqlText {
    return nullCountSql(this.#writer, query, cursorColumns);
  }

  sessionSql(): string[] {
    return ['PRAGMA query_only = ON'];
  }

  normalise(value: unknown, context: NormaliseContext): Value {
    return normaliseSqliteValue(value, context);
  }

  cursorParam(value: Value, context: CursorContext): unknown {
    return sqliteCursorParam(value, context);
  }
}
