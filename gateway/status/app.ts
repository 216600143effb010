import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { renderStatusPage } from './page.js';
import type { RejectionView, StatusSnapshot } from './snapshot.js';

export interface StatusDeps {
  snapshot: () => StatusSnapshot;
  rejections: (filter: { limit: number; offset: number; category?: string; code?: string }) => { total: number; items: RejectionView[] };
  /** Starts a run of the job now; false when there is no such job. */
  runJob: (name: string) => boolean;
  logger?: Logger;
}

/** The status HTTP application, built apart from listen() so tests drive it with inject(). */
export function buildStatusApp(deps: StatusDeps): FastifyInstance {
  // Requests are not logged: the page refreshes every few seconds and would drown the log.
  const app = Fastify({ logger: false }) as unknown as FastifyInstance;

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(renderStatusPage(deps.snapshot())));

  app.get('/api/status', async () => deps.snapshot());

  app.get<{ Querystring: { limit?: string; offset?: string; category?: string; code?: string } }>('/api/rejections', async (req) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1000);
    const offset = Math.max(Number(req.query.offset ?? 0) || 0, 0);
    return deps.rejections({ limit, offset, category: req.query.category, code: req.query.code });
  });

  const run = async (name: string) => deps.runJob(name);
  app.post<{ Params: { name: string } }>('/api/jobs/:name/run', async (req, reply) =>
    (await run(req.params.name)) ? reply.code(202).send({ started: req.params.name }) : reply.code(404).send({ code: 'JOB_UNKNOWN', message: `no job named ${req.params.name}` }),
  );
  // The page's "run now" button posts a plain form, so it works without scripts.
  app.post<{ Params: { name: string } }>('/jobs/:name/run', async (req, reply) => {
    await run(req.params.name);
    return reply.redirect('/', 303);
  });

  return app;
}
