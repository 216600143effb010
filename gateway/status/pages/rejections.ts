/** Rejected records: searchable, paged, each with what to fix and a "resend after fix" button. */
import type { StatusSnapshot } from '../snapshot.js';
import { rejectionState, type RejectionView } from '../../rejections/view.js';
import type { MessageKey } from '../../i18n/messages.js';
import { csrfField, esc, escMasked, table, time } from './format.js';
import { filterParams, type RejectionFilter } from './filter.js';
import { isAdmin, layout, type PageContext } from './layout.js';

/** Category code → name, from what the snapshot knows (coverage, then jobs). */
export function categoryNames(s: StatusSnapshot): Map<string, string> {
  const names = new Map<string, string>();
  for (const j of s.jobs) names.set(j.category, j.categoryName);
  for (const c of s.coverage) names.set(c.code, c.name);
  return names;
}

export function rejectionHeaders(ctx: PageContext, withActions: boolean): string[] {
  const { t } = ctx;
  return [t('rejections.at'), t('rejections.job'), t('rejections.category'), t('rejections.key'), t('rejections.field'), t('rejections.reason'), t('rejections.subject'), t('rejections.state'),
    ...(withActions && isAdmin(ctx) ? [''] : [])];
}

/** The reason as it was recorded (by the checks, in Chinese, or by the platform): quoted, not the page's words. */
function reason(r: RejectionView): string {
  return `<code>${esc(r.code)}</code> <span data-zh>${escMasked(r.message)}</span>`;
}

export function rejectionRow(ctx: PageContext, r: RejectionView, names: Map<string, string>, withActions: boolean, back = '/rejections'): string {
  const { t } = ctx;
  const state = rejectionState(r);
  const name = names.get(r.category);
  const action = withActions && isAdmin(ctx)
    ? `<td class="act">${state === 'resolved' ? '' : `<form method="post" action="/rejections/${r.id}/resend">${csrfField(ctx.csrfToken)}<input type="hidden" name="back" value="${esc(back)}"><button type="submit">${t('rejections.resend')}</button></form>`}</td>`
    : '';
  return `<tr data-id="${r.id}" data-state="${state}"><td class="when">${time(r.at)}</td><td><span data-zh>${esc(r.job ?? '—')}</span><div class="sub">${t(`source.${r.source}` as MessageKey)}</div></td>
<td><code>${esc(r.category)}</code>${name ? `<div data-zh>${esc(name)}</div>` : ''}</td><td class="key" data-zh>${escMasked(r.key)}</td><td data-zh>${esc(r.field ?? '—')}</td>
<td>${reason(r)}</td><td>${r.subjectCode ? escMasked(r.subjectCode) : '—'}</td><td class="state ${state === 'open' ? 'bad' : state === 'requested' ? 'warn' : 'good'}">${t(`rejectionState.${state}` as MessageKey)}</td>${action}</tr>`;
}

export const REJECTIONS_PAGE_SIZE = 50;

export function renderRejections(
  ctx: PageContext,
  s: StatusSnapshot,
  filter: RejectionFilter,
  page: number,
  result: { total: number; items: RejectionView[] },
): string {
  const { t } = ctx;
  const names = categoryNames(s);
  const pages = Math.max(1, Math.ceil(result.total / REJECTIONS_PAGE_SIZE));
  const params = filterParams(filter);
  const here = `/rejections?${new URLSearchParams([...params, ['page', String(page)]]).toString()}`;
  const pageLink = (n: number, label: string) => {
    const p = new URLSearchParams(params);
    p.set('page', String(n));
    return `<a href="/rejections?${esc(p.toString())}">${label}</a>`;
  };
  const categories = [...names].sort(([a], [b]) => a.localeCompare(b));
  const option = (value: string, label: string, selected: boolean, data = false) => `<option value="${esc(value)}"${selected ? ' selected' : ''}${data ? ' data-zh' : ''}>${label}</option>`;
  const form = `<form method="get" action="/rejections" class="filters" id="filters">
<label>${t('rejections.filter.category')} <select name="category">${option('', t('rejections.filter.any'), !filter.category)}${categories.map(([code, name]) => option(code, `${esc(code)} ${esc(name)}`, filter.category === code, true)).join('')}${filter.category && !names.has(filter.category) ? option(filter.category, esc(filter.category), true) : ''}</select></label>
<label>${t('rejections.filter.code')} <input name="code" value="${esc(filter.code ?? '')}" size="18"></label>
<label>${t('rejections.filter.source')} <select name="source">${option('', t('rejections.filter.any'), !filter.source)}${option('local', t('source.local'), filter.source === 'local')}${option('platform', t('source.platform'), filter.source === 'platform')}</select></label>
<label>${t('rejections.filter.from')} <input type="date" name="from" value="${esc(filter.from ?? '')}"></label>
<label>${t('rejections.filter.to')} <input type="date" name="to" value="${esc(filter.to ?? '')}"></label>
<label>${t('rejections.filter.q')} <input name="q" value="${escMasked(filter.q ?? '')}" size="16"></label>
<label><input type="checkbox" name="open" value="1"${filter.openOnly ? ' checked' : ''}> ${t('rejections.filter.open')}</label>
${filter.job ? `<input type="hidden" name="job" value="${esc(filter.job)}">` : ''}<button type="submit">${t('rejections.filter.submit')}</button> <a href="/rejections">${t('rejections.filter.reset')}</a>
</form>`;
  const exportHref = `/rejections.csv${params.size > 0 ? `?${params.toString()}` : ''}`;
  const nav = `<p class="paging">${t('rejections.count', { total: result.total, page, pages })}
${page > 1 ? pageLink(page - 1, t('rejections.prev')) : ''} ${page < pages ? pageLink(page + 1, t('rejections.next')) : ''}
· <a href="${esc(exportHref)}" id="export">${t('rejections.export')}</a></p>`;
  const body = `<p class="sub">${t('rejections.explain')}</p>
${form}
${nav}
${table('rejections', rejectionHeaders(ctx, true), result.items.map((r) => rejectionRow(ctx, r, names, true, here)), t('rejections.empty'))}
<p class="sub foot">${t('common.machine')}<a href="/api/rejections?${esc(params.toString())}">/api/rejections</a></p>`;
  return layout(ctx, { title: t('rejections.title'), heading: t('rejections.title'), body });
}
