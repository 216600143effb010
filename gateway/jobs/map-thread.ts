/**
 * A job's pages mapped and checked on a second thread, so that a large run
 * uses both of a small server's cores: while the thread maps page N, the
 * main thread reads page N+1 and commits page N−1 (runner.ts). Mapping is
 * pure and built from data only (job-mapper.ts), so the thread gives exactly
 * what the main thread would; the store, the cursor and every commit stay on
 * the main thread. Given the source's options, the thread also reads the
 * pages it maps, in a session of its own: the main thread then only asks
 * for a page and learns how many rows it held and where it ended (the
 * driver's parsing, the values' normalisation and the rows' structured
 * copy were about a fifth of the main thread's time in a bulk run).
 */
import type { Worker } from 'node:worker_threads';
import type { JobConfig } from '../../config/schema.js';
import { unreadableValues, type CursorPosition, type PageRequest, type Row, type UnreadableValue } from '../../connectors/contract.js';
import { CONNECTOR_ERRORS, ConnectorError, type ConnectorErrorCode } from '../../connectors/errors.js';
import type { SourceOptions } from '../../connectors/options.js';
import { siblingWorker } from '../../connectors/worker-module.js';
import { GatewayError } from '../errors.js';
import type { Page } from '../model.js';
import type { Standard, Standards } from '../standards/index.js';
import { mapRows, type MapRow, type PageRead } from './runner.js';

export interface MapThreadInit {
  job: JobConfig;
  standard: Readonly<Standard>;
  gatewayId: string;
  codeTables: Standards['codeTables'];
  /** The job's source, its secret resolved (PageMapperOptions.source): the thread reads pages with a session of its own. Absent: rows come from the main thread. */
  source?: SourceOptions;
}

export interface MapRequest {
  id: number;
  rows: Row[];
  /** Rows (by index) holding values the source could not read, with their marks. */
  unreadable: [number, UnreadableValue[]][];
  observedAt: string;
}

export type ThreadRequest =
  | MapRequest
  | { id: number; op: 'read'; request: PageRequest }
  /** Map the page the read `rowsOf` left on the thread. */
  | { id: number; op: 'map'; rowsOf: number; observedAt: string }
  | { id: number; op: 'close' };

/** An error of the thread's read, as it crosses to the main thread. */
export interface ThreadFailure {
  name: string;
  message: string;
  code?: string;
}

export type MappedPage = Pick<Page, 'records' | 'rejections' | 'lines'>;
export type MapReply =
  | { id: number; page: MappedPage }
  | { id: number; error: string }
  | { id: number; read: { count: number; last: CursorPosition | null } }
  | { id: number; readFailed: ThreadFailure }
  /** The thread could not open its session: the run reads on the main thread, with the session it has. */
  | { id: number; openFailed: ThreadFailure }
  | { id: number; closed: true };

/** A page the thread read and holds until it is mapped (MapThread.mapHeld). */
export interface ThreadRead {
  id: number;
  count: number;
  last: CursorPosition | null;
}

/** The thread could not open its own session to the source. */
export class ThreadSourceUnavailable extends Error {
  constructor(failure: ThreadFailure) {
    super(`the mapping thread could not open the source: ${failure.message}`);
    this.name = 'ThreadSourceUnavailable';
  }
}

/**
 * The read's error as the main thread would have had it: a ConnectorError keeps its code, action and
 * words; anything else (a driver's own error) its name, words and code, if it had one.
 */
export function readError(failure: ThreadFailure): Error {
  const code = failure.code;
  if (code !== undefined && Object.hasOwn(CONNECTOR_ERRORS, code)) {
    const err = new ConnectorError(code as ConnectorErrorCode);
    err.message = failure.message;
    return err;
  }
  const err = Object.assign(new Error(failure.message), code !== undefined ? { code } : {});
  err.name = failure.name;
  return err;
}

interface Pending {
  resolve(reply: MapReply): void;
  reject(err: Error): void;
}

