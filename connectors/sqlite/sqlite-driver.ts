/**
 * better-sqlite3 in a child process of its own. better-sqlite3 is
 * synchronous and cannot be interrupted: on the main thread a long query would
 * stall every other source, the delivery loop and the status page; in a
 * worker thread it would run on after its timeout, holding its read lock on
 * the department's file. A process can be killed: a query past its timeout
 * is answered with SOURCE_QUERY_TIMEOUT, its process is killed (which
 * releases its locks at once), and the next query starts a fresh one.
 *
 * The child opens the file read-only (it must exist: a typo must not create
 * an empty database) and sets query_only itself, so every process it ever
 * restarts is as read-only as the first. It exits when the gateway does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { ConnectorError } from '../errors.js';
import type { ColumnMeta, QueryResult, SqlConnection, SqlDriver } from '../sql/dialect.js';
import { sqliteColumnMeta } from './sqlite-types.js';

export interface SqliteDriverOptions {
  /** Absolute path of the database file. */
  file: string;
  busyTimeoutMs: number;
  connectTimeoutMs: number;
}

type FromChild =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; rows: Record<string, unknown>[]; columns: { name: string; type: string | null }[] }
  | { type: 'error'; id: number; message: string };

/**
 * The child's whole program, run from its source text (`node -e`), so it
 * needs no file of its own beside the compiled code and no TypeScript loader.
 */
function sqliteChildMain(): void {
  const send = (message: unknown) => process.send!(message);
  // With the gateway gone there is nobody to answer.
  process.on('disconnect', () => process.exit(0));
  const { modulePath, file, busyTimeoutMs } = JSON.parse(process.argv[1]!) as { modulePath: string; file: string; busyTimeoutMs: number };
  const Database = require(modulePath) as typeof import('better-sqlite3');
  let db: import('better-sqlite3').Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    db.pragma('query_only = ON');
  } catch (err) {
    send({ type: 'failed', message: (err as Error).message });
    return;
  }
  process.on('message', (m: { id: number; sql: string; params: unknown[] }) => {
    try {
      const statement = db.prepare(m.sql);
      if (statement.reader) {
        statement.safeIntegers(true);
        const columns = statement.columns().map((c) => ({ name: c.name, type: c.type }));
        send({ type: 'result', id: m.id, rows: statement.all(...m.params), columns });
      } else {
        statement.run(...m.params);
        send({ type: 'result', id: m.id, rows: [], columns: [] });
      }
    } catch (err) {
      send({ type: 'error', id: m.id, message: (err as Error).message });
    }
  });
  send({ type: 'ready' });
}

// A loader that keeps function names (esbuild, as tsx runs the tests) wraps
// inner functions in __name(); the child is plain Node without that helper.
const CHILD_SOURCE = `var __name = (f) => f; (${sqliteChildMain.toString()})()`;

export class SqliteDriver implements SqlDriver {
  readonly #options: SqliteDriverOptions;

  constructor(options: SqliteDriverOptions) {
    this.#options = options;
  }

  async connect(): Promise<SqliteConnection> {
    const connection = new SqliteConnection(this.#options);
    await connection.start();
    return connection;
  }
}

interface Pending {
  resolve: (result: QueryResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  onAbort?: () => void;
  signal?: AbortSignal;
}

export class SqliteConnection implements SqlConnection {
  readonly #options: SqliteDriverOptions;
  #child: ChildProcess | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  /** Why the reader died unasked, if it did: like a dropped network connection, this session is over. */
  #broken: string | null = null;

  constructor(options: SqliteDriverOptions) {
    this.#options = options;
  }

