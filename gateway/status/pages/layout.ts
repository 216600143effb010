/** The frame around every status page: title, navigation, language switch, login state, notice. */
import type { Viewer } from '../security/contract.js';
import type { MessageKey, Translator } from '../../i18n/messages.js';
import { csrfField, esc, escMasked } from './format.js';
import type { Notice } from './notice.js';

export interface PageContext {
  t: Translator;
  viewer: Viewer | null;
  csrfToken: string;
  /** The request's path, to link the same page in the other language. */
  path: string;
  query: URLSearchParams;
  notice: Notice | null;
  now: Date;
  /** The machine's time zone (IANA name), for what counts by the machine's day ("today"); the page's times are 北京时间. */
  machineZone?: string;
}

export function isAdmin(ctx: PageContext): boolean {
  return ctx.viewer?.role === 'admin';
}

/** The same page in the other language: `?lang=` sets the cookie that keeps it. */
export function switchHref(ctx: PageContext): string {
  const q = new URLSearchParams(ctx.query);
  q.delete('notice');
  q.set('lang', ctx.t.lang === 'zh' ? 'en' : 'zh');
  return `${ctx.path}?${q.toString()}`;
}

const NAV: [string, MessageKey][] = [
  ['/', 'nav.overview'],
  ['/rejections', 'nav.rejections'],
  ['/upload', 'nav.upload'],
  ['/config', 'nav.config'],
];

export function layout(ctx: PageContext, page: { title: string; body: string; heading: string; refreshSecs?: number }): string {
  const { t } = ctx;
  const nav = NAV.map(([href, key]) => `<a href="${href}"${href === ctx.path ? ' aria-current="page"' : ''}>${t(key)}</a>`).join(' ');
  const who = ctx.viewer?.name
    ? `<span class="who">${t('nav.loggedIn', { name: { data: ctx.viewer.name }, role: ctx.t.text(ctx.viewer.role === 'admin' ? 'role.admin' : 'role.viewer') })}</span>
<form method="post" action="/logout" class="inline">${csrfField(ctx.csrfToken)}<button type="submit">${t('nav.logout')}</button></form>`
    : '';
  const notice = ctx.notice
    ? `<div class="notice ${ctx.notice.ok ? 'ok' : 'fault'}" id="notice" role="status"><b>${t(ctx.notice.ok ? 'notice.ok' : 'notice.failed')}</b>${t('notice.colon')}${ctx.notice.quoted ? `<span data-zh>${escMasked(ctx.notice.message)}</span>` : escMasked(ctx.notice.message)}</div>`
    : '';
  const refresh = page.refreshSecs ? `\n<meta http-equiv="refresh" content="${page.refreshSecs}">` : '';
  return `<!doctype html>
<html lang="${ctx.t.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">${refresh}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${t('app.title')}</title>
<link rel="stylesheet" href="/static/status.css">
</head>
<body>
<header>
<nav>${nav}</nav>
<div class="right"><a href="${esc(switchHref(ctx))}" id="lang-switch" hreflang="${ctx.t.lang === 'zh' ? 'en' : 'zh'}" lang="${ctx.t.lang === 'zh' ? 'en' : 'zh-CN'}" data-zh>${t('lang.switch')}</a> ${who}</div>
</header>
<main>
<h1>${page.heading}</h1>
${notice}
${page.body}
<p class="sub foot" id="times-note">${t('common.timesNote', { zone: ctx.machineZone ?? 'UTC' })}</p>
</main>
</body>
</html>`;
}
