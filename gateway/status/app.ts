/**
 * The status application: the pages a department's technical contact reads,
 * the forms behind their buttons and the JSON API with the same data. Built
 * apart from listen() so tests drive it with inject().
 *
 * Every route declares its access (security/contract.ts); the security
 * plugin, registered first, decides who may do what and checks CSRF. The
 * handlers here only render and call StatusDeps.
 */
import { Readable } from 'node:stream';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { maskIdNumbersIn } from '../identifiers/mask.js';
import { contentDisposition, maskedLines } from './csv.js';
import { rejectionsCsv } from '../rejections/csv.js';
import type { ActionResult, StatusDeps, UploadResult } from './deps.js';
import { isMessageKey, MESSAGES, pickLang, text, translator, type Lang, type MessageKey } from '../i18n/messages.js';
import { registerOperatorRoutes } from './operator.js';
import { renderConfig } from './pages/config.js';
import { ProbeRuns, type ProbeRun } from './probe-runs.js';
import { DEFAULT_SAMPLE_ROWS, probeFailed, probeProblems } from '../probe/report.js';
import { renderDeclare } from './pages/declare.js';
import { intParam, parseRejectionFilter } from './pages/filter.js';
import type { PageContext } from './pages/layout.js';
import { Notices, type Notice } from './pages/notice.js';
import { renderOverview } from './pages/overview.js';
import { categoryNames, REJECTIONS_PAGE_SIZE, renderRejections } from './pages/rejections.js';
import { renderUpload, UPLOAD_LIMIT_MIB } from './pages/upload.js';
import { renderProfileOffer } from './pages/profile-offer.js';
import { isSampleName } from '../profiles/suggest/offer-ref.js';
import { uploadAccepted } from './actions.js';
import type { AuditAction } from '../observability/audit.js';
import type { Access } from './security/contract.js';
import { registerSecurity } from './security/plugin.js';
import { STATUS_CSS } from './style.js';

const MIB = 1024 * 1024;
const BUNDLE_LIMIT_BYTES = 16 * MIB;
const API_REJECTIONS_MAX = 1000;
const NOTE_MAX = 500;

type Query = Record<string, string | string[] | undefined>;

export interface RouteAccess {
  method: string;
  url: string;
  access: Access | undefined;
}

const ROUTES = new WeakMap<FastifyInstance, RouteAccess[]>();

/** Every route of a status app with the access it declared (for tests and checks). */
export function routeAccess(app: FastifyInstance): RouteAccess[] {
  return [...(ROUTES.get(app) ?? [])];
}

/** Text payloads that may carry a person's identity number on their way out. */
function isText(contentType: unknown): boolean {
  return typeof contentType === 'string' && /^(text\/|application\/(json|problem\+json|csv))/i.test(contentType);
}

/** Only a path of this application: a form's `back` must not send the browser elsewhere. */
function localPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : fallback;
}

function langCookie(header: string | undefined): string | undefined {
  return header?.match(/(?:^|;\s*)lang=(en|zh)(?:;|$)/)?.[1];
}

function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * An action's outcome in the reader's language: said from `action.<code>` or
 * `upload.error.<code>` where the tables know the code; a message without a
 * code was made here in that language; anything else is quoted as it came.
 */
function noticeOf(lang: Lang, result: ActionResult): Notice {
  for (const key of [`action.${result.code}`, `upload.error.${result.code}`]) {
    if (result.code && isMessageKey(key)) return { ok: result.ok, message: text(lang, key, result.params ?? {}) };
  }
  return { ok: result.ok, message: result.message, ...(result.code ? { quoted: true } : {}) };
}

function field(body: unknown, name: string): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** A bundle envelope's version as the audit log names it; the envelope is not trusted to have one. */
function bundleTarget(body: unknown): string {
  const version = body && typeof body === 'object' ? (body as Record<string, unknown>).version : undefined;
  return typeof version === 'number' && Number.isSafeInteger(version) ? `version ${version}` : 'version ?';
}

function noteOf(body: unknown): string | null {
  const note = field(body, 'note')?.trim().slice(0, NOTE_MAX);
  return note ? note : null;
}