  /** The process currently reading the file, if any. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): Promise<ChildProcess> {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    // A reader killed for running past its timeout is replaced by the next query (below, in query()).
    // The child runs plain JavaScript: none of the parent's loaders or flags.
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ['-e', CHILD_SOURCE, JSON.stringify({ modulePath, file: this.#options.file, busyTimeoutMs: this.#options.busyTimeoutMs })], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'advanced',
      env,
      windowsHide: true,
    });
    child.unref();
    child.channel?.unref();
    return new Promise<ChildProcess>((resolve, reject) => {
      const onStartError = (err: Error) => fail(new ConnectorError('SOURCE_UNAVAILABLE', `${this.#options.file}: ${err.message}`, { cause: err }));
      const onStartExit = () => fail(new ConnectorError('SOURCE_UNAVAILABLE', `${this.#options.file}: the SQLite reader did not start`));
      const onFirstMessage = (message: FromChild) => {
        if (message.type !== 'ready') {
          fail(new ConnectorError('SOURCE_UNAVAILABLE', `${this.#options.file}: ${message.type === 'failed' ? message.message : 'unexpected start'}`));
          return;
        }
        detach();
        child.on('message', (m: FromChild) => this.#answer(m));
        child.on('exit', () => this.#lost(child, 'the SQLite reader process stopped'));
        child.on('error', (err) => this.#lost(child, err.message));
        this.#child = child;
        resolve(child);
      };
      const detach = () => {
        clearTimeout(timer);
        child.off('error', onStartError);
        child.off('exit', onStartExit);
        child.off('message', onFirstMessage);
      };
      const fail = (error: ConnectorError) => {
        detach();
        child.kill('SIGKILL');
        reject(error);
      };
      const timer = setTimeout(() => fail(new ConnectorError('SOURCE_UNAVAILABLE', `${this.#options.file}: not opened within ${this.#options.connectTimeoutMs} ms`)), this.#options.connectTimeoutMs);
      child.on('error', onStartError);
      child.on('exit', onStartExit);
      child.on('message', onFirstMessage);
    });
  }

  async query(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult> {
    if (this.#closed) throw new ConnectorError('SOURCE_CONNECTION_LOST', 'the connection was closed');
    if (this.#broken) throw new ConnectorError('SOURCE_CONNECTION_LOST', this.#broken);
    if (options.signal?.aborted) throw new ConnectorError('SOURCE_QUERY_TIMEOUT', 'cancelled before it started');
    const child = this.#child ?? (await this.start());
    return new Promise<QueryResult>((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => this.#cancel(id, new ConnectorError('SOURCE_QUERY_TIMEOUT', `cancelled after ${options.timeoutMs} ms`)), options.timeoutMs);
      const pending: Pending = { resolve, reject, timer };
      if (options.signal) {
        pending.signal = options.signal;
        pending.onAbort = () => this.#cancel(id, new ConnectorError('SOURCE_QUERY_TIMEOUT', 'cancelled'));
        options.signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.#pending.set(id, pending);
      try {
        child.send({ id, sql, params });
      } catch (err) {
        this.#settle(id);
        reject(new ConnectorError('SOURCE_CONNECTION_LOST', (err as Error).message, { cause: err }));
      }
    });
  }

  /** Kills the reader and waits until it has exited, so no process outlives its source. */
  async close(): Promise<void> {
    this.#closed = true;
    const child = this.#child;
    this.#child = null;
    this.#rejectAll(new ConnectorError('SOURCE_CONNECTION_LOST', 'the connection was closed'));
    if (child) await stop(child);
  }

  #answer(message: FromChild): void {
    if (message.type !== 'result' && message.type !== 'error') return;
    const pending = this.#settle(message.id);
    if (!pending) return;
    if (message.type === 'error') {
      pending.reject(new Error(message.message));
      return;
    }
    const columns: ColumnMeta[] = message.columns.map((c) => sqliteColumnMeta(c.name, c.type));
    pending.resolve({ rows: message.rows, columns });
  }

  /** A statement past its time: answer now, and kill the process still running it. */
  #cancel(id: number, error: ConnectorError): void {
    const pending = this.#settle(id);
    if (!pending) return;
    pending.reject(error);
    const child = this.#child;
    this.#child = null;
    if (child) void stop(child);
  }

  #lost(child: ChildProcess, reason: string): void {
    if (this.#child !== child) return; // a process we stopped on purpose
    this.#child = null;
    this.#broken = reason;
    this.#rejectAll(new ConnectorError('SOURCE_CONNECTION_LOST', reason));
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    return pending;
  }

  #rejectAll(error: ConnectorError): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(error);
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.ref(); // someone is waiting for this exit
    child.kill('SIGKILL');
  });
}
