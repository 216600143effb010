import t from 'tap';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { registerSecurity, securityPlugin, SESSION_COOKIE, CSRF_COOKIE } from '../../../../gateway/status/security/plugin.js';
import { hashPassword } from '../../../../gateway/status/security/password.js';
import type { SecurityOptions, StatusUser } from '../../../../gateway/status/security/contract.js';
import type { AuditEvent } from '../../../../gateway/observability/audit.js';

const HTML = 'text/html,application/xhtml+xml';

let users: StatusUser[] = [];
t.before(async () => {
  users = [
    { name: 'zhang', role: 'admin', hash: await hashPassword('admin-secret-1') },
    { name: 'li', role: 'viewer', hash: await hashPassword('viewer-secret-1') },
  ];
});

/** A tiny status app: the security plugin first, then one route of each access level, as buildStatusApp does. */
async function app(over: Partial<SecurityOptions> = {}, clock?: { ms: number }): Promise<FastifyInstance> {
  const a = Fastify({ logger: false });
  await registerSecurity(a, { exposed: true, requireLogin: true, users, sessionMinutes: 30, ...over }, clock ? { now: () => clock.ms } : {});
  a.get('/healthz', { config: { access: 'public' } }, async () => ({ ok: true }));
  a.get('/static/status.css', { config: { access: 'public' } }, async (_req, reply) => reply.type('text/css').send('body{}'));
  a.get('/', { config: { access: 'viewer' } }, async (req, reply) =>
    reply.type('text/html; charset=utf-8').send(`<p>你好 ${req.viewer?.name ?? '本机'}</p><form method="post" action="/jobs/x/run"><input type="hidden" name="_csrf" value="${req.csrfToken}"></form>`),
  );
  a.get('/api/status', { config: { access: 'viewer' } }, async (req) => ({ viewer: req.viewer }));
  a.post('/jobs/:name/run', { config: { access: 'admin' } }, async (req) => ({ started: (req.params as { name: string }).name, by: req.viewer?.name ?? null }));
  a.get('/forgotten', async () => ({ secret: 'should not be served' }));
  t.teardown(() => a.close());
  return a;
}

/** Cookies a response set, as a Cookie header value merged over earlier ones. */
function jar(res: LightMyRequestResponse, earlier: Record<string, string> = {}): Record<string, string> {
  const cookies = { ...earlier };
  for (const c of res.cookies as { name: string; value: string }[]) {
    if (c.value === '') delete cookies[c.name];
    else cookies[c.name] = c.value;
  }
  return cookies;
}

function formToken(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
}

/** Opens the login page and posts the form as a browser would. */
async function login(a: FastifyInstance, name: string, password: string, next = '/'): Promise<{ res: LightMyRequestResponse; cookies: Record<string, string> }> {
  const page = await a.inject({ method: 'GET', url: `/login?next=${encodeURIComponent(next)}`, headers: { accept: HTML } });
  const before = jar(page);
  const res = await a.inject({
    method: 'POST',
    url: '/login',
    headers: { accept: HTML, 'content-type': 'application/x-www-form-urlencoded' },
    cookies: before,
    payload: new URLSearchParams({ name, password, next, _csrf: formToken(page.body) }).toString(),
  });
  return { res, cookies: jar(res, before) };
}

t.test('when exposed, a page asks a browser to log in and an API answers 401', async (t) => {
  const a = await app();
  const page = await a.inject({ method: 'GET', url: '/?lang=en', headers: { accept: HTML } });
  t.equal(page.statusCode, 303);
  t.equal(page.headers.location, '/login?next=%2F%3Flang%3Den', 'comes back to where it was going');
  const api = await a.inject({ method: 'GET', url: '/api/status' });
  t.equal(api.statusCode, 401);
  t.equal(api.json().code, 'STATUS_LOGIN_REQUIRED');
  t.notMatch(api.body, /viewer/, 'nothing of the status leaks');
  const health = await a.inject({ method: 'GET', url: '/healthz' });
  t.equal(health.statusCode, 200, 'public routes stay open');
});

