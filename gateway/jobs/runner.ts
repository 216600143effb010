import type { CursorPosition, PageRequest, Row, Source, Value } from '../../connectors/contract.js';
import { GatewayError } from '../errors.js';
import type { CandidateRecord, LocalRejection, Page, PageResult } from '../model.js';
import { cursorToCommit } from './window.js';

/** What a run needs of the store: the job's cursor and the page transaction. */
export interface PageStore {
  getCursor(job: string): CursorPosition | null;
  commitPage(page: Page): PageResult;
}

export type RowOutcome = { record: CandidateRecord } | { rejection: LocalRejection };

/** Maps and validates one row; pure. */
export type MapRow = (row: Row, observedAt: string) => RowOutcome;

export interface IncrementalJob {
  name: string;
  query: string;
  /** Keyset columns: the first is monotonic (a timestamp or an increasing number), the key columns break ties. */
  cursor: string[];
  pageSize: number;
  mapRow: MapRow;
  /** Maps a whole page elsewhere (a mapping thread); without it, pages are mapped here with mapRow. */
  mapPage?: (rows: Row[], observedAt: string) => Promise<Pick<Page, 'records' | 'rejections' | 'lines'>>;
  /** Reads a page elsewhere (the mapping thread, map-thread.ts) when it can, or with `here`, the source's own read. */
  readPage?: (request: PageRequest, here: () => Promise<PageRead>) => Promise<PageRead>;
}

/** A page read: how many rows, where the next page starts, and its rows mapped when asked (once). */
export interface PageRead {
  count: number;
  /** The last row's position (Source.positionOf); null for an empty page. */
  last: CursorPosition | null;
  map(observedAt: string): Promise<Pick<Page, 'records' | 'rejections' | 'lines'>>;
}

/** Where this run reads (from readWindow); without one it reads after the stored cursor, unbounded. */
export interface RunWindow {
  after: CursorPosition | null;
  through?: Value;
}

export interface RunDeps {
  source: Source;
  store: PageStore;
  now?: () => Date;
  /** Stops the run between pages, never inside one. */
  signal?: AbortSignal;
  /** True while reading must not start a page (no room on disk): the run stops as when aborted, incomplete. */
  paused?: () => boolean;
  onPage?: (result: PageResult) => void;
}

export interface RunSummary {
  pages: number;
  rowsRead: number;
  queued: number;
  unchanged: number;
  rejected: number;
  /** Deletes sent for records a complete snapshot no longer saw. */
  deleted: number;
  /** false when the run was stopped before the source had no more rows. */
  complete: boolean;
  cursor: CursorPosition | null;
}

export function emptySummary(cursor: CursorPosition | null): RunSummary {
  return { pages: 0, rowsRead: 0, queued: 0, unchanged: 0, rejected: 0, deleted: 0, complete: false, cursor };
}

/**
 * One incremental run: keyset pages after the window's start (up to its
 * bound) until a short page, each page committed in one store transaction
 * together with its new cursor, so a crash or a lost connection between pages
 * resumes exactly after the last committed one and nothing of a failed page
 * is kept. Pages of a look-back window leave the stored cursor where it is.
 *
 * Pages overlap: the next page is asked for as soon as a full page arrives,
 * and with a mapping thread (job.mapPage) a page is mapped while the one
 * before it is committed. Commits stay one at a time and in order; a page
 * read or mapped but not yet committed when the run stops or fails is not
 * kept, and is read again by the next run.
 */
