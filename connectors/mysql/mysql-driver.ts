/**
 * The only file that talks to mysql2, loaded on first connect so a
 * department without MySQL never loads it. One connection per source: pages
 * are read one after another, so a pool would only hold more sessions open
 * on the department's server.
 *
 * Driver options that decide values (see mysql-types.ts):
 * - dateStrings: DATE/DATETIME/TIMESTAMP arrive as the server's text, never
 *   through a JS Date in the gateway's own zone;
 * - supportBigNumbers + bigNumberStrings, decimalNumbers false: BIGINT and
 *   DECIMAL arrive as exact text, never as a float;
 * - jsonStrings: JSON arrives as its text, not re-serialised;
 * - rowsAsArray: a query that returns two columns of the same name is
 *   refused instead of one silently replacing the other.
 *
 * A timed-out or aborted statement is cancelled on the server with KILL QUERY
 * from a second, short-lived connection (a user may always kill its own
 * statements), so a runaway query stops loading the server even if the
 * gateway gives up on it; the statement limits in the session are the second
 * wall should the gateway itself die.
 */
import { ConnectorError } from '../errors.js';
import type { QueryResult, SqlConnection, SqlDriver } from '../sql/dialect.js';
import { valuesResult } from '../sql/row-template.js';
import { mysqlColumnMeta, type MysqlField } from './mysql-types.js';

export interface MysqlConnectOptions {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  connectTimeoutMs: number;
}

/** The mysql2 errors we branch on. */
interface MysqlError extends Error {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  fatal?: boolean;
}

/** The part of mysql2/promise's Connection we call. */
interface Mysql2Connection {
  readonly threadId: number;
  query(options: { sql: string; values?: unknown[]; rowsAsArray?: boolean }): Promise<[unknown, MysqlField[] | undefined]>;
  end(): Promise<void>;
  destroy(): void;
  on(event: 'error', listener: (err: MysqlError) => void): unknown;
}

interface Mysql2Module {
  createConnection(options: Record<string, unknown>): Promise<Mysql2Connection>;
}

let loaded: Promise<Mysql2Module> | null = null;

function loadMysql2(): Promise<Mysql2Module> {
  loaded ??= import('mysql2/promise').then((m) => ((m as { default?: unknown }).default ?? m) as Mysql2Module);
  return loaded;
}

/** Errors after which the session is gone (the server went away, or the socket did). */
const CONNECTION_LOST_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'ER_NET_READ_ERROR', 'ER_NET_READ_INTERRUPTED', 'ER_NET_ERROR_ON_WRITE',
  'ER_NET_WRITE_INTERRUPTED', 'ER_NET_PACKETS_OUT_OF_ORDER', 'ER_CLIENT_INTERACTION_TIMEOUT',
]);
/** The server stopped the statement because its own limit passed (MariaDB max_statement_time, MySQL max_execution_time). */
const STATEMENT_TIMEOUT_ERRNOS = new Set([1969, 3024]);
const ER_QUERY_INTERRUPTED = 1317;
const ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION = 1792;
/** How long past its limit a statement may take to answer a KILL QUERY before the socket is dropped. */
const CANCEL_GRACE_MS = 5_000;

function describe(err: MysqlError): string {
  const message = err.sqlMessage ?? err.message;
  return err.code ? `${err.code}: ${message}` : message;
}

/** mysql2 refuses a result column named like one of Object.prototype's own members (__proto__, __defineGetter__ …). */
const PRIVATE_FIELD_NAME = /The field name \((.+)\) can't be the same as an object's private property/;

export function isConnectionLost(err: MysqlError): boolean {
  return err.fatal === true || (err.code !== undefined && CONNECTION_LOST_CODES.has(err.code));
}

export class MysqlDriver implements SqlDriver {
  readonly #options: MysqlConnectOptions;

  constructor(options: MysqlConnectOptions) {
    this.#options = options;
  }

  /** Where the source points, without the password, for messages. */
  get address(): string {
    const o = this.#options;
    return `${o.user}@${o.host}:${o.port}/${o.database}`;
  }

  async #open(): Promise<Mysql2Connection> {
    const mysql = await loadMysql2();
    const o = this.#options;
    return mysql.createConnection({
      host: o.host,
      port: o.port,
      database: o.database,
      user: o.user,
      password: o.password,
      connectTimeout: o.connectTimeoutMs,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      jsonStrings: true,
      multipleStatements: false,
      // Only matters for binding a JS Date, which the gateway never does; 'Z' keeps even that off the process's zone.
      timezone: 'Z',
      charset: 'UTF8MB4_GENERAL_CI',
    });
  }

  async connect(): Promise<SqlConnection> {
    let connection: Mysql2Connection;
    try {
      connection = await this.#open();
    } catch (err) {
      throw new ConnectorError('SOURCE_UNAVAILABLE', `${this.address}: ${describe(err as MysqlError)}`, { cause: err });
    }
    return new MysqlConnection(connection, () => this.#open(), this.address);
  }
}

class MysqlConnection implements SqlConnection {
  readonly #connection: Mysql2Connection;
  readonly #openAnother: () => Promise<Mysql2Connection>;
  readonly #address: string;
  /** Why the session is unusable, once it is. */
  #lost: MysqlError | null = null;
  /** A KILL QUERY on its way: the next statement waits for it, so it can only ever hit the statement it was meant for. */
  #cancelling: Promise<void> = Promise.resolve();

