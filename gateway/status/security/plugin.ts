import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Access, SecurityOptions, Viewer } from './contract.js';
import { BearerTokens } from './bearer.js';
import { CsrfTokens, newCsrfBinding } from './csrf.js';
import { STATUS_SECURITY_ERRORS, StatusSecurityError, refusalBody, type StatusSecurityCode } from './errors.js';
import { esc, renderLoginPage, safeNext, type Lang } from './login-page.js';
import { isLoopback } from './options.js';
import { hashPassword, verifyPassword } from './password.js';
import { SessionStore } from './sessions.js';
import { NO_AUDIT, OncePerPeriod, TOKEN_READ_PERIOD_MS, type AuditEvent } from '../../observability/audit.js';

export const SESSION_COOKIE = 'cg_session';
export const CSRF_COOKIE = 'cg_csrf';

/** Seams for tests; the composition root passes nothing. */
export interface SecurityInternals {
  /** The clock of sessions and the bearer cache, in ms. */
  now?: () => number;
}

/** What the hooks learnt about one request; not on the request, so no handler depends on it. */
interface RequestAuth {
  access: Access | undefined;
  sessionId?: string;
  bearer: boolean;
  /** What this request's CSRF token is bound to: the session id or the pre-session cookie. */
  csrfBinding?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The status server's security, on the root instance so its hooks cover every
 * route registered after it (call it first in buildStatusApp): headers,
 * cookies and form parsing, sessions and bearer tokens, the access check of
 * every route (see contract.ts), CSRF, and the login and logout routes.
 * Registers @fastify/cookie, @fastify/formbody, @fastify/helmet and
 * @fastify/rate-limit: nobody else registers them again.
 */
export async function registerSecurity(app: FastifyInstance, options: SecurityOptions, internals: SecurityInternals = {}): Promise<void> {
  const requireLogin = options.exposed || options.requireLogin;
  if (requireLogin && options.users.length === 0) throw new StatusSecurityError('STATUS_LOGIN_NOT_CONFIGURED');
  const now = internals.now ?? Date.now;
  const sessions = new SessionStore(options.sessionMinutes * 60_000, now);
  const attemptsPerMinute = options.loginAttemptsPerMinute ?? 5;
  const bearer = new BearerTokens(options.users, attemptsPerMinute, now);
  const csrf = new CsrfTokens();
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: options.secureCookies ?? false } as const;
  // Checked when the name is unknown, so a wrong name takes as long as a wrong password.
  const decoyHash = await hashPassword(randomBytes(16).toString('hex'));
  const auth = new WeakMap<FastifyRequest, RequestAuth>();
  const audit = options.audit ?? NO_AUDIT;
  // Repeated refusals from one address (a script with a stale token, a guessing run) are recorded once a minute, not per request.
  const tokenReads = new OncePerPeriod(TOKEN_READ_PERIOD_MS);
  const floods = new OncePerPeriod(60_000);
  const record = (req: FastifyRequest, e: Omit<AuditEvent, 'client'>) => audit.record({ ...e, client: req.ip });
  const route = (req: FastifyRequest) => `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;

  await app.register(cookie);
  await app.register(formbody);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'none'"],
        // The pages share one style sheet and use no style attributes: inline style is not needed, so not allowed.
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // HSTS on plain HTTP would be ignored at best; behind a TLS proxy (secure cookies) it belongs.
    strictTransportSecurity: options.secureCookies ? { maxAge: 15_552_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
  await app.register(rateLimit, { global: false });

  app.decorateRequest('viewer', null);
  app.decorateRequest('csrfToken', '');

  app.addHook('onRequest', async (req, reply) => {
    // On loopback without a login, a DNS-rebound name would let any web site read the page and its CSRF token.
    if (!options.exposed && !loopbackHost(req.headers.host)) return refuse(req, reply, 'STATUS_HOST_REFUSED');
    const access: Access | undefined = req.is404 ? 'viewer' : req.routeOptions.config?.access;
    const state: RequestAuth = { access, bearer: false };
    auth.set(req, state);

    let user: { name: string; role: Viewer['role'] } | undefined;
    const token = bearerToken(req.headers.authorization);
    if (token !== undefined && access !== 'public') {
      const checked = await bearer.check(token, req.ip);
      if ('refused' in checked) {
        const code = checked.refused === 'limited' ? 'STATUS_TOKEN_RATE_LIMITED' : 'STATUS_TOKEN_INVALID';
        // Wrong tokens are few (the limiter stops a client after a handful a minute); the refusals after that are one line.
        if (code === 'STATUS_TOKEN_INVALID' || floods.first(`token ${req.ip}`, now())) record(req, { action: 'token', user: null, via: 'token', target: route(req), outcome: code });
        return refuse(req, reply, code);
      }
      user = checked.user;
      state.bearer = true;
      // Writes are admin actions, recorded by the action itself; reads once per user and address per period.
      if (SAFE_METHODS.has(req.method) && tokenReads.first(`${user.name} ${req.ip}`, now())) record(req, { action: 'token', user: user.name, via: 'token', target: route(req), outcome: 'ok' });
    } else {
      const cookieId = req.cookies[SESSION_COOKIE];
      const session = sessions.touch(cookieId);
      if (session) {
        user = session;
        state.sessionId = session.id;
        state.csrfBinding = session.id;
      } else if (cookieId !== undefined) {
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
      }
    }
    const via = state.bearer ? 'token' : 'session';
    req.viewer = user ? { name: user.name, role: requireLogin ? user.role : 'admin', via } : requireLogin ? null : { name: null, role: 'admin', via: 'loopback' };

    if (!state.bearer && !state.csrfBinding) {
      let binding = req.cookies[CSRF_COOKIE];
      if (!binding) {
        binding = newCsrfBinding();
        reply.setCookie(CSRF_COOKIE, binding, cookieOptions);
      }
      state.csrfBinding = binding;
    }
    req.csrfToken = state.csrfBinding ? csrf.tokenFor(state.csrfBinding) : '';

    if (access === undefined) {
      req.log.error({ method: req.method, route: req.routeOptions.url }, 'status route declares no access (config.access); refused');
      return refuse(req, reply, 'STATUS_ROUTE_UNDECLARED');
    }
    if (access === 'public') return;
    if (!req.viewer) {
      if (wantsHtml(req)) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return refuse(req, reply, 'STATUS_LOGIN_REQUIRED');
    }
    if (access === 'admin' && req.viewer.role !== 'admin') {
      record(req, { action: 'access', user: req.viewer.name, via: req.viewer.via ?? 'session', target: route(req), outcome: 'STATUS_ADMIN_ONLY' });
      return refuse(req, reply, 'STATUS_ADMIN_ONLY');
    }
  });

  // After the body is parsed (form field `_csrf`), before any handler acts.
  app.addHook('preHandler', async (req, reply) => {
    const state = auth.get(req);
    if (!state || state.access !== 'admin' || SAFE_METHODS.has(req.method) || state.bearer) return;
    if (!csrf.verify(state.csrfBinding, submittedCsrf(req))) {
      record(req, { action: 'access', user: req.viewer?.name ?? null, via: req.viewer?.via ?? 'session', target: route(req), outcome: 'STATUS_CSRF' });
      return refuse(req, reply, 'STATUS_CSRF');
    }
  });

  // Pages and APIs show personal data: never kept by a browser or proxy. Static
  // assets, and public routes that set their own Cache-Control, may be cached.
  app.addHook('onSend', async (req, reply, payload) => {
    const ownPolicy = auth.get(req)?.access === 'public' && reply.hasHeader('cache-control');
    if (!req.url.startsWith('/static/') && !ownPolicy) reply.header('cache-control', 'no-store');
    return payload;
  });

  // `?lang=en`, else the page's language cookie (set by the pages' language switch).
  const lang = (req: FastifyRequest): Lang => {
    const asked = (req.query as Record<string, unknown> | undefined)?.lang;
    return asked === 'en' || (asked !== 'zh' && req.cookies.lang === 'en') ? 'en' : 'zh';
  };

  app.get('/login', { config: { access: 'public' } }, async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    return reply.type('text/html; charset=utf-8').send(renderLoginPage({ lang: lang(req), csrfToken: req.csrfToken, next }));
  });

  app.post(
    '/login',
    {
      config: { access: 'public', rateLimit: { max: attemptsPerMinute, timeWindow: 60_000, errorResponseBuilder: () => new StatusSecurityError('STATUS_LOGIN_RATE_LIMITED') } },
      errorHandler: (err: FastifyError | StatusSecurityError, req, reply) => {
        if (!(err instanceof StatusSecurityError) || err.code !== 'STATUS_LOGIN_RATE_LIMITED') return reply.send(err);
        if (floods.first(`login ${req.ip}`, now())) record(req, { action: 'login', user: null, via: 'form', outcome: err.code, detail: 'further attempts from this address in this minute are refused unrecorded' });
        if (!wantsHtml(req)) return reply.code(429).send(refusalBody(err.code));
        const page = renderLoginPage({ lang: lang(req), csrfToken: req.csrfToken, next: '/', notice: STATUS_SECURITY_ERRORS.STATUS_LOGIN_RATE_LIMITED.zh });
        return reply.code(429).type('text/html; charset=utf-8').send(page);
      },
    },
    async (req, reply) => {
      const state = auth.get(req)!;
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const name = typeof body.name === 'string' ? body.name : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const next = safeNext(body.next);
      const page = (status: number, extra: { failed?: boolean; notice?: string }) =>
        reply.code(status).type('text/html; charset=utf-8').send(renderLoginPage({ lang: lang(req), csrfToken: req.csrfToken, next, name, ...extra }));

      if (!csrf.verify(state.csrfBinding, typeof body._csrf === 'string' ? body._csrf : undefined)) {
        record(req, { action: 'login', user: name, via: 'form', outcome: 'STATUS_CSRF' });
        return page(403, { notice: STATUS_SECURITY_ERRORS.STATUS_CSRF.zh });
      }
      const user = options.users.find((u) => u.name === name);
      const ok = await verifyPassword(password, user?.hash ?? decoyHash);
      if (!user || !ok) {
        req.log.warn({ user: name }, 'status page login failed');
        record(req, { action: 'login', user: name, via: 'form', outcome: 'refused', detail: user ? 'wrong password' : 'no such user' });
        return page(401, { failed: true });
      }
      // A new id at login, so an id planted before login is worth nothing.
      sessions.destroy(state.sessionId);
      const session = sessions.create(user.name, user.role);
      req.log.info({ user: user.name }, 'status page login');
      record(req, { action: 'login', user: user.name, via: 'form', outcome: 'ok' });
      reply.setCookie(SESSION_COOKIE, session.id, cookieOptions);
      return reply.redirect(next, 303);
    },
  );

  app.post('/logout', { config: { access: 'viewer' } }, async (req, reply) => {
    const sessionId = auth.get(req)?.sessionId;
    if (sessionId) record(req, { action: 'logout', user: req.viewer?.name ?? null, via: 'session', outcome: 'ok' });
    sessions.destroy(sessionId);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/login', 303);
  });
}

/** registerSecurity as a plugin for `app.register`, not encapsulated (what fastify-plugin does), so its hooks cover the whole app. */
export const securityPlugin: FastifyPluginAsync<SecurityOptions & SecurityInternals> = Object.assign(
  async (app: FastifyInstance, opts: SecurityOptions & SecurityInternals) => registerSecurity(app, opts, { now: opts.now }),
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'status-security' },
);

function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function loopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return isLoopback(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

function submittedCsrf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = req.body;
  if (body && typeof body === 'object' && typeof (body as Record<string, unknown>)._csrf === 'string') return (body as Record<string, string>)._csrf;
  const query = req.query as Record<string, unknown> | undefined;
  return typeof query?._csrf === 'string' ? query._csrf : undefined;
}

function refuse(req: FastifyRequest, reply: FastifyReply, code: StatusSecurityCode): FastifyReply {
  const spec = STATUS_SECURITY_ERRORS[code];
  if (!wantsHtml(req)) return reply.code(spec.status).send(refusalBody(code));
  const loginLink = code === 'STATUS_ADMIN_ONLY' || code === 'STATUS_LOGIN_REQUIRED' ? '<p><a href="/login">登录</a></p>' : '';
  return reply
    .code(spec.status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(spec.zh)}</title><link rel="stylesheet" href="/static/status.css"></head>
<body><main><h1>${esc(spec.zh)}</h1><p><code>${esc(code)}</code> ${esc(spec.message)}</p><p><a href="/">返回状态页</a></p>${loginLink}</main></body></html>
`);
}
