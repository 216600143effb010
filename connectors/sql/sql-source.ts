/**
 * The one Source for every SQL database: the behaviour that must be the same
 * everywhere (statement guard, keyset paging, cursor binding, normalisation,
 * pacing, timeouts, lost connections) written once over a dialect and a
 * driver (see dialect.ts).
 *
 * One connection per source, one statement at a time: jobs sharing a source
 * queue here rather than open more sessions on the department's server.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { markUnreadable, type ColumnInfo, type CursorPosition, type CursorProbe, type OpenTransactions, type PageRequest, type Row, type Source, type SourceFacts, type TableInfo, type Value } from '../contract.js';
import { ConnectorError } from '../errors.js';
import type { CommonSqlSettings, SourceClock } from '../options.js';
import type { ColumnMeta, QueryResult, SqlConnection, SqlDialect, SqlDriver, SqlKind } from './dialect.js';
import { nextReadAt, waitBeforeRead } from './pacing.js';
import { rowTemplate } from './row-template.js';
import { checkSelectOnly } from './statement-guard.js';
import { exactTimestamp, isIsoUtc, isValidTimeZone, naiveLocalToIso } from './time.js';

export interface SqlSourceOptions extends CommonSqlSettings {
  kind: SqlKind;
  dialect: SqlDialect;
  driver: SqlDriver;
}

/**
 * Runs one statement, unwrapped, on the source's own read-only session. Not
 * part of the Source contract and never reachable from configuration: it
 * exists so the conformance suite can show that the session refuses writes.
 */
export const RUN_ON_SESSION = Symbol.for('credit-gateway.sql-source.run-on-session');

/** How long past its own timeout a driver may stay silent before the connection is given up as lost. */
const SILENT_DRIVER_GRACE_MS = 15_000;

const wallClock: SourceClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}),
};