  constructor(connection: Mysql2Connection, openAnother: () => Promise<Mysql2Connection>, address: string) {
    this.#connection = connection;
    this.#openAnother = openAnother;
    this.#address = address;
    // Without a listener an idle connection that breaks (server restart,
    // wait_timeout) would throw from an event emitter and end the gateway.
    connection.on('error', (err) => {
      this.#lost ??= err;
    });
  }

  async query(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult> {
    await this.#cancelling;
    if (this.#lost) throw this.#lostError(this.#lost);
    if (options.signal?.aborted) throw new ConnectorError('SOURCE_QUERY_TIMEOUT', 'aborted before it started');

    let cancelled: 'timeout' | 'aborted' | null = null;
    const cancel = (why: 'timeout' | 'aborted') => {
      if (cancelled) return;
      cancelled = why;
      this.#cancelling = this.#killQuery();
    };
    const timer = setTimeout(() => cancel('timeout'), options.timeoutMs);
    const onAbort = () => cancel('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // The last resort, when even KILL QUERY got no answer. Our own timer, not
    // mysql2's `timeout` option: mysql2 leaves that one running when the
    // connection dies under the statement.
    let unanswered: NodeJS.Timeout | undefined;
    const silence = new Promise<never>((_, reject) => {
      unanswered = setTimeout(() => {
        this.#lost ??= Object.assign(new Error(`no answer within ${options.timeoutMs + CANCEL_GRACE_MS} ms`), { code: 'ETIMEDOUT' });
        this.#connection.destroy();
        reject(new ConnectorError('SOURCE_QUERY_TIMEOUT', `no answer within ${options.timeoutMs + CANCEL_GRACE_MS} ms; the connection was dropped`));
      }, options.timeoutMs + CANCEL_GRACE_MS);
    });
    try {
      const [rows, fields] = await Promise.race([this.#connection.query({ sql, values: params, rowsAsArray: true }), silence]);
      return toResult(rows, fields ?? []);
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      throw this.#translate(err as MysqlError, cancelled, options.timeoutMs);
    } finally {
      clearTimeout(timer);
      clearTimeout(unanswered);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  #translate(e: MysqlError, cancelled: 'timeout' | 'aborted' | null, timeoutMs: number): ConnectorError {
    if (e.errno !== undefined && STATEMENT_TIMEOUT_ERRNOS.has(e.errno)) {
      return new ConnectorError('SOURCE_QUERY_TIMEOUT', `stopped by the server after ${timeoutMs} ms: ${describe(e)}`, { cause: e });
    }
    if (cancelled && e.errno === ER_QUERY_INTERRUPTED) {
      return new ConnectorError('SOURCE_QUERY_TIMEOUT', cancelled === 'timeout' ? `cancelled after ${timeoutMs} ms` : 'aborted', { cause: e });
    }
    if (isConnectionLost(e)) {
      this.#lost ??= e;
      // The driver drops the connection over this, but nothing is wrong with the network: the query must change.
      const field = PRIVATE_FIELD_NAME.exec(e.message);
      if (field) {
        return new ConnectorError('SOURCE_QUERY_FAILED', `the result has a column named ${field[1]}, which the MySQL driver refuses to return: give it another name in the query (… AS another_name)`, { cause: e });
      }
      return this.#lostError(e);
    }
    if (e.errno === ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION) {
      return new ConnectorError('SOURCE_STATEMENT_REFUSED', `the read-only session refused it: ${describe(e)}`, { cause: e });
    }
    return new ConnectorError('SOURCE_QUERY_FAILED', describe(e), { cause: e });
  }

  #lostError(err: MysqlError): ConnectorError {
    return new ConnectorError('SOURCE_CONNECTION_LOST', `${this.#address}: ${describe(err)}`, { cause: err });
  }

  /**
   * KILL QUERY ends the statement, not the session. Bounded, because the next
   * statement waits for it; if the server cannot be reached for it, the
   * statement's own last-resort timer drops the connection.
   */
  async #killQuery(): Promise<void> {
    const threadId = Number(this.#connection.threadId);
    const attempt = (async () => {
      const killer = await this.#openAnother();
      killer.on('error', () => {});
      try {
        await killer.query({ sql: `KILL QUERY ${threadId}` });
      } finally {
        await killer.end().catch(() => killer.destroy());
      }
    })().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CANCEL_GRACE_MS);
    });
    await Promise.race([attempt, giveUp]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    if (this.#lost) {
      this.#connection.destroy();
      return;
    }
    this.#lost = Object.assign(new Error('connection closed'), { code: 'CLOSED' });
    try {
      await this.#connection.end();
    } catch {
      this.#connection.destroy();
    }
  }
}

function toResult(rows: unknown, fields: MysqlField[]): QueryResult {
  const columns = fields.map(mysqlColumnMeta);
  if (!Array.isArray(rows)) return { rows: [], columns };
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) {
      throw new ConnectorError('SOURCE_QUERY_FAILED', `the query returns two columns named "${column.name}": give one an alias`);
    }
    seen.add(column.name);
  }
  return valuesResult(columns, rows as unknown[][]);
}
