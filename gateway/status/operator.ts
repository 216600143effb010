import type { FastifyInstance } from 'fastify';
import { maskIdNumbersIn } from '../identifiers/mask.js';
import type { ReadyCheck, StatusDeps } from './deps.js';
import type { Access } from './security/contract.js';

/**
 * The endpoints for machines rather than people: a process supervisor asks
 * /healthz (is the process serving), a load balancer or an orchestrator asks
 * /readyz (can it do its work: store open, configuration valid), Prometheus
 * scrapes /metrics. /healthz and /readyz are public even when the gateway is
 * exposed, so what they say is kept to what an operator needs: no secrets,
 * no folder layout, no identity numbers.
 */

const PUBLIC: { access: Access } = { access: 'public' };
const VIEWER: { access: Access } = { access: 'viewer' };

/** Longer than any message a check needs; a stack trace pasted in by mistake stops here. */
const MAX_MESSAGE = 300;

export function registerOperatorRoutes(app: FastifyInstance, deps: Pick<StatusDeps, 'metrics' | 'ready'>): void {
  app.get('/healthz', { config: PUBLIC }, async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', { config: PUBLIC }, async (_req, reply) => {
    const checks = readyChecks(deps.ready);
    const ready = checks.every((c) => c.ok);
    return reply.code(ready ? 200 : 503).header('cache-control', 'no-store').send({ ready, checks });
  });

  app.get('/metrics', { config: VIEWER }, async (_req, reply) => {
    const { contentType, body } = await deps.metrics();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });
}

/** The checks as they may be shown to anyone; a check that throws is a failed check, with no detail. */
function readyChecks(ready: () => ReadyCheck[]): ReadyCheck[] {
  let checks: ReadyCheck[];
  try {
    checks = ready();
  } catch {
    return [{ name: 'ready', ok: false, message: 'the readiness checks could not run; see the gateway log' }];
  }
  return checks.map((c) => ({ name: String(c.name), ok: c.ok === true, message: publicMessage(String(c.message ?? '')) }));
}

/**
 * A check's message with what the public must not read taken out: a path
 * keeps its file name only, a URL loses any user and password, identity
 * numbers are masked.
 */
export function publicMessage(message: string): string {
  const cleaned = maskIdNumbersIn(message)
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1')
    .replace(/(^|[\s'"(=:,])(?:\/[^\s'"()/,]+)+\/([^\s'"(),/]+)/g, '$1…/$2')
    .replace(/(^|[\s'"(=,])[A-Za-z]:\\(?:[^\s'"()\\,]+\\)*([^\s'"()\\,]+)/g, '$1…\\$2');
  return cleaned.length > MAX_MESSAGE ? `${cleaned.slice(0, MAX_MESSAGE - 1)}…` : cleaned;
}