export class MapThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failure: GatewayError | null = null;
  #closing = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: MapReply) => {
      // Once closing, only the close is answered: a page still in flight fails as the thread ends.
      if (this.#closing && !('closed' in reply)) return;
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) pending.reject(new GatewayError('JOB_MAPPING_THREAD_FAILED', reply.error));
      else pending.resolve(reply);
    });
    worker.on('error', (err) => this.#fail(err.message));
    worker.on('exit', (code) => this.#fail(`it exited (${code})`));
  }

  static open(init: MapThreadInit): MapThread {
    return new MapThread(siblingWorker(import.meta.url, 'map-worker', { workerData: init }));
  }

  map(rows: Row[], observedAt: string): Promise<MappedPage> {
    const unreadable: [number, UnreadableValue[]][] = [];
    rows.forEach((row, i) => {
      const marks = unreadableValues(row);
      if (marks.length) unreadable.push([i, [...marks]]);
    });
    return this.#ask((id) => ({ id, rows, unreadable, observedAt })).then(pageOf);
  }

  /**
   * Reads a page on the thread, which keeps its rows for mapHeld. Rejects with the read's own error
   * (readError), or ThreadSourceUnavailable when the thread has no session, or the thread's failure.
   */
  read(request: PageRequest): Promise<ThreadRead> {
    return this.#ask((id) => ({ id, op: 'read', request })).then((reply) => {
      if ('read' in reply) return { id: reply.id, ...reply.read };
      if ('openFailed' in reply) throw new ThreadSourceUnavailable(reply.openFailed);
      if ('readFailed' in reply) throw readError(reply.readFailed);
      throw new GatewayError('JOB_MAPPING_THREAD_FAILED', 'it answered a read with something else');
    });
  }

  /** Maps the page a read left on the thread. */
  mapHeld(read: ThreadRead, observedAt: string): Promise<MappedPage> {
    return this.#ask((id) => ({ id, op: 'map', rowsOf: read.id, observedAt })).then(pageOf);
  }

  /**
   * Ends the thread: a page still in flight fails (JOB_MAPPING_THREAD_FAILED), and a session the
   * thread opened is closed first, for at most CLOSE_GRACE_MS.
   */
  async close(): Promise<void> {
    if (!this.#failure) {
      this.#failure = new GatewayError('JOB_MAPPING_THREAD_FAILED', 'it was closed');
      this.#closing = true;
      const id = this.#next++;
      const closed = new Promise<void>((resolve) => this.#pending.set(id, { resolve: () => resolve(), reject: () => resolve() }));
      this.#worker.postMessage({ id, op: 'close' } satisfies ThreadRequest);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
    }
    // Ending the thread fails what is still pending (#fail, on exit).
    await this.#worker.terminate();
  }

  #ask(request: (id: number) => ThreadRequest): Promise<MapReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise<MapReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage(request(id));
    });
  }

  #fail(detail: string): void {
    this.#failure ??= new GatewayError('JOB_MAPPING_THREAD_FAILED', detail);
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }
}

/** How long closing waits for the thread to close its session before ending it. */
const CLOSE_GRACE_MS = 5000;

function pageOf(reply: MapReply): MappedPage {
  if ('page' in reply) return reply.page;
  throw new GatewayError('JOB_MAPPING_THREAD_FAILED', 'it answered a page with something else');
}

/**
 * Below this many rows a page is mapped on the main thread: a poll that
 * finds a few changed rows is not worth starting a thread for. The first
 * page this large starts the run's thread, which then maps every page after.
 */
export const THREAD_MIN_ROWS = 1000;
/**
 * A full page (as many rows as the job asks for, so more are likely to
 * follow) starts the thread from this many rows on: the default page size
 * (500) is below THREAD_MIN_ROWS, and a bulk read in such pages mapped on
 * one core and kept its lines one by one.
 */
export const THREAD_MIN_FULL_PAGE_ROWS = 200;

