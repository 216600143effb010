/**
 * SQL Server through `mssql` 12 (tedious 19), loaded on first connect so a
 * department without SQL Server never loads it. Typed by the subset called.
 *
 * One SqlConnection is one tedious connection pinned for its whole life by a
 * READ COMMITTED transaction that is only ever rolled back. `mssql` pools
 * connections and would silently replace a broken one, and the replacement
 * would lack the session's settings (lock timeout, isolation level); inside
 * the transaction a broken or server-aborted connection makes the next
 * statement fail instead, as SOURCE_CONNECTION_LOST, and the source
 * reconnects and sets the session up again. The transaction writes nothing
 * and, under READ COMMITTED, holds no lock between statements.
 *
 * Exact numerics: tedious parses DECIMAL, NUMERIC and MONEY into doubles,
 * so a page whose columns include wide ones is sent with a select list that
 * converts them to SQL Server's own text (learnt once per statement with
 * TOP (0), see #exactPage); its rows come back under the columns' real types.
 *
 * Connection options that matter:
 * - readOnlyIntent (ApplicationIntent=ReadOnly): reads go to a readable
 *   secondary when the listener of an availability group is given.
 * - useUTC: naive date/time values are read from and written to the Date's
 *   UTC fields, so the gateway process's own zone never shifts them.
 * - encrypt (default true) and trustServerCertificate (default false): a
 *   server with a self-signed certificate needs trustServerCertificate, one
 *   without TLS 1.2 (an unpatched 2012) needs encrypt: false.
 */
import type { MssqlSourceOptions } from '../options.js';
import { ConnectorError } from '../errors.js';
import type { ColumnMeta, QueryResult, SqlConnection, SqlDriver } from '../sql/dialect.js';
import { exactSelectList } from './mssql-dialect.js';
import { topStar, withSelectList, withTop } from './mssql-query-text.js';
import { isMssqlParam, mssqlColumnMeta, type MssqlColumn, type MssqlParam } from './mssql-types.js';

/** A type as `mssql` takes it in request.input: a type function, or what calling one returns. */
type MssqlType = unknown;

interface MssqlRequest {
  arrayRowMode: boolean;
  input(name: string, type: MssqlType, value: unknown): MssqlRequest;
  /** sp_executesql: the statement runs in a scope of its own. */
  query(sql: string): Promise<MssqlResult>;
  /** A plain batch: its SET statements stay in force for the session. */
  batch(sql: string): Promise<MssqlResult>;
  cancel(): void;
}

/** One result set: its rows (arrays, under arrayRowMode) and, as mssql attaches it, its columns. */
type MssqlRecordset = unknown[][] & { columns?: MssqlColumn[] };

interface MssqlResult {
  recordsets: MssqlRecordset[];
}

interface MssqlTransaction {
  begin(isolationLevel: number): Promise<unknown>;
  request(config?: { requestTimeout?: number }): MssqlRequest;
  rollback(): Promise<void>;
}

interface MssqlPool {
  connect(): Promise<unknown>;
  close(): Promise<void>;
  on(event: 'error', listener: (err: unknown) => void): unknown;
}

export interface MssqlConfig {
  server: string;
  port?: number;
  database: string;
  user: string;
  password: string;
  connectionTimeout: number;
  requestTimeout: number;
  arrayRowMode: boolean;
  pool: { max: number; min: number; idleTimeoutMillis: number };
  options: {
    instanceName?: string;
    encrypt: boolean;
    trustServerCertificate: boolean;
    readOnlyIntent: boolean;
    useUTC: boolean;
    appName: string;
  };
}

export interface MssqlModule {
  ConnectionPool: new (config: MssqlConfig) => MssqlPool;
  Transaction: new (pool: MssqlPool) => MssqlTransaction;
  ISOLATION_LEVEL: { READ_COMMITTED: number };
  MAX: number;
  BigInt: MssqlType;
  Int: MssqlType;
  Bit: MssqlType;
  Float: MssqlType;
  Date: MssqlType;
  DateTime: MssqlType;
  SmallDateTime: MssqlType;
  UniqueIdentifier: MssqlType;
  Decimal(precision: number, scale: number): MssqlType;
  DateTime2(scale: number): MssqlType;
  DateTimeOffset(scale: number): MssqlType;
  VarChar(length: number): MssqlType;
  NVarChar(length: number): MssqlType;
}

async function loadMssql(): Promise<MssqlModule> {
  const loaded = (await import('mssql')) as unknown as { default?: MssqlModule } & MssqlModule;
  return loaded.default ?? loaded;
}

