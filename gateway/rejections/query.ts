/**
 * The rejection search the status page (/rejections, /rejections.csv,
 * /api/rejections) and `credit-gateway rejections` share: the same filter,
 * the same store query, the same masked views.
 */
import type { Store } from '../store/store.js';
import { rejectionView, type RejectionView } from './view.js';

export interface RejectionQuery {
  limit: number;
  offset: number;
  category?: string;
  /** The job that read the row (or sent the record). */
  job?: string;
  /** Reason code, e.g. REQUIRED_MISSING or a platform code. */
  code?: string;
  /** 'local' (checks of this gateway) or 'platform'. */
  source?: 'local' | 'platform';
  /** ISO date (YYYY-MM-DD) bounds on when the rejection happened, inclusive, as 北京时间 days (the zone the pages show times in). */
  from?: string;
  to?: string;
  /** Text inside the record's key. */
  q?: string;
  openOnly?: boolean;
}

/** A search without its page: what a link or a command line carries. */
export type RejectionSearch = Omit<RejectionQuery, 'limit' | 'offset'>;

export interface RejectionResult {
  total: number;
  items: RejectionView[];
}

/** The search as query parameters of the page's /rejections, /rejections.csv and /api/rejections (status/pages/filter.ts reads them back). */
export function searchParams(f: RejectionSearch): URLSearchParams {
  const p = new URLSearchParams();
  if (f.job) p.set('job', f.job);
  if (f.category) p.set('category', f.category);
  if (f.code) p.set('code', f.code);
  if (f.source) p.set('source', f.source);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q) p.set('q', f.q);
  if (f.openOnly) p.set('open', '1');
  return p;
}

/** Search bounds are 北京时间 days, the zone the pages show times in, whatever the machine's zone. */
export function queryRejections(store: Pick<Store, 'countRejections' | 'listRejections'>, q: RejectionQuery): RejectionResult {
  const filter = {
    category: q.category, job: q.job, code: q.code, source: q.source, q: q.q, openOnly: q.openOnly,
    from: beijingDayBound(q.from, 'start'),
    to: beijingDayBound(q.to, 'end'),
  };
  return {
    total: store.countRejections(filter),
    items: store.listRejections({ ...filter, limit: q.limit, offset: q.offset }).map(rejectionView),
  };
}

/** A search day's first or last instant in 北京时间 (UTC+8, no daylight saving), as ISO; undefined when not a date. */
export function beijingDayBound(day: string | undefined, edge: 'start' | 'end'): string | undefined {
  const m = day?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return undefined;
  const midnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (edge === 'end' ? 1 : 0)) - 8 * 3_600_000;
  const at = new Date(edge === 'end' ? midnight - 1 : midnight);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