export async function buildStatusApp(deps: StatusDeps): Promise<FastifyInstance> {
  // Requests are not logged: the overview refreshes every few seconds and would drown the log.
  const app = Fastify({ logger: false, ...(deps.tls ? { https: { key: deps.tls.key, cert: deps.tls.cert } } : {}) }) as unknown as FastifyInstance;
  const routes: RouteAccess[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, access: r.config?.access });
  });
  // The last line of defence: whatever a handler or plugin forgot, no identity number leaves unmasked.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!isText(reply.getHeader('content-type'))) return payload;
    if (typeof payload === 'string') return maskIdNumbersIn(payload);
    if (Buffer.isBuffer(payload)) {
      const s = payload.toString('utf8');
      const masked = maskIdNumbersIn(s);
      return masked === s ? payload : masked;
    }
    return payload;
  });

  await registerSecurity(app, { ...deps.security, secureCookies: deps.security.secureCookies || Boolean(deps.tls), ...(deps.audit ? { audit: deps.audit } : {}) });
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT_MIB * MIB, files: 1, fields: 10 } });
  await registerOperatorRoutes(app, deps);

  const notices = new Notices();
  const machineZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const probes = deps.probe ? new ProbeRuns(deps.probe) : null;

  function langOf(req: FastifyRequest, reply: FastifyReply): Lang {
    const asked = (req.query as Query | undefined)?.lang;
    const lang = pickLang(typeof asked === 'string' ? asked : undefined, langCookie(req.headers.cookie));
    if (asked === 'en' || asked === 'zh') reply.header('set-cookie', `lang=${asked}; Path=/; Max-Age=31536000; SameSite=Lax`);
    return lang;
  }

  function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
    const url = new URL(req.url, 'http://status.invalid');
    const query = url.searchParams;
    return {
      t: translator(langOf(req, reply)),
      viewer: req.viewer ?? null,
      csrfToken: req.csrfToken ?? '',
      path: url.pathname,
      query,
      notice: notices.get(query.get('notice') ?? undefined),
      now: new Date(),
      machineZone,
    };
  }

  function html(reply: FastifyReply, body: string, code = 200): FastifyReply {
    return reply.code(code).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
  }

  /** A form post's outcome: shown once on the page the browser is sent back to. */
  function back(reply: FastifyReply, to: string, result: ActionResult, lang: Lang): FastifyReply {
    const id = notices.add(noticeOf(lang, result));
    return reply.redirect(`${to}${to.includes('?') ? '&' : '?'}notice=${id}`, 303);
  }

  const by = (req: FastifyRequest) => req.viewer?.name ?? null;

  /** Runs an admin action and records it in the audit log with who, from where and what came of it. */
  async function audited<R extends ActionResult>(req: FastifyRequest, action: AuditAction, target: string | ((r: R) => string), run: () => R | Promise<R>): Promise<R> {
    const fact = { action, user: by(req), via: req.viewer?.via ?? 'session', client: req.ip } as const;
    try {
      const result = await run();
      const named = typeof target === 'function' ? target(result) : target;
      deps.audit?.record({ ...fact, target: named, outcome: result.ok ? 'ok' : result.code ?? 'refused', ...(result.ok ? {} : { detail: result.message }) });
      return result;
    } catch (err) {
      deps.audit?.record({ ...fact, target: typeof target === 'function' ? '(unknown)' : target, outcome: 'failed', detail: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }
  const runJob = (req: FastifyRequest, name: string) =>
    audited(req, 'job.run', name, () => (deps.runJob(name) ? { ok: true, message: '' } : { ok: false, code: 'JOB_UNKNOWN', message: `no job named ${name}` }));
  const resend = (req: FastifyRequest, id: number) => audited(req, 'rejection.resend', `rejection ${id}`, () => deps.resend(id, by(req)));
  const declare = (req: FastifyRequest, code: string) => audited(req, 'coverage.declare', code, () => deps.declareNoData(code, by(req), noteOf(req.body)));
  const viewer = { config: { access: 'viewer' as const } };
  const admin = { config: { access: 'admin' as const } };

  app.get('/static/status.css', { config: { access: 'public' } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STATUS_CSS),
  );

  // ---- pages ----

  app.get('/', viewer, async (req, reply) => html(reply, renderOverview(pageContext(req, reply), deps.snapshot())));

  app.get<{ Querystring: Query }>('/rejections', viewer, async (req, reply) => {
    const filter = parseRejectionFilter(req.query);
    const page = intParam(req.query, 'page', 1, 1, 1_000_000);
    const result = deps.rejections({ ...filter, limit: REJECTIONS_PAGE_SIZE, offset: (page - 1) * REJECTIONS_PAGE_SIZE });
    return html(reply, renderRejections(pageContext(req, reply), deps.snapshot(), filter, page, result));
  });

  app.get<{ Querystring: Query }>('/rejections.csv', viewer, async (req, reply) => {
    const filter = parseRejectionFilter(req.query);
    const s = deps.snapshot();
    const lang = langOf(req, reply);
    const filename = `rejections-${s.gateway.id}-${localDate(new Date())}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition(filename))
      .header('cache-control', 'no-store')
      .send(Readable.from(rejectionsCsv((q) => deps.rejections(q), filter, categoryNames(s), lang)));
  });

  app.get('/upload', viewer, async (req, reply) => html(reply, renderUpload(pageContext(req, reply), deps.snapshot())));

  // An empty template to fill in, the same file `credit-gateway template CODE` writes.
  app.get<{ Params: { code: string } }>('/templates/:code', viewer, async (req, reply) => {
    const code = req.params.code.replace(/\.xlsx$/i, '');
    const template = /^P\d{2}-\d{3}$/i.test(code) && deps.template ? await deps.template(code.toUpperCase()) : null;
    if (!template) return reply.code(404).send({ code: 'TEMPLATE_UNKNOWN', message: `no category ${code} in the catalog` });
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', contentDisposition(template.filename))
      .send(template.body);
  });

  // A drop folder's error report, linked from the recent files; masked like every CSV the page gives out.
  app.get<{ Params: { source: string; where: string; name: string } }>('/reports/:source/:where/:name', viewer, async (req, reply) => {
    const { source, where, name } = req.params;
    const bytes = deps.report ? await deps.report(source, where, name) : null;
    if (!bytes) return reply.code(404).send({ code: 'REPORT_UNKNOWN', message: `no error report ${name} in ${where}/ of ${source}` });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition(name))
      .header('cache-control', 'no-store')
      .send(Readable.from(maskedLines(bytes)));
  });

  // 生成导出方案 for a file no profile placed: admins only, as a profile decides what the gateway reads.
  const offer = async (req: FastifyRequest<{ Params: { source: string; name: string } }>, reply: FastifyReply) => {
    const { source, name } = req.params;
    const found = deps.suggestProfile && isSampleName(name) ? await deps.suggestProfile(source, name) : null;
    if (!found) reply.code(404).send({ code: 'FILE_UNKNOWN', message: `no file ${name} in rejected/ of ${source}` });
    return found;
  };
  app.get<{ Params: { source: string; name: string } }>('/files/:source/rejected/:name/profile', admin, async (req, reply) => {
    const found = await offer(req, reply);
    return found ? html(reply, renderProfileOffer(pageContext(req, reply), req.params.source, found)) : reply;
  });
  app.get<{ Params: { source: string; name: string } }>('/files/:source/rejected/:name/profile.yaml', admin, async (req, reply) => {
    const found = await offer(req, reply);
    if (!found) return reply;
    if (!found.yaml) return reply.code(422).send({ code: found.problem?.code ?? 'SUGGEST_NO_CATEGORY', message: found.problem?.message ?? '' });
    return reply
      .header('content-type', 'text/yaml; charset=utf-8')
      .header('content-disposition', contentDisposition(`${found.file.replace(/\.[^.]+$/, '')}.profile.yaml`))
      .header('cache-control', 'no-store')
      .send(maskIdNumbersIn(found.yaml));
  });

  app.get('/config', viewer, async (req, reply) =>
    html(reply, renderConfig(pageContext(req, reply), deps.snapshot(), probes && { running: probes.running, last: probes.last, sampleRows: DEFAULT_SAMPLE_ROWS })),
  );

  app.get<{ Params: { code: string } }>('/coverage/:code/declare', admin, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const row = deps.snapshot().coverage.find((c) => c.code === req.params.code);
    if (!row) return back(reply, '/', { ok: false, message: ctx.t.text('declare.unknown', { code: req.params.code }) }, ctx.t.lang);
    return html(reply, renderDeclare(ctx, row));
  });

  // ---- form posts: act, then 303 back with a notice ----

  app.post<{ Params: { name: string } }>('/jobs/:name/run', admin, async (req, reply) => {
    const lang = langOf(req, reply);
    const started = (await runJob(req, req.params.name)).ok;
    return back(reply, '/', { ok: started, message: text(lang, started ? 'action.jobStarted' : 'action.jobUnknown', { name: req.params.name }) }, lang);
  });

  app.post<{ Params: { id: string } }>('/rejections/:id/resend', admin, async (req, reply) => {
    const to = localPath(field(req.body, 'back'), '/rejections');
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return reply.code(404).send({ code: 'REJECTION_UNKNOWN', message: `no rejection ${req.params.id}` });
    return back(reply, to, await resend(req, id), langOf(req, reply));
  });

  app.post<{ Params: { code: string } }>('/coverage/:code/declare', admin, async (req, reply) =>
    back(reply, '/', await declare(req, req.params.code), langOf(req, reply)),
  );

  app.post('/upload', admin, async (req, reply) => {
    const lang = langOf(req, reply);
    // Recorded under the name the file was stored as, else the name it was sent with.
    return back(reply, '/', await audited(req, 'file.upload', (r) => r.file ?? '(not read)', () => upload(req, lang)), lang);
  });

  /** Runs the probe unless one runs already; what became of it, for the notice and the audit log. */
  async function probe(req: FastifyRequest): Promise<ActionResult & { run?: ProbeRun }> {
    let run;
    try {
      run = await probes!.start(by(req));
    } catch (err) {
      const message = (err as Error).message;
      return { ok: false, code: 'PROBE_FAILED', params: { message }, message: text('zh', 'action.PROBE_FAILED', { message }) };
    }
    if (!run) return { ok: false, code: 'PROBE_BUSY', message: text('zh', 'action.PROBE_BUSY') };
    const n = probeProblems(run.report).length;
    // Problems found are the probe's answer, not a failed action: the audit log says ok, the notice says how many.
    return n > 0
      ? { ok: true, code: 'PROBE_PROBLEMS', params: { n }, message: text('zh', 'action.PROBE_PROBLEMS', { n }), run }
      : { ok: true, code: 'PROBE_PASSED', message: text('zh', 'action.PROBE_PASSED'), run };
  }

  if (probes) {
    app.post('/config/probe', admin, async (req, reply) => {
      const lang = langOf(req, reply);
      const { run: _run, ...result } = await audited(req, 'config.probe', 'configuration in effect', () => probe(req));
      return back(reply, '/config', result, lang);
    });
    // For scripts: the report itself, 409 while another probe runs.
    app.post('/api/config/probe', admin, async (req, reply) => {
      const result = await audited(req, 'config.probe', 'configuration in effect', () => probe(req));
      if (!result.run) return reply.code(409).send({ code: result.code, message: text('en', `action.${result.code}` as MessageKey, result.params ?? {}) });
      return reply.code(200).send({ ok: !probeFailed(result.run.report), report: result.run.report });
    });
  }

  async function upload(req: FastifyRequest, lang: Lang): Promise<UploadResult> {
    const tooLarge = { ok: false, message: text(lang, 'upload.tooLarge', { mib: UPLOAD_LIMIT_MIB }), code: 'UPLOAD_TOO_LARGE' };
    try {
      const file = await req.file();
      if (!file) return { ok: false, message: text(lang, 'upload.noFile'), code: 'UPLOAD_NO_FILE' };
      // Fields sent before the file (the form puts the category first) arrive with it.
      const chosen = (file.fields.category as { value?: unknown } | undefined)?.value;
      const category = typeof chosen === 'string' && /^P\d{2}-\d{3}$/.test(chosen) ? chosen : undefined;
      const result = await deps.upload({ filename: file.filename, stream: file.file, ...(category ? { category } : {}) }, by(req));
      // Whatever deps left unread must still be drained, or the request never ends.
      file.file.resume();
      if (file.file.truncated) return { ...tooLarge, file: file.filename };
      if (result.ok) return { ...result, message: uploadAccepted(lang, result.file ?? file.filename, result) };
      const known = `upload.error.${result.code}` as MessageKey;
      return { ...result, file: result.file ?? file.filename, ...(known in MESSAGES.zh ? { message: text(lang, known, result.params ?? {}) } : {}) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge;
      return { ok: false, message: text(lang, 'upload.failed', { message: (err as Error).message }), code: 'UPLOAD_FAILED' };
    }
  }

  // ---- JSON API: the same data and actions, for scripts ----

  app.get('/api/status', viewer, async () => deps.snapshot());

  app.get<{ Querystring: Query }>('/api/rejections', viewer, async (req) => {
    const limit = intParam(req.query, 'limit', 100, 1, API_REJECTIONS_MAX);
    const offset = intParam(req.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    return deps.rejections({ ...parseRejectionFilter(req.query), limit, offset });
  });

  app.post<{ Params: { name: string } }>('/api/jobs/:name/run', admin, async (req, reply) =>
    (await runJob(req, req.params.name)).ok
      ? reply.code(202).send({ started: req.params.name })
      : reply.code(404).send({ code: 'JOB_UNKNOWN', message: `no job named ${req.params.name}` }),
  );

  const answer = (reply: FastifyReply, result: ActionResult) =>
    result.ok ? reply.code(200).send(result) : reply.code(422).send({ code: result.code ?? 'ACTION_REFUSED', message: result.message });

  app.post<{ Params: { id: string } }>('/api/rejections/:id/resend', admin, async (req, reply) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return reply.code(404).send({ code: 'REJECTION_UNKNOWN', message: `no rejection ${req.params.id}` });
    return answer(reply, await resend(req, id));
  });

  app.post<{ Params: { code: string } }>('/api/coverage/:code/declare', admin, async (req, reply) =>
    answer(reply, await declare(req, req.params.code)),
  );

  app.put('/api/config/bundle', { ...admin, bodyLimit: BUNDLE_LIMIT_BYTES }, async (req, reply) =>
    answer(reply, await audited(req, 'bundle.put', bundleTarget(req.body), () => deps.putBundle(req.body, by(req)))),
  );

  return app;
}