export class SqlSource implements Source {
  readonly name: string;
  readonly kind: SqlKind;
  /** The rows per page the gateway should ask for; pages follow each request's own limit. */
  readonly pageSize: number;
  readonly #dialect: SqlDialect;
  readonly #driver: SqlDriver;
  readonly #timeZone: string;
  readonly #queryTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #rowsPerSecond: number | undefined;
  readonly #clock: SourceClock;
  #connection: SqlConnection | null = null;
  #opened = false;
  /** Column metadata of each job query, learnt from its results; dropped with the connection (the schema may have changed). */
  readonly #columns = new Map<string, ColumnMeta[]>();
  /** Per job query, the last row read: its normalised cursor and the driver's raw values, so the next page binds them exactly. */
  readonly #lastRow = new Map<string, { cursors: string[]; raw: unknown[] }>();
  /** The exact position of each page's last row, for positionOf; held only as long as the row itself. */
  readonly #positions = new WeakMap<Row, { columns: string; position: CursorPosition }>();
  #notBefore = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SqlSourceOptions) {
    if (!isValidTimeZone(options.timeZone)) {
      throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": "${options.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai)`);
    }
    if (options.rowsPerSecond !== undefined && !(options.rowsPerSecond > 0)) {
      throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": rowsPerSecond must be positive`);
    }
    this.name = options.name;
    this.kind = options.kind;
    this.pageSize = options.pageSize;
    this.#dialect = options.dialect;
    this.#driver = options.driver;
    this.#timeZone = options.timeZone;
    this.#queryTimeoutMs = options.queryTimeoutMs;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#rowsPerSecond = options.rowsPerSecond;
    this.#clock = options.clock ?? wallClock;
  }

  /** Connects and sets the session up; after a lost connection, connects again. */
  async open(): Promise<void> {
    this.#opened = true;
    await this.#exclusive(() => this.#session());
  }

  async readPage(request: PageRequest): Promise<Row[]> {
    this.#refuseWriting(request.query);
    if (!Number.isSafeInteger(request.limit) || request.limit < 1) {
      throw new ConnectorError('SOURCE_OPTIONS_INVALID', `page limit must be a positive integer, not ${request.limit}`);
    }
    return this.#exclusive(async () => {
      await this.#pace();
      const bound = request.after !== null || request.through !== undefined;
      const columns = bound ? await this.#columnsOf(request.query) : [];
      const last = this.#lastRow.get(request.query);
      const raw = request.after && last?.cursors.includes(JSON.stringify(request.after)) ? last.raw : undefined;
      const after = request.after?.map((value, i) => this.#cursorParam(value, columns, request.cursorColumns[i]!, raw?.[i])) ?? null;
      const through = request.through === undefined ? undefined : this.#cursorParam(request.through, columns, request.cursorColumns[0]!);
      const started = this.#clock.now();
      const text = this.#dialect.pageSql({ query: request.query, cursorColumns: request.cursorColumns, after, through, limit: request.limit });
      const result = await this.#run(text.sql, text.params);
      this.#checkCursorColumns(result, request.cursorColumns);
      if (result.columns.length > 0) this.#columns.set(request.query, result.columns);
      const rows = this.#normaliseRows(result, request.cursorColumns);
      this.#notBefore = nextReadAt(this.#notBefore, started, rows.length, this.#rowsPerSecond);
      this.#remember(request, result, rows);
      return rows;
    });
  }

  /**
   * The exact position of the last row of a page this source returned: its
   * timestamps with every digit the database keeps (see exactTimestamp), so
   * a cursor stored from it and bound again after a restart stands exactly
   * on that row, and a run of rows sharing one timestamp is paged through by
   * the key columns instead of being read again. Other rows: their values.
   */
  positionOf(row: Row, columns: readonly string[]): CursorPosition {
    const exact = this.#positions.get(row);
    if (exact && exact.columns === columns.join('\u0000')) return exact.position;
    return columns.map((c) => row[c] ?? null);
  }

  async count(request: Omit<PageRequest, 'limit'>): Promise<number> {
    this.#refuseWriting(request.query);
    return this.#exclusive(async () => {
      // The values bound as readPage binds them, so the count covers exactly the rows its pages return.
      const bound = request.after !== null || request.through !== undefined;
      const columns = bound ? await this.#columnsOf(request.query) : [];
      const after = request.after?.map((value, i) => this.#cursorParam(value, columns, request.cursorColumns[i]!)) ?? null;
      const through = request.through === undefined ? undefined : this.#cursorParam(request.through, columns, request.cursorColumns[0]!);
      const text = this.#dialect.countSql({ query: request.query, cursorColumns: request.cursorColumns, after, through });
      return Number(firstValue(await this.#run(text.sql, text.params)) ?? 0);
    });
  }

  async facts(): Promise<SourceFacts> {
    return this.#exclusive(async () => {
      const statements = this.#dialect.factsSql();
      const clock = await this.#run(this.#dialect.clockSql(), []);
      const now = this.#instant(firstValue(clock), clock.columns[0]);
      const version = await this.#single(statements.version);
      const timeZone = statements.timeZone === null ? null : await this.#single(statements.timeZone);
      const canWrite = statements.canWrite === null ? null : truth(await this.#single(statements.canWrite));
      return { now, serverVersion: `${version ?? ''}`, timeZone: timeZone === null || timeZone === undefined ? null : String(timeZone), canWrite };
    });
  }

  /**
   * The database's open transactions (dialect.openTransactionsSql), or
   * `visible: false` with the reason: a refused or failed look is a fixed
   * lag for this run, never a failed run. A lost connection still throws.
   */
  async openTransactions(): Promise<OpenTransactions> {
    const spec = this.#dialect.openTransactionsSql?.();
    if (!spec) return { visible: false, oldestStart: null, how: this.kind, blind: { reason: 'unsupported', detail: this.kind } };
    return this.#exclusive(async () => {
      let oldest: string | null = null;
      let hidden = 0;
      let replica = false;
      for (const sql of spec.statements) {
        let result: QueryResult;
        try {
          result = await this.#run(sql, []);
        } catch (err) {
          if (!(err instanceof ConnectorError) || err.code === 'SOURCE_CONNECTION_LOST') throw err;
          const blind = spec.denied.test(err.message) ? { reason: 'privilege' as const, detail: spec.privilege } : { reason: 'failed' as const, detail: err.message.slice(0, 200) };
          return { visible: false, oldestStart: null, how: spec.how, blind };
        }
        const row = result.rows[0] ?? {};
        const at = cell(row, 'oldest');
        if (at !== null && at !== undefined) {
          const iso = this.#instant(at, findColumn(result.columns, 'oldest') ?? uniqueIgnoringCase(result.columns, 'oldest'));
          if (oldest === null || Date.parse(iso) < Date.parse(oldest)) oldest = iso;
        }
        hidden += Number(cell(row, 'hidden') ?? 0) || 0;
        replica ||= truth(cell(row, 'replica')) === true;
      }
      if (replica) return { visible: false, oldestStart: null, how: spec.how, blind: { reason: 'replica', detail: spec.how } };
      if (hidden > 0) return { visible: false, oldestStart: null, how: spec.how, blind: { reason: 'privilege', detail: spec.privilege } };
      return { visible: true, oldestStart: oldest, how: spec.how };
    });
  }

  async probe(query: string, cursorColumns: string[]): Promise<CursorProbe> {
    this.#refuseWriting(query);
    return this.#exclusive(async () => {
      this.#columns.delete(query);
      const columns = await this.#columnsOf(query);
      const missing = cursorColumns.filter((c) => !findColumn(columns, c));
      if (missing.length > 0) throw new ConnectorError('SOURCE_CURSOR_COLUMN_MISSING', missing.map((c) => `"${c}"`).join(', '));
      const count = this.#dialect.nullCountSql(query, cursorColumns);
      const result = await this.#run(count.sql, count.params);
      const first = findColumn(columns, cursorColumns[0]!)!;
      const naiveTime = this.#dialect.naiveTime;
      return {
        nullCursorRows: Number(firstValue(result) ?? 0),
        columnType: first.type || null,
        fractionalDigits: first.fractionalDigits ?? null,
        ...(naiveTime ? { naiveTimeColumns: columns.filter((c) => naiveTime(c)).map((c) => c.name) } : {}),
      };
    });
  }

  /** For proposing a configuration (`credit-gateway init`): what the account sees, on the same read-only session. */
  async listTables(): Promise<TableInfo[]> {
    return this.#exclusive(async () => {
      const text = this.#dialect.tablesSql();
      const result = await this.#run(text.sql, text.params);
      return result.rows.map((row) => ({
        name: String(cell(row, 'table_name')),
        kind: /view/i.test(String(cell(row, 'table_type') ?? '')) ? 'view' as const : 'table' as const,
      }));
    });
  }

  async listColumns(table: string): Promise<ColumnInfo[]> {
    return this.#exclusive(async () => {
      const text = this.#dialect.tableColumnsSql(table);
      const result = await this.#run(text.sql, text.params);
      return result.rows.map((row) => ({
        name: String(cell(row, 'column_name')),
        type: String(cell(row, 'data_type') ?? ''),
        primaryKey: truth(cell(row, 'is_key')) === true,
      }));
    });
  }

  async close(): Promise<void> {
    this.#opened = false;
    await this.#exclusive(async () => this.#drop());
  }

  async [RUN_ON_SESSION](sql: string): Promise<void> {
    await this.#exclusive(() => this.#run(sql, []));
  }

  #refuseWriting(query: string): void {
    const verdict = checkSelectOnly(query, this.kind);
    if (!verdict.ok) throw new ConnectorError('SOURCE_STATEMENT_REFUSED', verdict.reason);
  }

  /** Runs one task at a time, in call order; a failed task does not stop the next. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #pace(): Promise<void> {
    const wait = waitBeforeRead(this.#notBefore, this.#clock.now());
    if (wait > 0) await this.#clock.sleep(wait);
  }

  async #session(): Promise<SqlConnection> {
    if (!this.#opened) throw new ConnectorError('SOURCE_NOT_OPEN', this.name);
    if (this.#connection) return this.#connection;
    let connection: SqlConnection;
    try {
      connection = await withDeadline(this.#driver.connect(), this.#connectTimeoutMs + SILENT_DRIVER_GRACE_MS, (c) => void c.close().catch(() => undefined));
    } catch (err) {
      throw err instanceof ConnectorError ? err : new ConnectorError('SOURCE_UNAVAILABLE', messageOf(err), { cause: err });
    }
    try {
      for (const sql of this.#dialect.sessionSql({ queryTimeoutMs: this.#queryTimeoutMs })) {
        await connection.query(sql, [], { timeoutMs: this.#queryTimeoutMs });
      }
    } catch (err) {
      await connection.close().catch(() => undefined);
      // Reading without the read-only session is not an option.
      throw new ConnectorError('SOURCE_UNAVAILABLE', `the read-only session could not be set up: ${messageOf(err)}`, { cause: err });
    }
    this.#connection = connection;
    return connection;
  }

  async #run(sql: string, params: unknown[]): Promise<QueryResult> {
    const connection = await this.#session();
    try {
      return await withDeadline(
        connection.query(sql, params, { timeoutMs: this.#queryTimeoutMs }),
        this.#queryTimeoutMs + SILENT_DRIVER_GRACE_MS,
      );
    } catch (err) {
      if (err instanceof ConnectorError) {
        if (err.code === 'SOURCE_CONNECTION_LOST') await this.#drop();
        throw err;
      }
      throw new ConnectorError('SOURCE_QUERY_FAILED', messageOf(err), { cause: err });
    }
  }

  async #drop(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    this.#columns.clear();
    this.#lastRow.clear();
    await connection?.close().catch(() => undefined);
  }

  async #single(sql: string): Promise<unknown> {
    return firstValue(await this.#run(sql, []));
  }

  async #columnsOf(query: string): Promise<ColumnMeta[]> {
    const known = this.#columns.get(query);
    if (known) return known;
    const text = this.#dialect.columnsSql(query);
    const result = await this.#run(text.sql, text.params);
    this.#columns.set(query, result.columns);
    return result.columns;
  }

  #cursorParam(value: Value, columns: ColumnMeta[], name: string, raw?: unknown): unknown {
    const column = findColumn(columns, name);
    if (!column) throw new ConnectorError('SOURCE_CURSOR_COLUMN_MISSING', `"${name}"`);
    return this.#dialect.cursorParam(value, { column, timeZone: this.#timeZone, ...(raw !== undefined ? { raw } : {}) });
  }

  #remember(request: PageRequest, result: QueryResult, rows: Row[]): void {
    const lastRow = rows[rows.length - 1];
    if (!lastRow) return;
    const names = request.cursorColumns.map((c) => findColumn(result.columns, c)?.name ?? c);
    const raw = rawValues(result, rows.length - 1, names);
    const values = request.cursorColumns.map((c, i) => lastRow[names[i]!] ?? lastRow[c] ?? null);
    const position = values.map((value, i) => exactTimestamp(value, raw[i]) as Value);
    this.#positions.set(lastRow, { columns: request.cursorColumns.join('\u0000'), position });
    // Either spelling of the last row's position binds its raw values: the exact one (positionOf) or its row values.
    this.#lastRow.set(request.query, { cursors: [JSON.stringify(position), JSON.stringify(values)], raw });
  }

  #checkCursorColumns(result: QueryResult, cursorColumns: string[]): void {
    const names = result.columns.length > 0 ? result.columns : result.rows[0] ? Object.keys(result.rows[0]).map((name) => ({ name, type: '' })) : [];
    if (names.length === 0) return;
    const missing = cursorColumns.filter((c) => !findColumn(names, c));
    if (missing.length > 0) throw new ConnectorError('SOURCE_CURSOR_COLUMN_MISSING', missing.map((c) => `"${c}"`).join(', '));
  }

  /**
   * A value that cannot be read fails its row, not the page: it is marked
   * unreadable (markUnreadable) and the gateway rejects the row if, and only
   * if, the job maps that column. A cursor column has to be read, or the
   * page has no position: that stays an error of the whole read.
   */
  #normaliseRows(result: QueryResult, cursorColumns: readonly string[]): Row[] {
    const columns: ColumnMeta[] = result.columns.length > 0 ? result.columns : Object.keys(result.rows[0] ?? {}).map((name) => ({ name, type: '' }));
    const positional = new Set(cursorColumns.map((c) => findColumn(columns, c)?.name ?? c));
    // One context per column for the page, not one per value: normalise keeps none of it.
    const contexts = columns.map((column) => ({ column, timeZone: this.#timeZone }));
    const blank = rowTemplate(columns.map((column) => column.name)) as () => Row;
    // The driver's values in column order when it has them, else its rows by name.
    const values = result.values;
    const keyed = values ? null : result.rows;
    const count = values ? values.length : keyed!.length;
    const rows: Row[] = new Array(count);
    for (let r = 0; r < count; r++) {
      const inOrder = values ? values[r]! : null;
      const named = keyed ? keyed[r]! : null;
      const row = blank();
      for (let c = 0; c < contexts.length; c++) {
        const context = contexts[c]!;
        const column = context.column;
        try {
          row[column.name] = this.#dialect.normalise(inOrder ? inOrder[c] : named![column.name], context);
        } catch (err) {
          const error = err instanceof ConnectorError ? err : new ConnectorError('SOURCE_VALUE_UNREADABLE', `column "${column.name}" (${column.type}): ${messageOf(err)}`, { cause: err });
          if (positional.has(column.name) || !UNREADABLE_CODES.has(error.code)) throw error;
          markUnreadable(row, {
            column: column.name,
            code: error.code === 'SOURCE_BINARY_COLUMN' ? 'SOURCE_BINARY_COLUMN' : 'SOURCE_VALUE_UNREADABLE',
            detail: `${column.name} (${column.type})`,
          });
        }
      }
      rows[r] = row;
    }
    return rows;
  }

  /** A clock's value as ISO UTC, whatever form the dialect returned it in (zoned, Date, or naive UTC text). */
  #instant(raw: unknown, meta: ColumnMeta | undefined): string {
    const column = meta ?? { name: 'now', type: '' };
    const value = raw instanceof Date ? raw.toISOString() : this.#dialect.normalise(raw, { column, timeZone: 'UTC' });
    const iso = isIsoUtc(value) ? value : typeof value === 'string' ? naiveLocalToIso(value, 'UTC') : null;
    if (!iso) throw new ConnectorError('SOURCE_QUERY_FAILED', `the database clock did not read as a timestamp: ${String(value).slice(0, 40)}`);
    return iso;
  }
}

