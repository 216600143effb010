/**
 * A job's pages mapped and checked on a second thread, so that a large run
 * uses both of a small server's cores: while the thread maps page N, the
 * main thread reads page N+1 and commits page N−1 (runner.ts). Mapping is
 * pure and built from data only (job-mapper.ts), so the thread gives exactly
 * what the main thread would; the store, the cursor and every commit stay on
 * the main thread.
 */
import type { Worker } from 'node:worker_threads';
import type { JobConfig } from '../../config/schema.js';
import { unreadableValues, type Row, type UnreadableValue } from '../../connectors/contract.js';
import { siblingWorker } from '../../connectors/worker-module.js';
import { GatewayError } from '../errors.js';
import type { Page } from '../model.js';
import type { Standard, Standards } from '../standards/index.js';
import { mapRows, type MapRow } from './runner.js';

export interface MapThreadInit {
  job: JobConfig;
  standard: Readonly<Standard>;
  gatewayId: string;
  codeTables: Standards['codeTables'];
}

export interface MapRequest {
  id: number;
  rows: Row[];
  /** Rows (by index) holding values the source could not read, with their marks. */
  unreadable: [number, UnreadableValue[]][];
  observedAt: string;
}

export type MappedPage = Pick<Page, 'records' | 'rejections' | 'lines'>;
export type MapReply = { id: number; page: MappedPage } | { id: number; error: string };

interface Pending {
  resolve(page: MappedPage): void;
  reject(err: Error): void;
}

export class MapThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failure: GatewayError | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: MapReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if ('page' in reply) pending.resolve(reply.page);
      else pending.reject(new GatewayError('JOB_MAPPING_THREAD_FAILED', reply.error));
    });
    worker.on('error', (err) => this.#fail(err.message));
    worker.on('exit', (code) => this.#fail(`it exited (${code})`));
  }

  static open(init: MapThreadInit): MapThread {
    return new MapThread(siblingWorker(import.meta.url, 'map-worker', { workerData: init }));
  }

  map(rows: Row[], observedAt: string): Promise<MappedPage> {
    if (this.#failure) return Promise.reject(this.#failure);
    const unreadable: [number, UnreadableValue[]][] = [];
    rows.forEach((row, i) => {
      const marks = unreadableValues(row);
      if (marks.length) unreadable.push([i, [...marks]]);
    });
    const id = this.#next++;
    return new Promise<MappedPage>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, rows, unreadable, observedAt } satisfies MapRequest);
    });
  }

  async close(): Promise<void> {
    this.#failure ??= new GatewayError('JOB_MAPPING_THREAD_FAILED', 'it was closed');
    await this.#worker.terminate();
  }

  #fail(detail: string): void {
    this.#failure ??= new GatewayError('JOB_MAPPING_THREAD_FAILED', detail);
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }
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
  /** Ends the thread, if one was started; the run's pages are all settled by then. */
  close(): Promise<void>;
}

/**
 * A thread that cannot start or stops (out of memory, a broken install)
 * must not stop the job: its pages are mapped here instead, for the rest of
 * the run, and the failure is reported once. A row the mapping itself
 * cannot handle fails the same way on either thread.
 */
export function pageMapper(
  mapRow: MapRow, init: MapThreadInit, onThreadFailed: (err: Error) => void = () => undefined, pageSize?: number,
): PageMapper {
  let thread: MapThread | null = null;
  let failed = false;
  const here = (rows: Row[], observedAt: string) => Promise.resolve(mapRows(mapRow, rows, observedAt));
  const bulk = (rows: Row[]) => rows.length >= THREAD_MIN_ROWS || (rows.length === pageSize && rows.length >= THREAD_MIN_FULL_PAGE_ROWS);
  return {
    mapPage(rows, observedAt) {
      if (failed || (!thread && !bulk(rows))) return here(rows, observedAt);
      const fallBack = (err: unknown) => {
        if (!failed) onThreadFailed(err instanceof GatewayError ? err : new GatewayError('JOB_MAPPING_THREAD_FAILED', String(err), { cause: err }));
        failed = true;
        return here(rows, observedAt);
      };
      try {
        thread ??= MapThread.open(init);
      } catch (err) {
        return fallBack(err);
      }
      return thread.map(rows, observedAt).catch(fallBack);
    },
    async close() {
      await thread?.close();
    },
  };
}
