import t from 'tap';
import { Agent, request } from 'node:http';
import { batchId, ndjson, rid, send, upsert } from './helpers/client.js';
import { start } from './helpers/start.js';

const post = (url: string, extra: Partial<Parameters<typeof send>[0]> = {}) =>
  send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]), ...extra });

const heartbeat = (url: string) =>
  send({ baseUrl: url, path: '/v1/gateways/hs-rsj/heartbeat', body: '{"gatewayId":"hs-rsj"}', headers: { 'content-type': 'application/json', 'x-batch-id': undefined } });

/** Settles to the reply, or to the error when the connection broke. */
const outcome = <T>(p: Promise<T>): Promise<T | Error> => p.catch((err: Error) => err);

t.test('a status fault answers before processing, with Retry-After and a default body', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault({ status: 503, retryAfter: 7 });
  const reply = await post(url);
  t.equal(reply.status, 503);
  t.equal(reply.headers['retry-after'], '7');
  t.equal(reply.body.code, 'UNAVAILABLE');
  t.equal(receiver.records().length, 0, 'nothing was processed');
  t.equal((await post(url)).status, 200, 'the fault was consumed');
  t.equal(receiver.stats().faultsFired, 1);
});

t.test('status faults model a platform in trouble, so they fire before authentication', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault([{ status: 401 }, { status: 400 }, { status: 413 }, { status: 429 }, { status: 500 }, { status: 502, body: { why: 'proxy' } }]);
  const codes = [];
  for (let i = 0; i < 6; i++) {
    const reply = await post(url, { secret: i === 0 ? 'wrong' : undefined });
    codes.push([reply.status, reply.body.code ?? reply.body.why]);
  }
  t.same(codes, [
    [401, 'AUTH_SIGNATURE'], [400, 'BATCH_MALFORMED'], [413, 'BATCH_TOO_LARGE'], [429, 'TOO_MANY_REQUESTS'],
    [500, 'INJECTED_FAULT'], [502, 'proxy'],
  ]);
  t.equal(receiver.stats().authFailures, 0, 'the injected 401 is not an authentication failure');
});

t.test('a fault with times fires that many times, then leaves the queue', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault({ status: 503, times: 2 });
  t.equal((await post(url)).status, 503);
  t.same(receiver.faults().map((f) => f.left), [1]);
  t.equal((await post(url)).status, 503);
  t.equal((await post(url)).status, 200);
  t.same(receiver.faults(), []);
});

t.test('faults wait in order and only the endpoint they name consumes them', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault([{ status: 500, path: 'heartbeat' }, { status: 502, path: 'batches' }, { status: 503 }]);
  t.equal((await post(url)).status, 502);
  t.equal((await post(url)).status, 503, 'a fault without path serves any endpoint');
  t.equal((await post(url)).status, 200);
  t.equal((await heartbeat(url)).status, 500);
  t.equal((await heartbeat(url)).status, 200);
});

t.test('clearFaults empties the queue', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault({ status: 503, times: 5 });
  receiver.clearFaults();
  t.equal((await post(url)).status, 200);
});

t.test('a delay fault slows the answer, then handles the request normally', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault({ delayMs: 300 });
  const began = Date.now();
  const reply = await post(url);
  t.ok(Date.now() - began >= 290, 'waited');
  t.equal(reply.status, 200);
  t.equal(receiver.records().length, 1);
});

t.test('a delay can precede a status', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault({ delayMs: 150, status: 503 });
  const began = Date.now();
  t.equal((await post(url)).status, 503);
  t.ok(Date.now() - began >= 140);
});

t.test('drop before destroys the connection without processing the batch', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault({ drop: 'before' });
  const id = batchId();
  const result = await outcome(post(url, { batchId: id }));
  t.type(result, Error, 'the client sees a broken connection');
  t.equal(receiver.records().length, 0);
  const resent = await post(url, { batchId: id });
  t.equal(resent.body.duplicate, false, 'the batch had never been processed');
  t.same(receiver.batches().map((b) => [b.status, b.fault]), [[null, 'drop:before'], [200, null]]);
});

t.test('drop after stores the batch, loses the answer, and the resend is a duplicate', async (t) => {
  const { url, receiver } = await start(t);
  receiver.injectFault({ drop: 'after' });
  const id = batchId();
  const body = ndjson([upsert(rid('kept'), 1)]);
  const result = await outcome(send({ baseUrl: url, path: '/v1/batches', body, batchId: id }));
  t.type(result, Error, 'the client sees a broken connection');
  t.same(receiver.records().map((r) => r.id), [rid('kept')], 'but the batch was stored');
  const resent = await send({ baseUrl: url, path: '/v1/batches', body, batchId: id });
  t.same(resent.body, { batchId: id, accepted: 1, rejected: [], duplicate: true });
  t.same(receiver.batches().map((b) => [b.status, b.fault, b.accepted]), [[null, 'drop:after', 1], [200, null, 1]]);
});

t.test('a hanging request never gets an answer, and close() still ends promptly', async (t) => {
  const { receiver, url } = await start(t);
  receiver.injectFault({ hang: true });
  const pending = outcome(post(url));
  const raced = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 300))]);
  t.equal(raced, 'still waiting');
  const began = Date.now();
  await receiver.close();
  t.ok(Date.now() - began < 1000, 'close did not wait for the hanging request');
  t.type(await pending, Error, 'the hanging client sees its connection end');
});

t.test('close() does not wait for idle keep-alive connections', async (t) => {
  const { receiver, control } = await start(t);
  const agent = new Agent({ keepAlive: true });
  t.teardown(() => agent.destroy());
  await new Promise<void>((resolve, reject) => {
    request(`${control}/stats`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
  });
  const began = Date.now();
  await receiver.close();
  t.ok(Date.now() - began < 1000);
});

t.test('close() does not wait for a pending delay', async (t) => {
  const { receiver, url } = await start(t);
  receiver.injectFault({ delayMs: 60_000 });
  const pending = outcome(post(url));
  await new Promise((r) => setTimeout(r, 100));
  const began = Date.now();
  await receiver.close();
  t.ok(Date.now() - began < 1000);
  t.type(await pending, Error);
});

t.test('an invalid fault is refused and nothing of its list is queued', async (t) => {
  const { receiver } = await start(t);
  t.throws(() => receiver.injectFault([{ status: 503 }, { status: 200 }]), /status/);
  t.throws(() => receiver.injectFault({ drop: 'before', status: 503 }), /at most one/);
  t.throws(() => receiver.injectFault({ times: 2 } as never), /needs/);
  t.same(receiver.faults(), []);
});
