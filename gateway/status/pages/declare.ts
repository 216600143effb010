/**
 * "No data this period" for one category, confirmed on a page of its own:
 * the overview refreshes every few seconds and would wipe a note being typed.
 */
import type { CoverageRow } from '../snapshot.js';
import { csrfField } from './format.js';
import { layout, type PageContext } from './layout.js';

export function renderDeclare(ctx: PageContext, c: CoverageRow): string {
  const { t } = ctx;
  const body = `<p>${t('declare.explain', { period: c.period, name: { data: c.name }, code: c.code })}</p>
<form method="post" action="/coverage/${encodeURIComponent(c.code)}/declare" id="declare-form">${csrfField(ctx.csrfToken)}
<label>${t('declare.note')}<br><textarea name="note" rows="3" cols="60" maxlength="500"></textarea></label><br>
<button type="submit">${t('declare.submit')}</button> <a href="/">${t('declare.cancel')}</a>
</form>`;
  return layout(ctx, { title: t('coverage.declare'), heading: t('declare.title', { name: { data: c.name } }), body });
}
