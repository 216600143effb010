import t from 'tap';
import { networkInterfaces } from 'node:os';
import { createReceiver } from '../../../scripts/receiver/receiver.js';
import { batchId, ndjson, raw, rid, send, upsert } from './helpers/client.js';
import { start } from './helpers/start.js';

const json = { 'content-type': 'application/json' };
const beat = (url: string) =>
  send({ baseUrl: url, path: '/v1/gateways/hs-rsj/heartbeat', body: '{"gatewayId":"hs-rsj"}', headers: { ...json, 'x-batch-id': undefined } });

t.test('listen() gives the platform URL with its base path and the control URL beside it', async (t) => {
  const { url, control } = await start(t, { basePath: '/platform/exchange/' });
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+\/platform\/exchange$/);
  t.equal(control, `${new URL(url).origin}/_receiver`);
  t.equal((await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) })).status, 200);
});

t.test('paths outside the interface are 404 and other methods 405', async (t) => {
  const { url } = await start(t);
  t.equal((await raw('POST', `${url}/v2/batches`)).status, 404);
  t.equal((await raw('GET', `${url}/v1/batches`)).status, 405);
  t.equal((await raw('POST', `${new URL(url).origin}/v1/batches`)).status, 404, 'the base path is required');
});

t.test('the control API reports records, batches, stats and heartbeats', async (t) => {
  const { url, control } = await start(t);
  const id = batchId();
  await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid('b'), 2), upsert(rid('a'), 1), { ...upsert(rid(), 3), op: '?' }]), batchId: id });
  await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid('b'), 2)]), batchId: id });
  await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid('a'), 1)]) });
  await send({ baseUrl: url, path: '/v1/batches', body: 'x', secret: 'wrong' });
  await beat(url);

  const records = (await raw('GET', `${control}/records`)).body;
  t.same(records.map((r: { id: string }) => r.id), [rid('a'), rid('b')]);
  t.same(Object.keys(records[0]), ['id', 'category', 'op', 'seq', 'observedAt', 'subject', 'data']);

  const batches = (await raw('GET', `${control}/batches`)).body;
  t.same(batches.map((b: { status: number; duplicate: boolean }) => [b.status, b.duplicate]), [[200, false], [200, true], [200, false], [401, false]]);
  t.same(Object.keys(batches[0]).sort(), ['accepted', 'batchId', 'code', 'duplicate', 'fault', 'gatewayId', 'receivedAt', 'recordCount', 'rejected', 'stale', 'status'].sort());

  t.same((await raw('GET', `${control}/stats`)).body, {
    batches: 2, records: 2, accepted: 3, rejected: 1, duplicates: 1, stale: 1, authFailures: 1, heartbeats: 1,
    malformed: 0, tooLarge: 0, faultsFired: 0,
  });
  t.equal((await raw('GET', `${control}/heartbeats`)).body[0].gatewayId, 'hs-rsj');
});

t.test('faults can be queued and cleared over the control API', async (t) => {
  const { url, control } = await start(t);
  const queued = await raw('POST', `${control}/faults`, json, JSON.stringify([{ status: 503, retryAfter: 1 }, { drop: 'after', path: 'batches' }]));
  t.equal(queued.status, 200);
  t.equal(queued.body.queued, 2);
  t.equal((await raw('GET', `${control}/faults`)).body.length, 2);
  t.equal((await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) })).status, 503);
  t.equal((await raw('DELETE', `${control}/faults`)).status, 200);
  t.equal((await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) })).status, 200);

  const one = await raw('POST', `${control}/faults`, json, JSON.stringify({ status: 429 }));
  t.equal(one.body.queued, 1, 'a single fault needs no array');
});

t.test('an invalid fault over the control API is a 400 and queues nothing', async (t) => {
  const { control } = await start(t);
  const reply = await raw('POST', `${control}/faults`, json, JSON.stringify([{ status: 503 }, { drop: 'sideways' }]));
  t.equal(reply.status, 400);
  t.equal(reply.body.code, 'FAULT_INVALID');
  t.same((await raw('GET', `${control}/faults`)).body, []);
  t.equal((await raw('POST', `${control}/faults`, json, '{not json')).body.code, 'BODY_INVALID');
});

t.test('reject rules and a pending config can be set over the control API', async (t) => {
  const { url, control } = await start(t);
  t.equal((await raw('POST', `${control}/reject-rules`, json, JSON.stringify({ category: 'P07-002', code: 'NO', message: 'no' }))).status, 200);
  t.equal((await raw('POST', `${control}/reject-rules`, json, JSON.stringify({ code: 'NO' }))).body.code, 'RULE_INVALID');
  const reply = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) });
  t.equal(reply.body.rejected[0].code, 'NO');
  t.equal((await raw('DELETE', `${control}/reject-rules`)).status, 200);
  t.same((await raw('GET', `${control}/reject-rules`)).body, []);

  t.equal((await raw('POST', `${control}/config`, json, JSON.stringify({ version: 4, bundle: 'YQ==', signature: 'Yg==' }))).status, 200);
  t.equal((await raw('POST', `${control}/config`, json, JSON.stringify({ version: 'x' }))).body.code, 'CONFIG_INVALID');
  t.same((await beat(url)).body.config, { version: 4, bundle: 'YQ==', signature: 'Yg==' });
});

t.test('reset forgets records, batches, heartbeats, faults and counters', async (t) => {
  const { url, control, receiver } = await start(t);
  const id = batchId();
  await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]), batchId: id });
  await beat(url);
  receiver.injectFault({ status: 503, path: 'heartbeat' });
  t.equal((await raw('POST', `${control}/reset`)).status, 200);
  t.same(receiver.records(), []);
  t.same(receiver.batches(), []);
  t.same(receiver.heartbeats(), []);
  t.same(receiver.faults(), []);
  t.equal(receiver.stats().accepted, 0);
  const again = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]), batchId: id });
  t.equal(again.body.duplicate, false, 'batch ids are forgotten too');
});

t.test('unknown control routes are 404, wrong methods 405', async (t) => {
  const { control } = await start(t);
  t.equal((await raw('GET', `${control}/nothing`)).status, 404);
  t.equal((await raw('POST', `${control}/records`)).status, 405);
});

// The refusal can only be shown from an address that is not loopback: on a
// machine with no such interface there is nothing to connect from.
const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
t.test('the control API refuses connections that do not come from loopback', { skip: external ? false : 'no non-loopback interface on this machine' }, async (t) => {
  if (!external) return;
  const receiver = createReceiver({ gateways: { 'hs-rsj': 'hs-credit-demo-secret' } });
  const { control } = await receiver.listen(0, '0.0.0.0');
  t.teardown(() => receiver.close());
  const port = new URL(control).port;
  t.equal((await raw('GET', `http://${external.address}:${port}/_receiver/stats`)).status, 403);
  t.equal((await raw('GET', `http://127.0.0.1:${port}/_receiver/stats`)).status, 200);
});
