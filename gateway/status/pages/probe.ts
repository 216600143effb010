/** The configuration page's 试运行检查: the button (admins) and the last report, line for line what the terminal shows. */
import { probeOutline } from '../../probe/outline.js';
import type { ProbeRun } from '../probe-runs.js';
import { csrfField, esc, time } from './format.js';
import { isAdmin, type PageContext } from './layout.js';

export interface ProbeView {
  running: boolean;
  last: ProbeRun | null;
  sampleRows: number;
}

export function renderProbe(ctx: PageContext, view: ProbeView): string {
  const { t } = ctx;
  const form = isAdmin(ctx)
    ? `<form method="post" action="/config/probe" class="inline">${csrfField(ctx.csrfToken)}<button type="submit" id="probe-run">${t('probe.run')}</button></form>`
    : '';
  const state = view.running ? `<p class="warn">${t('probe.busy')}</p>` : '';
  const last = view.last
    ? `<p class="sub">${t('probe.last', { time: time(view.last.report.at) })}${view.last.by ? ` · ${esc(view.last.by)}` : ''}</p>\n${outlineHtml(ctx, view.last)}`
    : `<p class="empty">${t('probe.none')}</p>`;
  return `<h2 id="probe">${t('probe.title')}</h2>
<p class="sub">${t('probe.intro', { rows: view.sampleRows })}</p>
${form}${state}
${last}`;
}

function outlineHtml(ctx: PageContext, run: ProbeRun): string {
  const lines = probeOutline(run.report).map((line) => {
    const said = ctx.t(line.said.key, line.said.params ?? {});
    const text = line.literal ? `<code>${said}</code>` : said;
    const tone = line.tone === 'plain' ? '' : ` ${line.tone}`;
    return line.heading ? `<h3 class="probe-head${tone}">${text}</h3>` : `<div class="probe-line d${Math.min(line.depth, 4)}${tone}">${text}</div>`;
  });
  return `<div id="probe-report" class="probe">\n${lines.join('\n')}\n</div>`;
}