/** Source options → `mssql` configuration. Pure; the password goes only here, never into a message. */
export function mssqlConfig(options: MssqlSourceOptions, connectTimeoutMs: number): MssqlConfig {
  return {
    server: options.host,
    ...(options.instanceName ? {} : { port: options.port ?? 1433 }),
    database: options.database,
    user: options.user,
    password: options.password,
    connectionTimeout: connectTimeoutMs,
    // Each statement gets its own timeout (query's timeoutMs); none by default.
    requestTimeout: 0,
    arrayRowMode: true,
    // The transaction pins the one connection; the pool never grows, never idles it out.
    pool: { max: 1, min: 0, idleTimeoutMillis: 2_147_483_647 },
    options: {
      ...(options.instanceName ? { instanceName: options.instanceName } : {}),
      encrypt: options.encrypt ?? true,
      trustServerCertificate: options.trustServerCertificate ?? false,
      readOnlyIntent: true,
      useUTC: true,
      appName: 'credit-gateway',
    },
  };
}

/** An MssqlParam (or a plain value SqlSource placed itself) → the `mssql` type to bind it with. */
export function mssqlInput(mssql: MssqlModule, param: unknown): { type: MssqlType; value: unknown } {
  const p: MssqlParam | null = isMssqlParam(param) ? param : null;
  const value = p ? p.value : param;
  switch (p?.type) {
    case 'BigInt': return { type: mssql.BigInt, value };
    case 'Int': return { type: mssql.Int, value };
    case 'Bit': return { type: mssql.Bit, value };
    case 'Float': return { type: mssql.Float, value };
    case 'Decimal': return { type: mssql.Decimal(p.precision ?? 38, p.scale ?? 0), value };
    case 'Date': return { type: mssql.Date, value };
    case 'DateTime': return { type: mssql.DateTime, value };
    case 'SmallDateTime': return { type: mssql.SmallDateTime, value };
    case 'DateTime2': return { type: mssql.DateTime2(p.scale ?? 7), value };
    case 'DateTimeOffset': return { type: mssql.DateTimeOffset(p.scale ?? 7), value };
    case 'UniqueIdentifier': return { type: mssql.UniqueIdentifier, value };
    case 'VarChar': return { type: mssql.VarChar(textLength(mssql, value, 8000)), value };
    case 'NVarChar': return { type: mssql.NVarChar(textLength(mssql, value, 4000)), value };
    case undefined: break;
  }
  if (typeof value === 'number') return { type: Number.isInteger(value) ? mssql.BigInt : mssql.Float, value: Number.isInteger(value) ? String(value) : value };
  if (typeof value === 'boolean') return { type: mssql.Bit, value };
  return { type: mssql.NVarChar(textLength(mssql, value, 4000)), value: value ?? null };
}

/** The type's full width unless the text may not fit (a character can take two bytes): one plan for every page, (MAX) only when needed. */
function textLength(mssql: MssqlModule, text: unknown, width: number): number {
  return typeof text === 'string' && text.length > width / 2 ? mssql.MAX : width;
}

interface DriverError {
  code?: string;
  number?: number;
  message?: string;
  originalError?: DriverError;
}

const LOST = new Set(['ESOCKET', 'ECONNCLOSED', 'ENOCONN', 'ECONNRESET', 'EABORT', 'ENOTBEGUN', 'EINVALIDSTATE']);
/** Lock request time out period exceeded: the statement waited LOCK_TIMEOUT behind a writer. */
const LOCK_TIMEOUT_ERROR = 1222;

/** A driver error → the connector error SqlSource acts on. Pure. */
export function mssqlQueryError(err: unknown, timedOut: boolean): ConnectorError {
  const e = (err ?? {}) as DriverError;
  const message = e.message ?? String(err);
  if (timedOut || e.code === 'ETIMEOUT' || e.code === 'ECANCEL') return new ConnectorError('SOURCE_QUERY_TIMEOUT', message, { cause: err });
  if (e.number === LOCK_TIMEOUT_ERROR || e.originalError?.number === LOCK_TIMEOUT_ERROR) {
    return new ConnectorError('SOURCE_QUERY_TIMEOUT', `waited too long for a lock held by another session: ${message}`, { cause: err });
  }
  if (e.code !== undefined && LOST.has(e.code)) return new ConnectorError('SOURCE_CONNECTION_LOST', message, { cause: err });
  return new ConnectorError('SOURCE_QUERY_FAILED', message, { cause: err });
}

/**
 * The last result set (a batch may SET or EXEC before its SELECT) → rows
 * keyed by column name. The columns are read from the result set itself,
 * where mssql puts them for a query and a batch alike (its result.columns
 * exists for queries only).
 */
