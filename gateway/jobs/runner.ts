import type { CursorPosition, Row, Source } from '../../connectors/contract.js';
import type { CandidateRecord, LocalRejection, Page, PageResult } from '../model.js';

/** What a run needs of the store: the job's cursor and the page transaction. */
export interface PageStore {
  getCursor(job: string): CursorPosition | null;
  commitPage(page: Page): PageResult;
}

export type RowOutcome = { record: CandidateRecord } | { rejection: LocalRejection };

export interface IncrementalJob {
  name: string;
  query: string;
  cursor: string[];
  pageSize: number;
  /** Maps and validates one row; pure. */
  mapRow: (row: Row, observedAt: string) => RowOutcome;
}

export interface RunSummary {
  pages: number;
  rowsRead: number;
  queued: number;
  unchanged: number;
  rejected: number;
  cursor: CursorPosition | null;
}

/**
 * One incremental run: keyset pages after the stored cursor until a short
 * page, each page committed in one store transaction together with its new
 * cursor, so a crash between pages resumes exactly after the last committed
 * one. `signal` stops the run between pages, never inside one.
 */
export async function runIncremental(
  job: IncrementalJob,
  deps: { source: Source; store: PageStore; now?: () => Date; signal?: AbortSignal; onPage?: (result: PageResult) => void },
): Promise<RunSummary> {
  const now = deps.now ?? (() => new Date());
  const summary: RunSummary = { pages: 0, rowsRead: 0, queued: 0, unchanged: 0, rejected: 0, cursor: deps.store.getCursor(job.name) };
  for (;;) {
    if (deps.signal?.aborted) break;
    const rows = await deps.source.readPage({ query: job.query, cursorColumns: job.cursor, after: summary.cursor, limit: job.pageSize });
    if (rows.length === 0) break;
    const observedAt = now().toISOString();
    const page = buildPage(job, rows, observedAt);
    const result = deps.store.commitPage(page);
    summary.pages += 1;
    summary.rowsRead += rows.length;
    summary.queued += result.queued;
    summary.unchanged += result.unchanged;
    summary.rejected += result.rejected;
    summary.cursor = page.cursor;
    deps.onPage?.(result);
    if (rows.length < job.pageSize) break;
  }
  return summary;
}

/** Maps a page of rows; of two versions of one record in a page only the later one is kept. */
export function buildPage(job: Pick<IncrementalJob, 'name' | 'cursor' | 'mapRow'>, rows: Row[], observedAt: string): Page {
  const records = new Map<string, CandidateRecord>();
  const rejections = new Map<string, LocalRejection>();
  for (const row of rows) {
    const outcome = job.mapRow(row, observedAt);
    if ('record' in outcome) {
      records.delete(outcome.record.id);
      rejections.delete(outcome.record.id);
      records.set(outcome.record.id, outcome.record);
    } else {
      records.delete(outcome.rejection.recordId);
      rejections.set(outcome.rejection.recordId, outcome.rejection);
    }
  }
  const last = rows[rows.length - 1]!;
  return {
    job: job.name,
    records: [...records.values()],
    rejections: [...rejections.values()],
    cursor: job.cursor.map((c) => last[c] ?? null),
    rowsRead: rows.length,
  };
}
