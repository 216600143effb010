import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { EventBus } from '../../../gateway/observability/events.js';
import { createMetrics } from '../../../gateway/observability/metrics.js';
import type { ReadyCheck } from '../../../gateway/status/deps.js';
import { registerOperatorRoutes, publicMessage } from '../../../gateway/status/operator.js';
import { containsIdNumber } from '../../../gateway/identifiers/mask.js';

/**
 * The operator endpoints on a bare fastify app, driven with inject(). The
 * security plugin is not registered here (its own tests cover access); these
 * tests check that every route says which access it needs.
 */

function setup(t: Test, ready: () => ReadyCheck[] = () => []) {
  const bus = new EventBus((err) => {
    throw err;
  });
  const metrics = createMetrics({
    bus,
    gauges: () => ({ queuePending: 7, queueOldestAgeSecs: 30, openBatches: 1, sources: [{ name: 'rsj', up: true }], configVersion: 2, clockOffsetMs: 500, readingPaused: false, dataFreeBytes: 1e9, storeBytes: 1e6 }),
  });
  const app = Fastify();
  const access: Record<string, unknown> = {};
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD') access[route.url] = (route.config as { access?: unknown } | undefined)?.access;
  });
  registerOperatorRoutes(app, { metrics: async () => ({ contentType: metrics.contentType, body: await metrics.render() }), ready });
  t.teardown(() => app.close());
  return { app, bus, access };
}

t.test('every route declares its access: health and readiness public, metrics for viewers', async (t) => {
  const { app, access } = setup(t);
  await app.ready();
  t.same(access, { '/healthz': 'public', '/readyz': 'public', '/metrics': 'viewer' });
});

t.test('/healthz answers ok while the process serves, whatever readiness says', async (t) => {
  const { app } = setup(t, () => [{ name: 'store', ok: false, message: 'the local store is closed' }]);
  const res = await app.inject('/healthz');
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
  t.equal(res.headers['cache-control'], 'no-store');
});

t.test('/readyz is 200 when every check passes, with the checks listed', async (t) => {
  const checks = [{ name: 'store', ok: true, message: 'open' }, { name: 'config', ok: true, message: 'version 2 valid' }];
  const { app } = setup(t, () => checks);
  const res = await app.inject('/readyz');
  t.equal(res.statusCode, 200);
  t.same(res.json(), { ready: true, checks });
});

t.test('/readyz is 503 when one check fails, and says which', async (t) => {
  const { app } = setup(t, () => [
    { name: 'store', ok: true, message: 'open' },
    { name: 'config', ok: false, message: 'job penalties: category P07-999 is not in the catalog' },
  ]);
  const res = await app.inject('/readyz');
  t.equal(res.statusCode, 503);
  t.same(res.json(), {
    ready: false,
    checks: [{ name: 'store', ok: true, message: 'open' }, { name: 'config', ok: false, message: 'job penalties: category P07-999 is not in the catalog' }],
  });
});

t.test('/readyz says no more than an operator needs: no folders, no passwords in URLs, no identity numbers, no stack', async (t) => {
  const { app } = setup(t, () => [
    { name: 'store', ok: false, message: 'cannot open /var/lib/credit-gateway/secret-dir/gateway.sqlite: EACCES', extra: { secret: 'x' } } as ReadyCheck,
    { name: 'source', ok: false, message: 'mysql://gw:Pa55word@10.0.0.5:3306/credit unreachable; row 420202198001011237' },
  ]);
  const res = await app.inject('/readyz');
  t.equal(res.statusCode, 503);
  t.same(res.json().checks, [
    { name: 'store', ok: false, message: 'cannot open …/gateway.sqlite: EACCES' },
    { name: 'source', ok: false, message: 'mysql://10.0.0.5:3306/credit unreachable; row 420202********1237' },
  ]);
  t.notMatch(res.body, /secret|Pa55word|credit-gateway/);
  t.notOk(containsIdNumber(res.body));
});

t.test('/readyz is 503 without details when the checks themselves throw', async (t) => {
  const { app } = setup(t, () => {
    throw new Error('SQLITE_CANTOPEN /srv/gw/data/gateway.sqlite');
  });
  const res = await app.inject('/readyz');
  t.equal(res.statusCode, 503);
  t.match(res.json(), { ready: false, checks: [{ name: 'ready', ok: false }] });
  t.notMatch(res.body, /srv|SQLITE/);
});

t.test('/metrics serves the text exposition with its content type, events and gauges in it', async (t) => {
  const { app, bus } = setup(t);
  bus.emit({ type: 'page_committed', job: 'penalties', source: 'rsj', category: 'P07-002', read: 10, queued: 8, unchanged: 0, rejected: 2, deleted: 0 });
  const res = await app.inject('/metrics');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4; charset=utf-8/);
  t.match(res.body, /^credit_gateway_records_read_total\{category="P07-002",source="rsj"\} 10$/m);
  t.match(res.body, /^credit_gateway_queue_pending_records 7$/m);
  t.match(res.body, /^credit_gateway_clock_offset_seconds 0\.5$/m);
  t.match(res.body, /^process_cpu_seconds_total /m);
});

t.test('public messages: Windows paths and long messages are cut down too; plain text is left as it is', async (t) => {
  t.equal(publicMessage('cannot read C:\\credit\\data\\gateway.sqlite'), 'cannot read …\\gateway.sqlite');
  t.equal(publicMessage('https://platform.example/exchange answered 503'), 'https://platform.example/exchange answered 503');
  t.equal(publicMessage('configuration version 3 is valid'), 'configuration version 3 is valid');
  const long = publicMessage('x'.repeat(1000));
  t.equal(long.length, 300);
  t.ok(long.endsWith('…'));
});