export function mssqlQueryResult(result: MssqlResult): QueryResult {
  const recordset = result.recordsets[result.recordsets.length - 1];
  if (!recordset) return { rows: [], columns: [] };
  const columns = (recordset.columns ?? []).map(mssqlColumnMeta);
  const rows = recordset.map((values) => {
    const row: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      row[column.name] = values[i];
    });
    return row;
  });
  return { rows, columns };
}

/** How a page statement is really sent: with exact numerics read as text, and the columns as they are in the database. */
interface ExactPage {
  sql: string;
  columns: ColumnMeta[] | null;
}

class MssqlConnection implements SqlConnection {
  readonly #mssql: MssqlModule;
  readonly #pool: MssqlPool;
  readonly #transaction: MssqlTransaction;
  /** Per page statement: learnt once per connection (a new connection may meet a changed schema). */
  readonly #exactPages = new Map<string, ExactPage>();
  #lost: unknown = null;

  constructor(mssql: MssqlModule, pool: MssqlPool, transaction: MssqlTransaction) {
    this.#mssql = mssql;
    this.#pool = pool;
    this.#transaction = transaction;
    // Without a listener an 'error' event would end the process; the next statement reports it instead.
    pool.on('error', (err) => {
      this.#lost = err;
    });
  }

  async query(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult> {
    try {
      const page = await this.#exactPage(sql, params, options);
      const result = await this.#run(page.sql, params, options);
      return page.columns ? { rows: result.rows, columns: page.columns } : result;
    } catch (err) {
      this.#exactPages.clear();
      throw err;
    }
  }

  /**
   * A page whose columns include wide exact numerics is sent with a select
   * list that reads them as text (exactSelectList). Which columns those are
   * is asked once per statement, with the same statement limited to TOP (0);
   * the rows then come back under the columns' own types, so they are
   * normalised, and bound back as cursors, as the decimals they are.
   */
  async #exactPage(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<ExactPage> {
    const known = this.#exactPages.get(sql);
    if (known) return known;
    const shape = topStar(sql);
    let page: ExactPage = { sql, columns: null };
    if (shape && sql.slice(shape.top[0], shape.top[1]).trim() !== '0') {
      const { columns } = await this.#run(withTop(sql, shape, '0'), params, options);
      const list = exactSelectList(columns);
      if (list) page = { sql: withSelectList(sql, shape, list), columns };
    }
    this.#exactPages.set(sql, page);
    return page;
  }

  async #run(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult> {
    if (this.#lost) throw new ConnectorError('SOURCE_CONNECTION_LOST', (this.#lost as Error).message ?? String(this.#lost), { cause: this.#lost });
    options.signal?.throwIfAborted();
    const request = this.#transaction.request({ requestTimeout: Math.max(1, Math.floor(options.timeoutMs)) });
    request.arrayRowMode = true;
    params.forEach((param, i) => {
      const { type, value } = mssqlInput(this.#mssql, param);
      request.input(`p${i + 1}`, type, value);
    });
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      request.cancel();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Without parameters as a plain batch: sp_executesql would undo the session's
      // SET statements (LOCK_TIMEOUT, isolation level) when it returns.
      return mssqlQueryResult(await (params.length === 0 ? request.batch(sql) : request.query(sql)));
    } catch (err) {
      throw mssqlQueryError(err, cancelled);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    try {
      await this.#transaction.rollback();
    } catch {
      // Already rolled back by the server, or the connection is gone: nothing was written either way.
    }
    await this.#pool.close();
  }
}

export class MssqlDriver implements SqlDriver {
  readonly #options: MssqlSourceOptions;
  readonly #connectTimeoutMs: number;

  constructor(options: MssqlSourceOptions, connectTimeoutMs: number) {
    this.#options = options;
    this.#connectTimeoutMs = connectTimeoutMs;
  }

  async connect(): Promise<SqlConnection> {
    const mssql = await loadMssql();
    const pool = new mssql.ConnectionPool(mssqlConfig(this.#options, this.#connectTimeoutMs));
    const where = `${this.#options.host}${this.#options.instanceName ? `\\${this.#options.instanceName}` : `:${this.#options.port ?? 1433}`}/${this.#options.database}`;
    try {
      await pool.connect();
    } catch (err) {
      throw new ConnectorError('SOURCE_UNAVAILABLE', `${where}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const transaction = new mssql.Transaction(pool);
      await transaction.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED);
      return new MssqlConnection(mssql, pool, transaction);
    } catch (err) {
      await pool.close().catch(() => undefined);
      throw new ConnectorError('SOURCE_UNAVAILABLE', `${where}: ${(err as Error).message}`, { cause: err });
    }
  }
}
