/** Escapes text for element content and attribute values (kept here so the login page depends on no page module). */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type Lang = 'zh' | 'en';

const TEXT = {
  zh: {
    title: '登录 · 信用信息前置交换网关',
    product: '信用信息前置交换网关',
    heading: '登录状态页',
    name: '用户名',
    password: '密码',
    submit: '登录',
    failed: '用户名或密码错误',
    switchLang: '<a href="/login?lang=en&amp;next={next}">English</a>',
  },
  en: {
    title: 'Log in · Credit exchange gateway',
    product: 'Credit information exchange gateway',
    heading: 'Log in to the status page',
    name: 'User name',
    password: 'Password',
    submit: 'Log in',
    failed: 'Wrong user name or password',
    switchLang: '<a href="/login?next={next}">中文</a>',
  },
} as const;

export interface LoginPageModel {
  lang: Lang;
  csrfToken: string;
  /** Where to go after login: already checked to be a local path. */
  next: string;
  failed?: boolean;
  /** Shown back in the name field after a failure; the password never is. */
  name?: string;
  /** Shown instead of the form's failure line, e.g. too many attempts. */
  notice?: string;
}

/** The login page: server-rendered, no script, no inline style (the pages' one style sheet), one form. */
export function renderLoginPage(m: LoginPageModel): string {
  const t = TEXT[m.lang];
  const message = m.notice ?? (m.failed ? t.failed : '');
  return `<!doctype html>
<html lang="${m.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title>
<link rel="stylesheet" href="/static/status.css">
</head>
<body>
<header><span>${esc(t.product)}</span></header>
<main>
<h1>${esc(t.heading)}</h1>
${message ? `<p class="bad" id="login-error">${esc(message)}</p>` : ''}
<form method="post" action="/login${m.lang === 'en' ? '?lang=en' : ''}">
<input type="hidden" name="_csrf" value="${esc(m.csrfToken)}">
<input type="hidden" name="next" value="${esc(m.next)}">
<table class="kv">
<tr><th><label for="name">${esc(t.name)}</label></th><td><input type="text" id="name" name="name" autocomplete="username" required value="${esc(m.name ?? '')}"></td></tr>
<tr><th><label for="password">${esc(t.password)}</label></th><td><input type="password" id="password" name="password" autocomplete="current-password" required></td></tr>
</table>
<p><button type="submit">${esc(t.submit)}</button></p>
</form>
<p class="sub">${t.switchLang.replace('{next}', esc(encodeURIComponent(m.next)))}</p>
</main>
</body>
</html>
`;
}

/**
 * Where a login may send the browser: a path on this server only. Anything
 * else (`//evil.example`, `/\evil.example`, `https://…`, control characters)
 * becomes `/`, so the login form cannot be used as an open redirect.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next === '') return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  return next;
}