export async function runIncremental(job: IncrementalJob, deps: RunDeps, window?: RunWindow): Promise<RunSummary> {
  const now = deps.now ?? (() => new Date());
  const stored = deps.store.getCursor(job.name);
  if (stored && stored.length !== job.cursor.length) {
    throw new GatewayError('JOB_CURSOR_MISMATCH', `job ${job.name}: stored position has ${stored.length} values, cursor [${job.cursor.join(', ')}] has ${job.cursor.length}`);
  }
  const summary = emptySummary(stored);
  const stopped = () => deps.signal?.aborted === true || deps.paused?.() === true;
  if (stopped()) return summary;
  const mapPage = job.mapPage ?? ((rows: Row[], observedAt: string) => Promise.resolve(mapRows(job.mapRow, rows, observedAt)));
  const read = (after: CursorPosition | null): Promise<PageRead> => {
    const request: PageRequest = {
      query: job.query, cursorColumns: job.cursor, after, limit: job.pageSize,
      ...(window?.through !== undefined ? { through: window.through } : {}),
    };
    const here = () => deps.source.readPage(request).then((rows): PageRead => {
      const lastRow = rows[rows.length - 1];
      return {
        count: rows.length,
        last: lastRow ? deps.source.positionOf?.(lastRow, job.cursor) ?? positionOf(lastRow, job.cursor) : null,
        map: (observedAt) => mapPage(rows, observedAt),
      };
    });
    return job.readPage ? job.readPage(request, here) : here();
  };
  const commit = async (mapped: MappedInFlight) => {
    const page = await mapped.page;
    const cursor = cursorToCommit(summary.cursor, mapped.last);
    const result = deps.store.commitPage({ job: job.name, ...page, cursor, rowsRead: mapped.rows });
    count(summary, mapped.rows, result);
    if (cursor) summary.cursor = cursor;
    deps.onPage?.(result);
  };

  let reading: Promise<PageRead> | null = read(window ? window.after : stored);
  let mapped: MappedInFlight | null = null;
  try {
    while (reading) {
      let got: PageRead;
      try {
        got = await reading;
      } catch (err) {
        // The page before the failed read was read whole: keep it, as a run without overlap would have.
        reading = null;
        if (mapped && !stopped()) await commit(mapped);
        mapped = null;
        throw err;
      }
      reading = null;
      let current: MappedInFlight | null = null;
      if (got.count > 0 && got.last) {
        const last = got.last;
        if (got.count === job.pageSize && !stopped()) reading = read(last);
        current = { rows: got.count, last, page: got.map(now().toISOString()) };
      }
      if (mapped) {
        if (stopped()) return summary;
        await commit(mapped);
      }
      mapped = current;
      if (got.count === job.pageSize && !reading) return summary;
    }
    if (mapped) {
      if (stopped()) return summary;
      await commit(mapped);
      mapped = null;
    }
    summary.complete = true;
    return summary;
  } finally {
    // Work in flight when the run ends early is dropped; its failure must not surface later, unhandled.
    reading?.catch(() => undefined);
    mapped?.page.catch(() => undefined);
  }
}

interface MappedInFlight {
  rows: number;
  /** Where paging continues after this page. */
  last: CursorPosition;
  page: Promise<Pick<Page, 'records' | 'rejections'>>;
}

export function positionOf(row: Row, columns: readonly string[]): CursorPosition {
  return columns.map((c) => row[c] ?? null);
}

export function count(summary: RunSummary, rowsRead: number, result: PageResult): void {
  summary.pages += 1;
  summary.rowsRead += rowsRead;
  summary.queued += result.queued;
  summary.unchanged += result.unchanged;
  summary.rejected += result.rejected;
}

/** Maps a page of rows; of two versions of one record in a page only the later one is kept. */
export function mapRows(mapRow: MapRow, rows: Row[], observedAt: string): Pick<Page, 'records' | 'rejections'> {
  const records = new Map<string, CandidateRecord>();
  const rejections = new Map<string, LocalRejection>();
  for (const row of rows) {
    const outcome = mapRow(row, observedAt);
    if ('record' in outcome) {
      records.delete(outcome.record.id);
      rejections.delete(outcome.record.id);
      records.set(outcome.record.id, outcome.record);
    } else {
      records.delete(outcome.rejection.recordId);
      rejections.set(outcome.rejection.recordId, outcome.rejection);
    }
  }
  return { records: [...records.values()], rejections: [...rejections.values()] };
}
