/**
 * The rejection search as it travels in a URL: the page's form, the CSV
 * export link and /api/rejections read the same query parameters.
 */
import { searchParams, type RejectionSearch } from '../../rejections/query.js';

export type RejectionFilter = RejectionSearch;

type Query = Record<string, string | string[] | undefined>;

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What the query asks for; anything malformed is left out rather than refused, so a hand-edited link still shows a page. */
export function parseRejectionFilter(q: Query): RejectionFilter {
  const f: RejectionFilter = {};
  const category = one(q, 'category');
  if (category && category.length <= 64) f.category = category;
  const job = one(q, 'job');
  if (job && job.length <= 64) f.job = job;
  const code = one(q, 'code');
  if (code && /^[\w.:-]{1,64}$/.test(code)) f.code = code;
  const source = one(q, 'source');
  if (source === 'local' || source === 'platform') f.source = source;
  const from = one(q, 'from');
  if (from && DATE.test(from)) f.from = from;
  const to = one(q, 'to');
  if (to && DATE.test(to)) f.to = to;
  const text = one(q, 'q');
  if (text) f.q = text.slice(0, 100);
  const open = one(q, 'open');
  if (open === '1' || open === 'true' || open === 'on') f.openOnly = true;
  return f;
}

/** The filter back as query parameters, for links that keep it (paging, export). */
export const filterParams: (f: RejectionFilter) => URLSearchParams = searchParams;

/** A non-negative whole number from the query, within bounds. */
export function intParam(q: Query, name: string, fallback: number, min: number, max: number): number {
  const n = Number(one(q, name));
  if (!Number.isFinite(n)) return fallback;
  return Math.min(Math.max(Math.floor(n), min), max);
}
