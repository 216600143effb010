/**
 * Oracle through node-oracledb 6+, loaded on first connect so a department
 * without Oracle never loads it. Typed by the subset called.
 *
 * Thin mode (pure JavaScript, no Oracle Client) reaches Oracle 12.1 and
 * later. 11g needs thick mode: install Oracle Instant Client (19c still
 * connects to 11.2) on the gateway machine and give its directory as
 * thickLibDir; the driver then calls oracledb.initOracleClient({ libDir })
 * before its first connection. The mode is chosen once per process, by the
 * first Oracle source that connects: after thick mode is on, every Oracle
 * source uses it (it reaches 12c+ too); after a thin connection, thick mode
 * can no longer be turned on and a thickLibDir source fails to open with the
 * reason — so give every Oracle source of one gateway the same thickLibDir,
 * or none.
 *
 * Every statement but ALTER SESSION runs in its own read-only transaction:
 * SET TRANSACTION READ ONLY, the statement, ROLLBACK (see oracle-dialect.ts).
 * NUMBER, CLOB and NCLOB are fetched as text through a per-statement
 * fetchTypeHandler; oracledb's global settings are never touched.
 */
import { SOURCE_DEFAULT_PORTS, type OracleSourceOptions } from '../options.js';
import { ConnectorError } from '../errors.js';
import type { QueryResult, SqlConnection, SqlDriver } from '../sql/dialect.js';
import { rowsFromValues } from '../sql/row-template.js';
import { isOracleParam, oracleColumnMeta, oracleTextSelectList, type OracleMetaData } from './oracle-types.js';

/** An oracledb database type constant (oracledb.DB_TYPE_NUMBER …); compared by identity only. */
type DbType = object;

interface FetchTypeMetaData {
  dbType: DbType;
}

interface ExecuteOptions {
  outFormat: number;
  fetchTypeHandler: (meta: FetchTypeMetaData) => { type: DbType } | undefined;
}

interface OracleBind {
  type: DbType;
  val: unknown;
}

interface OracleResult {
  rows?: unknown[][];
  metaData?: OracleMetaData[];
}

interface OracleConnection {
  callTimeout: number;
  /** End-to-end tracing: V$SESSION.MODULE. */
  module: string;
  execute(sql: string, binds: unknown[], options: ExecuteOptions): Promise<OracleResult>;
  execute(sql: string): Promise<OracleResult>;
  rollback(): Promise<void>;
  breakExecution(): Promise<void>;
  close(): Promise<void>;
}

export interface OracleConnectConfig {
  user: string;
  password: string;
  connectString: string;
  /** Seconds (oracledb's unit). */
  connectTimeout: number;
  transportConnectTimeout: number;
}

export interface OracleDbModule {
  /** True while no thick-mode client is loaded. */
  readonly thin: boolean;
  initOracleClient(options: { libDir: string }): void;
  getConnection(config: OracleConnectConfig): Promise<OracleConnection>;
  OUT_FORMAT_ARRAY: number;
  STRING: DbType;
  DB_TYPE_NUMBER: DbType;
  DB_TYPE_CLOB: DbType;
  DB_TYPE_NCLOB: DbType;
  DB_TYPE_CHAR: DbType;
  DB_TYPE_NCHAR: DbType;
}

async function loadOracleDb(): Promise<OracleDbModule> {
  // A variable specifier: oracledb ships no type declarations, and only the subset above is used.
  const specifier = 'oracledb';
  const loaded = (await import(specifier)) as { default?: OracleDbModule } & OracleDbModule;
  return loaded.default ?? loaded;
}

export const ORACLE_DEFAULT_PORT = SOURCE_DEFAULT_PORTS.oracle;

/** Source options → oracledb connection attributes. Pure; the password goes only here, never into a message. */
export function oracleConnectConfig(options: OracleSourceOptions, connectTimeoutMs: number): OracleConnectConfig {
  const seconds = Math.max(1, Math.ceil(connectTimeoutMs / 1000));
  return {
    user: options.user,
    password: options.password,
    connectString: oracleConnectString(options),
    connectTimeout: seconds,
    transportConnectTimeout: seconds,
  };
}