t.test('the login page is Chinese first, English on request, without script', async (t) => {
  const a = await app();
  const zh = await a.inject({ method: 'GET', url: '/login' });
  t.equal(zh.statusCode, 200);
  t.match(zh.body, /<html lang="zh-CN">/);
  t.match(zh.body, /用户名/);
  t.match(zh.body, /密码/);
  t.notMatch(zh.body, /<script/);
  t.notMatch(zh.body, /<style|style=/, 'styled by the pages\' style sheet alone');
  const en = await a.inject({ method: 'GET', url: '/login?lang=en' });
  t.match(en.body, /<html lang="en">/);
  t.match(en.body, /User name/);
  const remembered = await a.inject({ method: 'GET', url: '/login', cookies: { lang: 'en' } });
  t.match(remembered.body, /User name/, 'the language chosen on the pages is kept');
});

t.test('a wrong password or an unknown name shows the same page, with no hint which', async (t) => {
  const a = await app();
  const wrongPassword = await login(a, 'zhang', 'not-it');
  const unknownName = await login(a, 'nobody', 'not-it');
  for (const { res } of [wrongPassword, unknownName]) {
    t.equal(res.statusCode, 401);
    t.match(res.body, /用户名或密码错误/);
    t.notOk(res.cookies.some((c: { name: string }) => c.name === SESSION_COOKIE), 'no session');
  }
  const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
  t.equal(strip(wrongPassword.res.body), strip(unknownName.res.body), 'the two pages differ only in the echoed name and token');
});

t.test('logging in gives an HttpOnly SameSite=Strict session, then the page opens', async (t) => {
  const a = await app();
  const { res, cookies } = await login(a, 'li', 'viewer-secret-1', '/api/status');
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/api/status', 'back to where the browser was going');
  const session = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string }[]).find((c) => c.name === SESSION_COOKIE);
  t.ok(session, 'session cookie set');
  t.equal(session?.httpOnly, true);
  t.equal(session?.sameSite, 'Strict');
  t.notOk(session?.secure, 'not Secure on plain HTTP unless told');
  const api = await a.inject({ method: 'GET', url: '/api/status', cookies });
  t.equal(api.statusCode, 200);
  t.same(api.json().viewer, { name: 'li', role: 'viewer', via: 'session' });

  const out = await a.inject({ method: 'POST', url: '/logout', cookies });
  t.equal(out.statusCode, 303);
  const after = await a.inject({ method: 'GET', url: '/api/status', cookies });
  t.equal(after.statusCode, 401, 'logout ends the session on the server, not just in the browser');
});

t.test('secure cookies when the page sits behind TLS', async (t) => {
  const a = await app({ secureCookies: true });
  const { res } = await login(a, 'li', 'viewer-secret-1');
  t.equal((res.cookies as { name: string; secure?: boolean }[]).find((c) => c.name === SESSION_COOKIE)?.secure, true);
});

