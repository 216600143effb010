import Database from 'better-sqlite3';
import type { CursorProbe, PageRequest, Row, Source, SourceFacts, Value } from '../contract.js';
import { ConnectorError } from '../errors.js';
import { keysetPredicate } from '../sql/keyset.js';

export interface SqliteSourceOptions {
  name: string;
  /** Absolute path of the database file. */
  file: string;
  busyTimeoutMs?: number;
}

export function quoteSqliteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** better-sqlite3 values → contract values: big integers stay exact as strings, binary is refused. */
export function normaliseSqliteValue(column: string, value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) throw new ConnectorError('SOURCE_BINARY_COLUMN', `column "${column}"`);
  return String(value);
}

function stripTrailingSemicolon(query: string): string {
  return query.trim().replace(/;\s*$/, '');
}

/**
 * A SQLite database opened read-only (and query_only, so even a writable
 * handle could not write), read in keyset pages.
 */
export class SqliteSource implements Source {
  readonly kind = 'sqlite';
  readonly name: string;
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  #db: Database.Database | null = null;

  constructor(options: SqliteSourceOptions) {
    this.name = options.name;
    this.#file = options.file;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  async open(): Promise<void> {
    if (this.#db) return;
    try {
      const db = new Database(this.#file, { readonly: true, fileMustExist: true, timeout: this.#busyTimeoutMs });
      db.pragma('query_only = ON');
      this.#db = db;
    } catch (err) {
      throw new ConnectorError('SOURCE_UNAVAILABLE', `${this.#file}: ${(err as Error).message}`, { cause: err });
    }
  }

  async readPage(request: PageRequest): Promise<Row[]> {
    const db = this.#requireDb();
    const columns = request.cursorColumns.map(quoteSqliteIdentifier);
    const keyset = request.after ? keysetPredicate(columns, request.after, () => '?') : { where: '1 = 1', params: [] };
    const sql =
      `SELECT * FROM (${stripTrailingSemicolon(request.query)}) AS q ` +
      `WHERE ${keyset.where} ORDER BY ${columns.join(', ')} LIMIT ?`;
    let raw: Record<string, unknown>[];
    try {
      // Prepared per page on purpose: the job query is the department's, and a
      // schema change between runs must be picked up, not served from a stale plan.
      raw = db.prepare(sql).safeIntegers(true).all(...keyset.params, request.limit) as Record<string, unknown>[];
    } catch (err) {
      throw new ConnectorError('SOURCE_QUERY_FAILED', (err as Error).message, { cause: err });
    }
    if (raw.length > 0) {
      for (const column of request.cursorColumns) {
        if (!(column in raw[0]!)) throw new ConnectorError('SOURCE_CURSOR_COLUMN_MISSING', `"${column}"`);
      }
    }
    return raw.map((r) => {
      const row: Row = {};
      for (const [k, v] of Object.entries(r)) row[k] = normaliseSqliteValue(k, v);
      return row;
    });
  }

  async facts(): Promise<SourceFacts> {
    const db = this.#requireDb();
    const row = db.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now, sqlite_version() AS version").get() as { now: string; version: string };
    // SQLite has no server time zone (its clock is UTC) and this handle is read-only.
    return { now: row.now, serverVersion: `SQLite ${row.version}`, timeZone: 'UTC', canWrite: false };
  }

  async probe(query: string, cursorColumns: string[]): Promise<CursorProbe> {
    const db = this.#requireDb();
    const nullTest = cursorColumns.map((c) => `${quoteSqliteIdentifier(c)} IS NULL`).join(' OR ');
    try {
      const row = db.prepare(`SELECT count(*) AS n FROM (${stripTrailingSemicolon(query)}) AS q WHERE ${nullTest}`).get() as { n: number };
      // Column types are per value in SQLite: there is no declared precision to report.
      return { nullCursorRows: Number(row.n), columnType: null, fractionalDigits: null };
    } catch (err) {
      throw new ConnectorError('SOURCE_QUERY_FAILED', (err as Error).message, { cause: err });
    }
  }

  #requireDb(): Database.Database {
    if (!this.#db) throw new ConnectorError('SOURCE_NOT_OPEN', this.name);
    return this.#db;
  }

  async close(): Promise<void> {
    this.#db?.close();
    this.#db = null;
  }
}
