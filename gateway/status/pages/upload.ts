/** Manual reporting: a filled-in template file, or a system's export, goes into the drop folder, through the same checks. */
import type { StatusSnapshot } from '../snapshot.js';
import { esc, table } from './format.js';
import { isAdmin, layout, type PageContext } from './layout.js';

export const UPLOAD_LIMIT_MIB = 64;

export function renderUpload(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  // Multipart bodies are not read before the access check, so the token travels in the URL.
  const form = isAdmin(ctx)
    ? `<form method="post" action="/upload?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data" id="upload-form">
<label>${t('upload.category')} <select name="category"><option value="">${t('upload.categoryFromName')}</option>${s.coverage
      .map((c) => `<option value="${esc(c.code)}" data-zh>${esc(c.code)} ${esc(c.name)}</option>`)
      .join('')}</select></label>
<label>${t('upload.file')} <input type="file" name="file" accept=".csv,.xlsx,.xls,.ndjson,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel" required></label>
<button type="submit">${t('upload.submit')}</button> <span class="sub">${t('upload.limit', { mib: UPLOAD_LIMIT_MIB })}</span>
</form>`
    : `<p class="warn">${t('upload.adminOnly')}</p>`;
  const categories = table('upload-categories', [t('coverage.code'), t('coverage.name'), t('coverage.frequency'), t('upload.template')],
    s.coverage.map((c) => `<tr><td><code>${esc(c.code)}</code></td><td data-zh>${esc(c.name)}</td><td data-zh>${esc(c.frequency)}</td><td><a href="/templates/${esc(c.code)}.xlsx">${t('upload.download')}</a> <span class="sub"><code>credit-gateway template ${esc(c.code)}</code></span></td></tr>`),
    t('coverage.empty'));
  const body = `<p>${t('upload.explain')}</p>
<p class="sub">${t('upload.exports')}</p>
${form}
<h2>${t('upload.categories')}</h2>
${categories}`;
  return layout(ctx, { title: t('upload.title'), heading: t('upload.title'), body });
}
