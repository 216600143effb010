/**
 * The only file that touches the pg package, loaded on first connect so a
 * gateway without a PostgreSQL source never loads it. One pg Client per
 * connection (no pool: a source reads one page at a time), typed by the few
 * members called here.
 *
 * Every statement goes through the extended protocol, even without
 * parameters: it takes exactly one statement, so no text can smuggle a second
 * one in behind a SELECT.
 *
 * Every value comes back as PostgreSQL's text: the client gets its own type
 * parsers (never pg's process-wide `types`), all the identity, and
 * postgres-types.ts reads the text. So no value passes through a JavaScript
 * Date (the gateway's time zone) or float (NUMERIC precision).
 */
import { connect as netConnect, Socket } from 'node:net';
import type { ColumnMeta, QueryResult, SqlConnection, SqlDriver } from '../sql/dialect.js';
import { valuesResult } from '../sql/row-template.js';
import { ConnectorError } from '../errors.js';
import { columnMeta, PG_TYPE_NAMES, typeNameFromCatalog, type PgTypeRow } from './postgres-types.js';

interface PgField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}

interface PgResult {
  rows: unknown[][];
  fields: PgField[];
}

interface PgClientConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  application_name: string;
  connectionTimeoutMillis: number;
  statement_timeout: number;
  keepAlive: boolean;
  stream: () => Socket;
  types: { getTypeParser: (oid: number, format?: string) => (text: string) => unknown };
}

interface PgClient {
  connect(): Promise<void>;
  query(config: { text: string; values: unknown[]; rowMode: 'array'; queryMode: 'extended' }): Promise<PgResult>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** Backend key data, for a cancel request. */
  readonly processID: number | null;
  readonly secretKey: number | null;
}

interface PgModule {
  Client: new (config: PgClientConfig) => PgClient;
}

export interface PostgresDriverOptions {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  applicationName: string;
  connectTimeoutMs: number;
  /** The server-side statement_timeout the session starts with. */
  queryTimeoutMs: number;
}

const rawText = (text: string): string => text;
const RAW_TYPES = { getTypeParser: () => rawText };

export class PostgresDriver implements SqlDriver {
  readonly #options: PostgresDriverOptions;

  constructor(options: PostgresDriverOptions) {
    this.#options = options;
  }

  async connect(): Promise<SqlConnection> {
    const o = this.#options;
    let pg: PgModule;
    try {
      pg = ((await import('pg')) as unknown as { default: PgModule }).default;
    } catch (err) {
      throw new ConnectorError('SOURCE_UNAVAILABLE', `the pg package cannot be loaded: ${(err as Error).message}`, { cause: err });
    }
    const client = new pg.Client({
      host: o.host,
      port: o.port,
      database: o.database,
      user: o.user,
      password: o.password,
      application_name: o.applicationName,
      connectionTimeoutMillis: o.connectTimeoutMs,
      statement_timeout: o.queryTimeoutMs,
      // Lets the OS notice a peer that vanished without a word (a cut link, a powered-off host).
      keepAlive: true,
      stream: guardedSocket,
      types: RAW_TYPES,
    });
    const connection = new PostgresConnection(client, o);
    try {
      await client.connect();
    } catch (err) {
      void client.end().catch(() => undefined);
      throw new ConnectorError('SOURCE_UNAVAILABLE', describeConnectError(err, o), { cause: err });
    }
    return connection;
  }
}

/**
 * The socket pg reads from, with one guard: pg's protocol parser throws from
 * inside the socket's 'data' event on a login request it does not know (the
 * sm3 exchange of openGauss, say), which would take the whole gateway down.
 * Such a throw ends this one connection with the error instead.
 */
function guardedSocket(): Socket {
  const socket = new Socket();
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data') return emit(event, ...args);
    try {
      return emit(event, ...args);
    } catch (err) {
      socket.destroy(err instanceof Error ? err : new Error(String(err)));
      return true;
    }
  }) as Socket['emit'];
  return socket;
}

class PostgresConnection implements SqlConnection {
  readonly #client: PgClient;
  readonly #options: PostgresDriverOptions;
  readonly #typeNames = new Map<number, string>();
  #statementTimeoutMs: number;
  #broken: Error | null = null;

  constructor(client: PgClient, options: PostgresDriverOptions) {
    this.#client = client;
    this.#options = options;
    this.#statementTimeoutMs = options.queryTimeoutMs;
    // An idle connection that breaks (server restart, pg_terminate_backend)
    // emits 'error'; unheard, it would crash the process.
    client.on('error', (err) => {
      this.#broken ??= err;
    });
  }

