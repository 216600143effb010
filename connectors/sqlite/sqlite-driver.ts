/**
 * better-sqlite3 behind a worker thread. better-sqlite3 is synchronous: a
 * long query on the main thread would stall every other source, the delivery
 * loop and the status page, and nothing could time it out. In a worker, a
 * query that runs past its timeout is answered with SOURCE_QUERY_TIMEOUT at
 * once and the worker is terminated (it stops when SQLite next hands control
 * back, at the latest when the statement ends); the next query starts a fresh
 * worker on the same file.
 *
 * The worker opens the file read-only (it must exist: a typo must not create
 * an empty database) and sets query_only itself, so every worker it ever
 * restarts is as read-only as the first.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ConnectorError } from '../errors.js';
import type { ColumnMeta, QueryResult, SqlConnection, SqlDriver } from '../sql/dialect.js';
import { sqliteColumnMeta } from './sqlite-types.js';

export interface SqliteDriverOptions {
  /** Absolute path of the database file. */
  file: string;
  busyTimeoutMs: number;
  connectTimeoutMs: number;
}

type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; rows: Record<string, unknown>[]; columns: { name: string; type: string | null }[] }
  | { type: 'error'; id: number; message: string };

/**
 * The worker's whole program, run from its source text (`eval`), so it needs
 * no file of its own beside the compiled code and no TypeScript loader.
 */
function sqliteWorkerMain(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const port = parentPort!;
  const Database = require(workerData.modulePath) as typeof import('better-sqlite3');
  let db: import('better-sqlite3').Database;
  try {
    db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: workerData.busyTimeoutMs });
    db.pragma('query_only = ON');
  } catch (err) {
    port.postMessage({ type: 'failed', message: (err as Error).message });
    return;
  }
  port.on('message', (m: { id: number; sql: string; params: unknown[] }) => {
    try {
      const statement = db.prepare(m.sql);
      if (statement.reader) {
        statement.safeIntegers(true);
        const columns = statement.columns().map((c) => ({ name: c.name, type: c.type }));
        const rows = statement.all(...m.params);
        port.postMessage({ type: 'result', id: m.id, rows, columns });
      } else {
        statement.run(...m.params);
        port.postMessage({ type: 'result', id: m.id, rows: [], columns: [] });
      }
    } catch (err) {
      port.postMessage({ type: 'error', id: m.id, message: (err as Error).message });
    }
  });
  port.postMessage({ type: 'ready' });
}

const WORKER_SOURCE = `(${sqliteWorkerMain.toString()})()`;

export class SqliteDriver implements SqlDriver {
  readonly #options: SqliteDriverOptions;

  constructor(options: SqliteDriverOptions) {
    this.#options = options;
  }

  async connect(): Promise<SqlConnection> {
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

class SqliteConnection implements SqlConnection {
  readonly #options: SqliteDriverOptions;
  #worker: Worker | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(options: SqliteDriverOptions) {
    this.#options = options;
  }

  start(): Promise<Worker> {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // The worker runs plain JavaScript: it needs none of the parent's loaders or flags.
      execArgv: [],
      workerData: { modulePath, file: this.#options.file, busyTimeoutMs: this.#options.busyTimeoutMs },
    });
    worker.unref();
    return new Promise<Worker>((resolve, reject) => {
      const onStartError = (err: Error) => fail(new ConnectorError('SOURCE_UNAVAILABLE', `${this.#options.file}: ${err.message}`, { cause: err }));
      const onFirstMessage = (message: FromWorker) => {
        if (message.type !== 'ready') {
          fail(new ConnectorError('SOURCE_UNAVAILABLE', `${this.#options.file}: ${message.type === 'failed' ? message.message : 'unexpected start'}`));
          return;
        }
        clearTimeout(timer);
        worker.off('error', onStartError);
        worker.off('message', onFirstMessage);
        worker.on('message', (m: FromWorker) => this.#answer(m));
        worker.on('error', (err) => this.#lost(worker, err.message));
        worker.on('exit', () => this.#lost(worker, 'the SQLite worker stopped'));
        this.#worker = worker;
        resolve(worker);
      };
      const fail = (error: ConnectorError) => {
        clearTimeout(timer);
        worker.off('error', onStartError);
        worker.off('message', onFirstMessage);
        void worker.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new ConnectorError('SOURCE_UNAVAILABLE', `${this.#options.file}: not opened within ${this.#options.connectTimeoutMs} ms`)), this.#options.connectTimeoutMs);
      worker.on('error', onStartError);
      worker.on('message', onFirstMessage);
    });
  }

  async query(sql: string, params: unknown[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<QueryResult> {
    if (this.#closed) throw new ConnectorError('SOURCE_CONNECTION_LOST', 'the connection was closed');
    const worker = this.#worker ?? (await this.start());
    return new Promise<QueryResult>((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => this.#cancel(id, new ConnectorError('SOURCE_QUERY_TIMEOUT', `cancelled after ${options.timeoutMs} ms`)), options.timeoutMs);
      const pending: Pending = { resolve, reject, timer };
      if (options.signal) {
        if (options.signal.aborted) {
          clearTimeout(timer);
          reject(new ConnectorError('SOURCE_QUERY_TIMEOUT', 'cancelled before it started'));
          return;
        }
        pending.signal = options.signal;
        pending.onAbort = () => this.#cancel(id, new ConnectorError('SOURCE_QUERY_TIMEOUT', 'cancelled'));
        options.signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.#pending.set(id, pending);
      worker.postMessage({ id, sql, params });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    this.#rejectAll(new ConnectorError('SOURCE_CONNECTION_LOST', 'the connection was closed'));
    await worker?.terminate();
  }

  #answer(message: FromWorker): void {
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

  /** A statement past its time: answer now, and stop the worker that is still running it. */
  #cancel(id: number, error: ConnectorError): void {
    const pending = this.#settle(id);
    if (!pending) return;
    pending.reject(error);
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate();
  }

  #lost(worker: Worker, reason: string): void {
    if (this.#worker !== worker) return; // a worker we stopped on purpose
    this.#worker = null;
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