/** The Easy Connect string host:port/service_name, unless a connect string (or TNS alias) is given. */
export function oracleConnectString(options: Pick<OracleSourceOptions, 'connectString' | 'host' | 'port' | 'database'>): string {
  if (options.connectString) return options.connectString;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `${host}:${options.port ?? ORACLE_DEFAULT_PORT}/${options.database}`;
}

/** NUMBER as text keeps every digit; CLOB/NCLOB as text are read whole, not as LOB handles. */
export function oracleFetchTypeHandler(oracledb: OracleDbModule): ExecuteOptions['fetchTypeHandler'] {
  return (meta) => {
    if (meta.dbType === oracledb.DB_TYPE_NUMBER || meta.dbType === oracledb.DB_TYPE_CLOB || meta.dbType === oracledb.DB_TYPE_NCLOB) {
      return { type: oracledb.STRING };
    }
    return undefined;
  };
}

/** An OracleParam (or a plain value SqlSource placed itself) → what oracledb binds. */
export function oracleBind(oracledb: OracleDbModule, param: unknown): unknown {
  if (!isOracleParam(param)) return param;
  if (param.bindAs === 'CHAR') return { type: oracledb.DB_TYPE_CHAR, val: param.value } satisfies OracleBind;
  if (param.bindAs === 'NCHAR') return { type: oracledb.DB_TYPE_NCHAR, val: param.value } satisfies OracleBind;
  return param.value;
}

/** Statements that set the session up: they end any transaction, so they run outside one. */
export function isSessionStatement(sql: string): boolean {
  return /^\s*ALTER\s+SESSION\b/i.test(sql);
}

interface DriverError {
  code?: string;
  errorNum?: number;
  isRecoverable?: boolean;
  message?: string;
}

const TIMEOUT = new Set(['NJS-123', 'DPI-1067', 'ORA-01013', 'ORA-03156']);
const LOST = new Set(['NJS-500', 'NJS-501', 'NJS-003', 'NJS-521', 'DPI-1010', 'DPI-1080', 'ORA-03113', 'ORA-03114', 'ORA-03135', 'ORA-00028', 'ORA-02396', 'ORA-01012']);

/** A driver error → the connector error SqlSource acts on. Pure. */
export function oracleQueryError(err: unknown, timedOut: boolean): ConnectorError {
  const e = (err ?? {}) as DriverError;
  const message = e.message ?? String(err);
  if (timedOut || (e.code !== undefined && TIMEOUT.has(e.code))) return new ConnectorError('SOURCE_QUERY_TIMEOUT', message, { cause: err });
  if (e.isRecoverable || (e.code !== undefined && LOST.has(e.code))) return new ConnectorError('SOURCE_CONNECTION_LOST', message, { cause: err });
  return new ConnectorError('SOURCE_QUERY_FAILED', message, { cause: err });
}

/** oracledb's array rows and metaData → rows keyed by the gateway's column names. */
export function oracleQueryResult(result: OracleResult): QueryResult {
  const columns = (result.metaData ?? []).map(oracleColumnMeta);
  return { rows: rowsFromValues(columns.map((column) => column.name), result.rows ?? []), columns };
}

class OracleSession implements SqlConnection {
  readonly #oracledb: OracleDbModule;
  readonly #connection: OracleConnection;
  /** Per page statement text: how it is sent with its time columns as text, or null when it has none. */
  readonly #textPages = new Map<string, { sql: string; metaData: OracleMetaData[] } | null>();

  constructor(oracledb: OracleDbModule, connection: OracleConnection) {
    this.#oracledb = oracledb;
    this.#connection = connection;
  }