  async query(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult> {
    const timeoutMs = Math.max(1, Math.floor(options.timeoutMs));
    if (timeoutMs !== this.#statementTimeoutMs) {
      // The server enforces the limit itself and cancels the statement there.
      await this.#run(`SET statement_timeout = ${timeoutMs}`, [], timeoutMs, options.signal);
      this.#statementTimeoutMs = timeoutMs;
    }
    const result = await this.#run(sql, params, timeoutMs, options.signal);
    const columns = await this.#columns(result.fields, timeoutMs, options.signal);
    const names = columns.map((c) => c.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) {
      throw new ConnectorError('SOURCE_QUERY_FAILED', `the query result has two columns named "${duplicate}": give each its own name with AS`);
    }
    return valuesResult(columns, result.rows);
  }

  async close(): Promise<void> {
    this.#broken ??= new Error('closed');
    await this.#client.end().catch(() => undefined);
  }

  async #run(sql: string, params: unknown[], timeoutMs: number, signal?: AbortSignal): Promise<PgResult> {
    if (this.#broken) throw new ConnectorError('SOURCE_CONNECTION_LOST', this.#broken.message, { cause: this.#broken });
    if (signal?.aborted) throw new ConnectorError('SOURCE_QUERY_TIMEOUT', 'aborted before it was sent');
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    // If the server does not even answer its own statement_timeout, the link or
    // the server is gone: give up on this connection rather than wait for TCP.
    const unanswered = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new ConnectorError('SOURCE_CONNECTION_LOST', `no answer from the server ${Math.round(timeoutMs + graceMs(timeoutMs))} ms after a query with a ${timeoutMs} ms limit`);
        this.#broken ??= err;
        this.#cancel();
        void this.#client.end().catch(() => undefined);
        reject(err);
      }, timeoutMs + graceMs(timeoutMs));
    });
    if (signal) {
      onAbort = () => this.#cancel();
      signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      return await Promise.race([this.#client.query({ text: sql, values: params, rowMode: 'array', queryMode: 'extended' }), unanswered]);
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      const mapped = classifyPostgresError(err, signal?.aborted === true);
      if (mapped.code === 'SOURCE_CONNECTION_LOST') this.#broken ??= err as Error;
      throw mapped;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Type names for the result's columns; types the built-in table lacks are looked up once per connection. */
  async #columns(fields: PgField[], timeoutMs: number, signal?: AbortSignal): Promise<ColumnMeta[]> {
    const unknown = [...new Set(fields.map((f) => f.dataTypeID))].filter((oid) => !(oid in PG_TYPE_NAMES) && !this.#typeNames.has(oid));
    if (unknown.length > 0) {
      const result = await this.#run(
        `SELECT t.oid::int8, t.typname, t.typcategory, e.typname
           FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
          WHERE t.oid = ANY($1::oid[])`,
        [unknown],
        timeoutMs,
        signal,
      );
      for (const [oid, typname, typcategory, elemname] of result.rows as [string, string, string, string | null][]) {
        this.#typeNames.set(Number(oid), typeNameFromCatalog({ typname, typcategory, elemname } satisfies PgTypeRow));
      }
    }
    return fields.map((f) => columnMeta(f.name, PG_TYPE_NAMES[f.dataTypeID] ?? this.#typeNames.get(f.dataTypeID) ?? 'unknown', f.dataTypeModifier));
  }

  /**
   * The protocol's CancelRequest on a new socket: needs no login, and stops
   * the statement on the server instead of merely abandoning it there.
   */
  #cancel(): void {
    const { processID, secretKey } = this.#client;
    if (processID === null || secretKey === null) return;
    const o = this.#options;
    const socket: Socket = o.host.startsWith('/') ? netConnect(`${o.host}/.s.PGSQL.${o.port}`) : netConnect(o.port, o.host);
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('connect', () => {
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(80877102, 4);
      packet.writeInt32BE(processID, 8);
      packet.writeInt32BE(secretKey, 12);
      socket.end(packet);
    });
  }
}

function graceMs(timeoutMs: number): number {
  return Math.min(5000, Math.max(1000, timeoutMs));
}

/** SQLSTATEs that mean the session is gone: admin/crash shutdown, cannot connect now, connection exceptions (class 08). */
const LOST_STATES = new Set(['57P01', '57P02', '57P03']);
/** Errors raised by node or pg itself when the socket broke, before or without a server message. */
const LOST_MESSAGE = /Connection terminated|connection error|not queryable|ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|socket hang up/i;

/**
 * A pg error → the connector's catalogue. Pure, so every branch is tested.
 * The SQLSTATE travels in the message: it is what a DBA searches for.
 */
export function classifyPostgresError(err: unknown, aborted = false): ConnectorError {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const detail = /^[0-9A-Z]{5}$/.test(code) ? `${code} ${message}` : message;
  const options = { cause: err };
  if (code === '57014') return new ConnectorError('SOURCE_QUERY_TIMEOUT', aborted ? `cancelled: ${detail}` : detail, options);
  if (code === '55P03') return new ConnectorError('SOURCE_QUERY_TIMEOUT', `waited too long for a lock held by another session (DDL?): ${detail}`, options);
  if (code === '25006') return new ConnectorError('SOURCE_STATEMENT_REFUSED', `the read-only session refused to write: ${detail}`, options);
  if (LOST_STATES.has(code) || code.startsWith('08') || LOST_MESSAGE.test(message)) {
    return new ConnectorError('SOURCE_CONNECTION_LOST', detail, options);
  }
  return new ConnectorError('SOURCE_QUERY_FAILED', detail, options);
}

/**
 * Why a login failed, for the status page; never the password. The pg
 * package speaks cleartext, md5 and SCRAM-SHA-256 only, and openGauss/GaussDB
 * ask for their own sha256 (or sm3) exchange with the request code that
 * PostgreSQL uses for SASL: say so, since the raw error names neither.
 */
export function describeConnectError(err: unknown, o: { host: string; port: number; database: string; user: string }): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? `${e.code} ` : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const where = `${o.user}@${o.host}:${o.port}/${o.database}`;
  const hint = /Only mechanism|Unknown authenticationOk|received invalid response/i.test(message)
    ? ' (the server asked for a login exchange the pg driver does not speak, as openGauss/GaussDB do with sha256 or sm3: give this account md5 or scram-sha-256 authentication)'
    : /password must be a (non-empty )?string/i.test(message)
      ? ' (the server wants a password and the source was given none)'
      : '';
  return `${where}: ${code}${message}${hint}`;
}