t.test('logging in replaces any session id the browser had before', async (t) => {
  const a = await app();
  const first = await login(a, 'li', 'viewer-secret-1');
  const page = await a.inject({ method: 'GET', url: '/login', cookies: first.cookies });
  const res = await a.inject({
    method: 'POST',
    url: '/login',
    cookies: first.cookies,
    payload: new URLSearchParams({ name: 'zhang', password: 'admin-secret-1', _csrf: formToken(page.body) }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(res.statusCode, 303);
  const second = jar(res, first.cookies);
  t.not(second[SESSION_COOKIE], first.cookies[SESSION_COOKIE], 'a new id');
  const old = await a.inject({ method: 'GET', url: '/api/status', cookies: { [SESSION_COOKIE]: first.cookies[SESSION_COOKIE]! } });
  t.equal(old.statusCode, 401, 'the old id no longer works');
});

t.test('login attempts are limited per address: the next one gets 429 with a Chinese message', async (t) => {
  const a = await app({ loginAttemptsPerMinute: 3 });
  for (let i = 0; i < 3; i++) t.equal((await login(a, 'zhang', `guess-${i}`)).res.statusCode, 401);
  const limited = await login(a, 'zhang', 'admin-secret-1');
  t.equal(limited.res.statusCode, 429, 'even the right password waits');
  t.match(limited.res.body, /登录尝试过于频繁/);
  t.notOk(limited.res.cookies.some((c: { name: string }) => c.name === SESSION_COOKIE));
  const api = await a.inject({ method: 'POST', url: '/login', payload: { name: 'zhang', password: 'x' } });
  t.equal(api.statusCode, 429);
  t.equal(api.json().code, 'STATUS_LOGIN_RATE_LIMITED');
});

t.test('a login form posted from elsewhere (no pre-session token) is refused', async (t) => {
  const a = await app();
  const res = await a.inject({
    method: 'POST',
    url: '/login',
    headers: { accept: HTML, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'name=zhang&password=admin-secret-1&next=%2F',
  });
  t.equal(res.statusCode, 403);
  t.match(res.body, /表单已过期/);
  t.notOk(res.cookies.some((c: { name: string }) => c.name === SESSION_COOKIE));
});

t.test('after login, next may only be a path on this server', async (t) => {
  const a = await app({ loginAttemptsPerMinute: 20 });
  for (const next of ['//evil.example', '//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    const { res } = await login(a, 'li', 'viewer-secret-1', next);
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/', `${next} is not followed`);
  }
  const { res } = await login(a, 'li', 'viewer-secret-1', '/rejections?category=P07-002');
  t.equal(res.headers.location, '/rejections?category=P07-002');
});

t.test('a viewer cannot act: admin routes answer 403', async (t) => {
  const a = await app();
  const { cookies } = await login(a, 'li', 'viewer-secret-1');
  const page = await a.inject({ method: 'GET', url: '/', cookies });
  const res = await a.inject({ method: 'POST', url: '/jobs/penalties/run', cookies, headers: { 'x-csrf-token': formToken(page.body) } });
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'STATUS_ADMIN_ONLY');
});

t.test('an admin action needs the CSRF token from the page', async (t) => {
  const a = await app();
  const { cookies } = await login(a, 'zhang', 'admin-secret-1');
  const page = await a.inject({ method: 'GET', url: '/', cookies });
  t.equal(page.statusCode, 200);
  const token = formToken(page.body);

  const without = await a.inject({ method: 'POST', url: '/jobs/penalties/run', cookies });
  t.equal(without.statusCode, 403);
  t.equal(without.json().code, 'STATUS_CSRF');
  const wrong = await a.inject({ method: 'POST', url: '/jobs/penalties/run', cookies, payload: `_csrf=${token.slice(1)}x`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(wrong.statusCode, 403);

  const form = await a.inject({ method: 'POST', url: '/jobs/penalties/run', cookies, payload: `_csrf=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(form.statusCode, 200, 'form field _csrf');
  t.same(form.json(), { started: 'penalties', by: 'zhang' });
  const header = await a.inject({ method: 'POST', url: '/jobs/penalties/run', cookies, headers: { 'x-csrf-token': token } });
  t.equal(header.statusCode, 200, 'header x-csrf-token');
  const query = await a.inject({ method: 'POST', url: `/jobs/penalties/run?_csrf=${encodeURIComponent(token)}`, cookies });
  t.equal(query.statusCode, 200, 'query _csrf, for multipart forms');

  const other = await login(a, 'zhang', 'admin-secret-1');
  const stolen = await a.inject({ method: 'POST', url: '/jobs/penalties/run', cookies: other.cookies, headers: { 'x-csrf-token': token } });
  t.equal(stolen.statusCode, 403, "a token belongs to its session");
});

t.test('a bearer token works without CSRF; a wrong one is refused', async (t) => {
  const a = await app();
  const ok = await a.inject({ method: 'POST', url: '/jobs/penalties/run', headers: { authorization: 'Bearer admin-secret-1' } });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { started: 'penalties', by: 'zhang' });
  const again = await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: 'Bearer admin-secret-1' } });
  t.same(again.json().viewer, { name: 'zhang', role: 'admin', via: 'token' }, 'the remembered check gives the same user');
  const viewer = await a.inject({ method: 'POST', url: '/jobs/penalties/run', headers: { authorization: 'Bearer viewer-secret-1' } });
  t.equal(viewer.statusCode, 403, 'a viewer token still cannot act');
  const wrong = await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: 'Bearer nope' } });
  t.equal(wrong.statusCode, 401);
  t.equal(wrong.json().code, 'STATUS_TOKEN_INVALID');
});

t.test('guessing bearer tokens is limited like the login form', async (t) => {
  const a = await app({ loginAttemptsPerMinute: 2 });
  const guess = (token: string) => a.inject({ method: 'GET', url: '/api/status', headers: { authorization: `Bearer ${token}` } });
  t.equal((await guess('guess-1')).statusCode, 401);
  t.equal((await guess('guess-2')).statusCode, 401);
  const limited = await guess('admin-secret-1');
  t.equal(limited.statusCode, 429, 'even the right token waits');
  t.equal(limited.json().code, 'STATUS_TOKEN_RATE_LIMITED');
});

t.test('a token that worked keeps working while another client guesses', async (t) => {
  const clock = { ms: 0 };
  const a = await app({ loginAttemptsPerMinute: 1 }, clock);
  t.equal((await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: 'Bearer viewer-secret-1' } })).statusCode, 200);
  t.equal((await a.inject({ method: 'GET', url: '/api/status', remoteAddress: '10.0.0.9', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
  t.equal((await a.inject({ method: 'GET', url: '/api/status', remoteAddress: '10.0.0.9', headers: { authorization: 'Bearer nope' } })).statusCode, 429);
  t.equal((await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: 'Bearer viewer-secret-1' } })).statusCode, 200);
  clock.ms += 61_000;
  t.equal((await a.inject({ method: 'GET', url: '/api/status', remoteAddress: '10.0.0.9', headers: { authorization: 'Bearer nope' } })).statusCode, 401, 'the next minute it may try again');
});

t.test('on loopback without login everybody is admin, yet a POST still needs the CSRF token', async (t) => {
  const a = await app({ exposed: false, requireLogin: false, users: [] });
  const page = await a.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
  t.equal(page.statusCode, 200, 'no login asked');
  t.match(page.body, /你好 本机/);
  const cookies = jar(page);
  t.ok(cookies[CSRF_COOKIE], 'a pre-session cookie binds the token');

  const forged = await a.inject({ method: 'POST', url: '/jobs/penalties/run', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'x=1' });
  t.equal(forged.statusCode, 403, 'a page elsewhere posting to 127.0.0.1 is refused');
  t.equal(forged.json().code, 'STATUS_CSRF');
  const plain = await a.inject({ method: 'POST', url: '/jobs/penalties/run', headers: { 'content-type': 'text/plain' }, payload: '_csrf=x' });
  t.equal(plain.statusCode, 403, 'nor a text/plain post');

  const res = await a.inject({ method: 'POST', url: '/jobs/penalties/run', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(formToken(page.body))}` });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { started: 'penalties', by: null });
});

t.test('on loopback the page answers only to loopback host names (DNS rebinding)', async (t) => {
  const a = await app({ exposed: false, requireLogin: false, users: [] });
  for (const host of ['127.0.0.1:8650', 'localhost:8650', '[::1]:8650']) {
    t.equal((await a.inject({ method: 'GET', url: '/api/status', headers: { host } })).statusCode, 200, host);
  }
  const rebound = await a.inject({ method: 'GET', url: '/api/status', headers: { host: 'evil.example:8650' } });
  t.equal(rebound.statusCode, 403);
  t.equal(rebound.json().code, 'STATUS_HOST_REFUSED');
});

t.test('requireLogin on loopback asks for a login too', async (t) => {
  const a = await app({ exposed: false, requireLogin: true });
  t.equal((await a.inject({ method: 'GET', url: '/api/status' })).statusCode, 401);
});

t.test('a route that declares no access is refused, whoever asks', async (t) => {
  const a = await app({ exposed: false, requireLogin: false, users: [] });
  const res = await a.inject({ method: 'GET', url: '/forgotten' });
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'STATUS_ROUTE_UNDECLARED');
  t.notMatch(res.body, /should not be served/);
  const exposed = await app();
  const viaToken = await exposed.inject({ method: 'GET', url: '/forgotten', headers: { authorization: 'Bearer admin-secret-1' } });
  t.equal(viaToken.statusCode, 403, 'even for an admin');
});

t.test('an unknown path reveals nothing before login', async (t) => {
  const a = await app();
  t.equal((await a.inject({ method: 'GET', url: '/no-such-page' })).statusCode, 401);
  const { cookies } = await login(a, 'li', 'viewer-secret-1');
  t.equal((await a.inject({ method: 'GET', url: '/no-such-page', cookies })).statusCode, 404);
});

t.test('security headers: no script at all, no framing, no sniffing, no referrer, no caching', async (t) => {
  const a = await app();
  for (const url of ['/login', '/api/status', '/healthz']) {
    const res = await a.inject({ method: 'GET', url });
    const csp = String(res.headers['content-security-policy']);
    t.match(csp, /script-src 'none'/, url);
    t.match(csp, /style-src 'self'(;|$)/, 'the one style sheet; no inline style');
    t.match(csp, /form-action 'self'/);
    t.match(csp, /frame-ancestors 'none'/);
    t.notMatch(csp, /upgrade-insecure-requests/, 'the page is served over plain HTTP on loopback');
    t.equal(res.headers['x-frame-options'], 'DENY');
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.equal(res.headers['referrer-policy'], 'no-referrer');
    t.equal(res.headers['cache-control'], 'no-store');
    t.notOk(res.headers['strict-transport-security'], 'no HSTS on plain HTTP');
  }
  const css = await a.inject({ method: 'GET', url: '/static/status.css' });
  t.not(css.headers['cache-control'], 'no-store', 'static assets may be cached');
});

t.test('a session ends after sessionMinutes without a request', async (t) => {
  const clock = { ms: Date.parse('2026-11-26T08:00:00Z') };
  const a = await app({ sessionMinutes: 30 }, clock);
  const { cookies } = await login(a, 'li', 'viewer-secret-1');
  clock.ms += 29 * 60_000;
  t.equal((await a.inject({ method: 'GET', url: '/api/status', cookies })).statusCode, 200, 'used within the idle time');
  clock.ms += 29 * 60_000;
  t.equal((await a.inject({ method: 'GET', url: '/api/status', cookies })).statusCode, 200, 'each request restarts the idle clock');
  clock.ms += 31 * 60_000;
  const expired = await a.inject({ method: 'GET', url: '/', cookies, headers: { accept: HTML } });
  t.equal(expired.statusCode, 303, 'idle too long: log in again');
  t.match(expired.headers.location, /^\/login\?next=/);
});

t.test('registering refuses an exposed page nobody can log in to', async (t) => {
  await t.rejects(registerSecurity(Fastify(), { exposed: true, requireLogin: true, users: [], sessionMinutes: 30 }), { code: 'STATUS_LOGIN_NOT_CONFIGURED' });
});

t.test('app.register(securityPlugin) covers routes of the whole app', async (t) => {
  const a = Fastify();
  await a.register(securityPlugin, { exposed: true, requireLogin: true, users, sessionMinutes: 30 });
  a.get('/api/status', { config: { access: 'viewer' } }, async () => ({ ok: true }));
  t.teardown(() => a.close());
  t.equal((await a.inject({ method: 'GET', url: '/api/status' })).statusCode, 401);
  t.equal((await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: 'Bearer viewer-secret-1' } })).statusCode, 200);
});

t.test('the audit log hears of every guess, but of a flood only once a minute, and of token reads once an hour', async (t) => {
  const events: AuditEvent[] = [];
  const clock = { ms: Date.parse('2026-12-01T00:00:00Z') };
  const a = await app({ loginAttemptsPerMinute: 3, audit: { record: (e) => events.push(e), close: () => undefined } }, clock);
  for (let i = 0; i < 3; i++) await login(a, 'zhang', `guess-${i}`);
  for (let i = 0; i < 4; i++) t.equal((await login(a, 'zhang', 'admin-secret-1')).res.statusCode, 429);
  const logins = events.filter((e) => e.action === 'login');
  t.same(logins.map((e) => e.outcome), ['refused', 'refused', 'refused', 'STATUS_LOGIN_RATE_LIMITED'], 'three wrong passwords, then one line for the flood');
  t.equal(logins[0]!.user, 'zhang', 'with the name tried');

  events.length = 0;
  for (let i = 0; i < 6; i++) await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: `Bearer wrong-${i}` } });
  t.same(events.map((e) => e.outcome), ['STATUS_TOKEN_INVALID', 'STATUS_TOKEN_INVALID', 'STATUS_TOKEN_INVALID', 'STATUS_TOKEN_RATE_LIMITED'], 'each wrong token until the limit, then one line');
  t.notOk(JSON.stringify(events).includes('wrong-'), 'never the token tried');

  events.length = 0;
  clock.ms += 61_000;
  for (let i = 0; i < 5; i++) await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: 'Bearer viewer-secret-1' } });
  clock.ms += 3_600_000;
  await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: 'Bearer viewer-secret-1' } });
  t.same(events.map((e) => [e.action, e.user, e.outcome]), [['token', 'li', 'ok'], ['token', 'li', 'ok']], 'reads by a token: once an hour');
  t.equal((await a.inject({ method: 'POST', url: '/jobs/x/run', headers: { authorization: 'Bearer viewer-secret-1' } })).statusCode, 403);
  t.match(events.at(-1), { action: 'access', user: 'li', via: 'token', target: 'POST /jobs/:name/run', outcome: 'STATUS_ADMIN_ONLY', client: '127.0.0.1' });
  t.notOk(JSON.stringify(events).includes('viewer-secret-1'));
});