  async query(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult> {
    options.signal?.throwIfAborted();
    const connection = this.#connection;
    // callTimeout bounds each round trip; on expiry oracledb breaks the call on the server.
    connection.callTimeout = Math.max(1, Math.floor(options.timeoutMs));
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      void connection.breakExecution().catch(() => undefined);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const session = isSessionStatement(sql);
    try {
      if (!session) await connection.execute('SET TRANSACTION READ ONLY');
      const binds = params.map((p) => oracleBind(this.#oracledb, p));
      const page = isPageStatement(sql) ? await this.#textPage(sql, binds) : null;
      const result = await connection.execute(page?.sql ?? sql, binds, this.#executeOptions());
      return oracleQueryResult(page ? { ...result, metaData: page.metaData } : result);
    } catch (err) {
      throw oracleQueryError(err, cancelled);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      // Ends the read-only transaction, so the next statement sees what was committed since.
      if (!session) await connection.rollback().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.#connection.close();
  }

  #executeOptions(): ExecuteOptions {
    return { outFormat: this.#oracledb.OUT_FORMAT_ARRAY, fetchTypeHandler: oracleFetchTypeHandler(this.#oracledb) };
  }

  /**
   * A page with date or time columns is sent with a select list that reads
   * them as Oracle's text (oracleTextSelectList); the rows then come back
   * under the columns' own types, so they are normalised, and bound back as
   * cursors, as the times they are. Which columns those are is asked once
   * per statement text, with the page wrapped to return no row.
   */
  async #textPage(sql: string, binds: unknown[]): Promise<{ sql: string; metaData: OracleMetaData[] } | null> {
    if (this.#textPages.has(sql)) return this.#textPages.get(sql)!;
    const described = await this.#connection.execute(`SELECT * FROM (${sql}) WHERE 1 = 0`, binds, this.#executeOptions());
    const metaData = described.metaData ?? [];
    const list = oracleTextSelectList(metaData);
    const page = list ? { sql: sql.replace(/^SELECT \* FROM /, `SELECT ${list} FROM `), metaData } : null;
    if (this.#textPages.size >= 64) this.#textPages.clear();
    this.#textPages.set(sql, page);
    return page;
  }
}

/** The page statements of oracle-dialect.ts (FETCH FIRST or ROWNUM), whose select list may be rewritten. */
export function isPageStatement(sql: string): boolean {
  return sql.startsWith('SELECT * FROM ') && (/ FETCH FIRST :\d+ ROWS ONLY$/.test(sql) || /\) WHERE ROWNUM <= :\d+$/.test(sql));
}

export class OracleDriver implements SqlDriver {
  readonly #options: OracleSourceOptions;
  readonly #connectTimeoutMs: number;

  constructor(options: OracleSourceOptions, connectTimeoutMs: number) {
    this.#options = options;
    this.#connectTimeoutMs = connectTimeoutMs;
  }

  async connect(): Promise<SqlConnection> {
    const oracledb = await loadOracleDb();
    const where = oracleConnectString(this.#options);
    if (this.#options.thickLibDir && oracledb.thin) {
      try {
        oracledb.initOracleClient({ libDir: this.#options.thickLibDir });
      } catch (err) {
        throw new ConnectorError('SOURCE_UNAVAILABLE', `Oracle Client (thick mode) in ${this.#options.thickLibDir}: ${(err as Error).message}`, { cause: err });
      }
    }
    try {
      const connection = await oracledb.getConnection(oracleConnectConfig(this.#options, this.#connectTimeoutMs));
      // Shown in V$SESSION.MODULE, so the department's DBA can tell the gateway's session apart.
      connection.module = 'credit-gateway';
      return new OracleSession(oracledb, connection);
    } catch (err) {
      const e = err as DriverError;
      // Thin mode cannot speak to 11g (NJS-138): say what to do about it.
      const hint = e.code === 'NJS-138' ? ' (Oracle 11g needs thick mode: install Oracle Instant Client and set thickLibDir)' : '';
      throw new ConnectorError('SOURCE_UNAVAILABLE', `${where}: ${e.message ?? String(err)}${hint}`, { cause: err });
    }
  }
}
