/**
 * The rejection search as it travels in a URL: the page's form, the CSV
 * export link and /api/rejections read the same query parameters.
 */
import type { RejectionQuery } from '../deps.js';

export type RejectionFilter = Omit<RejectionQuery, 'limit' | 'offset'>;

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
export function filterParams(f: RejectionFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.category) p.set('category', f.category);
  if (f.code) p.set('code', f.code);
  if (f.source) p.set('source', f.source);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q) p.set('q', f.q);
  if (f.openOnly) p.set('open', '1');
  return p;
}

/** A non-negative whole number from the query, within bounds. */
export function intParam(q: Query, name: string, fallback: number, min: number, max: number): number {
  const n = Number(one(q, name));
  if (!Number.isFinite(n)) return fallback;
  return Math.min(Math.max(Math.floor(n), min), max);
}