/** Value-level failures of normalise; anything else (a lost connection, a bug) is not a property of one row. */
const UNREADABLE_CODES = new Set(['SOURCE_BINARY_COLUMN', 'SOURCE_VALUE_UNREADABLE', 'SOURCE_QUERY_FAILED']);

function findColumn(columns: ColumnMeta[], name: string): ColumnMeta | undefined {
  return columns.find((c) => c.name === name) ?? uniqueIgnoringCase(columns, name);
}

function uniqueIgnoringCase(columns: ColumnMeta[], name: string): ColumnMeta | undefined {
  const matches = columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
  return matches.length === 1 ? matches[0] : undefined;
}

/** A catalogue query's cell by its alias, whatever case the database returned the alias in (Oracle upper-cases). */
function cell(row: Record<string, unknown>, alias: string): unknown {
  if (alias in row) return row[alias];
  const key = Object.keys(row).find((k) => k.toLowerCase() === alias);
  return key === undefined ? undefined : row[key];
}

/** Row `index`'s raw values of the named columns. */
function rawValues(result: QueryResult, index: number, names: readonly string[]): unknown[] {
  const values = result.values?.[index];
  if (values) return names.map((name) => values[result.columns.findIndex((column) => column.name === name)]);
  const row = result.rows[index];
  return names.map((name) => row?.[name]);
}

function firstValue(result: QueryResult): unknown {
  const row = result.rows[0];
  if (!row) return undefined;
  const name = result.columns[0]?.name;
  return name !== undefined && name in row ? row[name] : Object.values(row)[0];
}

function truth(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  const text = String(value).trim().toUpperCase();
  if (['1', 'Y', 'YES', 'T', 'TRUE', 'ON'].includes(text)) return true;
  if (['0', 'N', 'NO', 'F', 'FALSE', 'OFF', ''].includes(text)) return false;
  return null;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A driver that neither answers nor times out (a half-open TCP connection)
 * must not hold the source for ever: past the deadline the connection is
 * reported lost. A late result is disposed of with `dispose`.
 */
function withDeadline<T>(work: Promise<T>, ms: number, dispose?: (late: T) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      reject(new ConnectorError('SOURCE_CONNECTION_LOST', `no answer from the database within ${ms} ms`));
    }, ms);
    timer.unref();
  });
  work.then(
    (value) => {
      if (expired) dispose?.(value);
    },
    () => undefined,
  );
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