export interface PageMapper {
  mapPage(rows: Row[], observedAt: string): Promise<MappedPage>;
  /**
   * Reads a page on the thread when it reads them (it was started by a bulk page and given the
   * source, and has not failed); `here` reads it on the main thread otherwise.
   */
  readPage(request: PageRequest, here: () => Promise<PageRead>): Promise<PageRead>;
  /** Ends the thread, if one was started; the run's pages are all settled by then. */
  close(): Promise<void>;
}

/**
 * A thread that cannot start or stops (out of memory, a broken install)
 * must not stop the job: its pages are mapped here instead, for the rest of
 * the run, and the failure is reported once. A row the mapping itself
 * cannot handle fails the same way on either thread.
 *
 * A page the thread read is held there until it is mapped. If the thread
 * stops in between, that page is gone with it: the run fails at that page
 * (its cursor stays at the page before, so the next run reads it again),
 * and `onThreadFailed` tells the caller, which should not give the thread
 * the source again. A page is never read again within the run, where it
 * could come back other than it was, after the next read had started from
 * where it ended. A thread that cannot open its own session to the source
 * (an account allowed one connection) leaves the reads to the main thread
 * for the rest of the run (`onThreadReadsOff`), which goes on.
 */
export interface PageMapperOptions {
  /** The job's page size: a full page of it starts the thread from THREAD_MIN_FULL_PAGE_ROWS rows on. */
  pageSize?: number;
  /**
   * The source's options for the thread's own session, asked for once, when the thread starts (a poll
   * that finds a few rows never resolves the secret again); undefined: pages are read on the main thread.
   */
  source?: () => SourceOptions | undefined;
  onThreadFailed?: (err: Error) => void;
  onThreadReadsOff?: (err: Error) => void;
}

export function pageMapper(mapRow: MapRow, init: MapThreadInit, options: PageMapperOptions = {}): PageMapper {
  const { pageSize, onThreadFailed = () => undefined, onThreadReadsOff = () => undefined } = options;
  let thread: MapThread | null = null;
  let failed = false;
  let readsHere = false;
  const here = (rows: Row[], observedAt: string) => Promise.resolve(mapRows(mapRow, rows, observedAt));
  const bulk = (rows: Row[]) => rows.length >= THREAD_MIN_ROWS || (rows.length === pageSize && rows.length >= THREAD_MIN_FULL_PAGE_ROWS);
  const threadFailed = (err: unknown): GatewayError => {
    const failure = err instanceof GatewayError ? err : new GatewayError('JOB_MAPPING_THREAD_FAILED', String(err), { cause: err });
    if (!failed) onThreadFailed(failure);
    failed = true;
    return failure;
  };
  return {
    mapPage(rows, observedAt) {
      if (failed || (!thread && !bulk(rows))) return here(rows, observedAt);
      const fallBack = (err: unknown) => {
        threadFailed(err);
        return here(rows, observedAt);
      };
      try {
        if (!thread) {
          const source = options.source?.();
          readsHere = source === undefined;
          thread = MapThread.open(source ? { ...init, source } : init);
        }
      } catch (err) {
        return fallBack(err);
      }
      return thread.map(rows, observedAt).catch(fallBack);
    },
    readPage(request, readHere) {
      const reader = thread;
      if (failed || readsHere || !reader) return readHere();
      return reader.read(request).then(
        (read): PageRead => ({
          count: read.count,
          last: read.last,
          map: (observedAt) => reader.mapHeld(read, observedAt).catch((err: unknown) => {
            throw threadFailed(err);
          }),
        }),
        (err: unknown) => {
          if (err instanceof ThreadSourceUnavailable) {
            readsHere = true;
            onThreadReadsOff(err);
            return readHere();
          }
          // The thread stopped before the read came back: nothing of the page is held anywhere, so it is read here.
          if (err instanceof GatewayError && err.code === 'JOB_MAPPING_THREAD_FAILED') {
            threadFailed(err);
            return readHere();
          }
          throw err;
        },
      );
    },
    async close() {
      await thread?.close();
    },
  };
}
