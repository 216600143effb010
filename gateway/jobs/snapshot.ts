/**
 * One snapshot run, for tables with no usable change column (or, on a slower
 * schedule, to catch rows deleted under an incremental job): the whole query
 * in key order, page by page, each page committed as it comes — the store's
 * fingerprints keep unchanged rows from travelling. Only when the last page
 * has been read are the job's records that the pass did not see sent as
 * `delete`. A run that stops early (aborted, failed, killed) has read only
 * part of the table, so it sends no delete at all; the next run starts a new
 * pass from the beginning.
 */
import type { KnownRecord } from '../store/store.js';
import type { CandidateRecord, Page, PageResult } from '../model.js';
import { fingerprint } from '../records/serialize.js';
import { count, emptySummary, mapRows, positionOf, type MapRow, type RunDeps, type RunSummary } from './runner.js';

export interface SnapshotStore {
  commitPage(page: Page): PageResult;
  beginPass(job: string): number;
  unseenRecords(job: string, pass: number, page?: { after?: string; limit?: number }): KnownRecord[];
}

export interface SnapshotJob {
  name: string;
  query: string;
  /** The job's key columns: pages are keyset pages in key order. */
  key: string[];
  pageSize: number;
  mapRow: MapRow;
}

export async function runSnapshot(job: SnapshotJob, deps: Omit<RunDeps, 'store'> & { store: SnapshotStore }): Promise<RunSummary> {
  const now = deps.now ?? (() => new Date());
  const summary = emptySummary(null);
  const pass = deps.store.beginPass(job.name);
  let after: ReturnType<typeof positionOf> | null = null;
  for (;;) {
    if (deps.signal?.aborted || deps.paused?.()) return summary;
    const rows = await deps.source.readPage({ query: job.query, cursorColumns: job.key, after, limit: job.pageSize });
    if (rows.length === 0) break;
    // No cursor is stored: a snapshot always starts over, and an incremental
    // job's own cursor must not be moved by the snapshot that runs beside it.
    const result = deps.store.commitPage({ job: job.name, ...mapRows(job.mapRow, rows, now().toISOString()), cursor: null, rowsRead: rows.length });
    count(summary, rows.length, result);
    after = deps.source.positionOf?.(rows[rows.length - 1]!, job.key) ?? positionOf(rows[rows.length - 1]!, job.key);
    deps.onPage?.(result);
    if (rows.length < job.pageSize) break;
  }
  if (deps.signal?.aborted || deps.paused?.()) return summary;
  summary.deleted = sendDeletes(job, deps.store, pass, now().toISOString(), deps.onPage);
  summary.complete = true;
  return summary;
}

/** Deletes for every record of the job the complete pass did not see, a page per transaction. */
function sendDeletes(job: SnapshotJob, store: SnapshotStore, pass: number, observedAt: string, onPage?: (r: PageResult) => void): number {
  let deleted = 0;
  let after = '';
  for (;;) {
    const gone = store.unseenRecords(job.name, pass, { after, limit: job.pageSize });
    if (gone.length === 0) return deleted;
    const result = store.commitPage({ job: job.name, records: gone.map((r) => deletion(r, observedAt)), rejections: [], cursor: null, rowsRead: 0 });
    deleted += result.queued;
    onPage?.(result);
    after = gone[gone.length - 1]!.id;
  }
}

function deletion(record: KnownRecord, observedAt: string): CandidateRecord {
  return { id: record.id, category: record.category, key: record.key, op: 'delete', observedAt, fingerprint: fingerprint({ op: 'delete' }) };
}
