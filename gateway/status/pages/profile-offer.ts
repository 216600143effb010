/**
 * 生成导出方案: for a file the drop folder could not place, the profile
 * `credit-gateway profile suggest` proposes, and the file tried with it.
 * Admins only (a profile changes what the gateway reads), like upload. No
 * script runs on these pages, so copying is the browser's own: a read-only
 * box to select, and the YAML as a download.
 */
import type { UploadView } from '../../files/recent-files.js';
import { OFFER_REASONS, reportedFile, type ProfileOffer } from '../../profiles/suggest/offer-ref.js';
import type { TrialResult } from '../../profiles/suggest/trial.js';
import { esc, escMasked, table } from './format.js';
import { isAdmin, layout, type PageContext } from './layout.js';

/** The offer's page for a rejected file of a drop folder source. */
export function offerHref(source: string, file: string, yaml = false): string {
  return `/files/${encodeURIComponent(source)}/rejected/${encodeURIComponent(file)}/${yaml ? 'profile.yaml' : 'profile'}`;
}

/** The 生成导出方案 link of a recent file, for an admin, when the file was refused for want of a profile. */
export function offerLink(ctx: PageContext, u: UploadView): string {
  if (!isAdmin(ctx) || u.status !== 'rejected' || !u.message || !OFFER_REASONS.has(u.message) || u.report?.where !== 'rejected') return '';
  const file = reportedFile(u.report.name);
  return file ? ` <a href="${esc(offerHref(u.report.source, file))}" class="offer">${ctx.t('offer.link')}</a>` : '';
}

function trialSection(ctx: PageContext, p: ProfileOffer['proposals'][number]): string {
  const { t } = ctx;
  const trial: TrialResult = p.trial;
  const rows = trial.reasons.map((r) => {
    const examples = r.examples
      .map((e) => `<li data-zh>${esc(e.at)}${e.column ? ` ${esc(e.column)}` : ''}${e.value !== undefined ? `=${escMasked(e.value)}` : ''}：${escMasked(e.message)}</li>`)
      .join('');
    return `<tr><td><code>${esc(r.code)}</code></td><td class="num">${r.count}</td><td><ul class="examples">${examples}</ul></td></tr>`;
  });
  return `<h2>${t('offer.trial', { profile: { data: p.profile }, category: { data: `${p.category} ${p.categoryName}` } })}</h2>
<p class="trial-counts">${t('offer.counts', { rows: trial.rows, sent: trial.sent, rejected: trial.rejected, notData: trial.notData })}</p>
${rows.length > 0 ? table('offer-reasons', [t('offer.reason'), t('offer.count'), t('offer.examples')], rows, '') : `<p class="good">${t('offer.noReasons')}</p>`}`;
}

export function renderProfileOffer(ctx: PageContext, source: string, offer: ProfileOffer): string {
  const { t } = ctx;
  const command = `credit-gateway profile suggest rejected/${offer.file}`;
  const cli = `<p class="sub">${t('offer.cli', { command: { data: command } })}</p>`;
  if (!offer.yaml) {
    const problem = offer.problem ? `<p class="warn" id="offer-problem"><b>${t('offer.problem')}</b>：<code>${esc(offer.problem.code)}</code> <span data-zh>${escMasked(offer.problem.message)}</span></p>` : '';
    return layout(ctx, { title: t('offer.title'), heading: t('offer.title'), body: `${problem}\n${cli}` });
  }
  const lines = offer.yaml.split('\n').length;
  const body = `<p>${t('offer.explain', { file: { data: offer.file } })}</p>
<h2>${t('offer.yaml')}</h2>
<p class="sub">${t('offer.copyHint')} <a href="${esc(offerHref(source, offer.file, true))}" download>${t('offer.download')}</a></p>
<textarea id="profile-yaml" readonly rows="${Math.min(lines + 1, 60)}" cols="100" spellcheck="false" data-zh>${esc(offer.yaml)}</textarea>
${offer.proposals.map((p) => trialSection(ctx, p)).join('\n')}
${cli}`;
  return layout(ctx, { title: t('offer.title'), heading: t('offer.title'), body });
}
