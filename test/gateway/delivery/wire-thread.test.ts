import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { WireThread } from '../../../gateway/delivery/wire-thread.js';
import type { PlatformClientOptions } from '../../../gateway/delivery/client.js';
import type { Batch } from '../../../gateway/model.js';
import { GATEWAY, SECRET, silent, startReceiver } from './helpers.js';

type Cleanup = { teardown(fn: () => unknown): void };

function link(t: Cleanup, options: Partial<PlatformClientOptions> & { url: string }, limits?: ConstructorParameters<typeof WireThread>[1]): WireThread {
  const thread = new WireThread({ gatewayId: GATEWAY, secret: SECRET, timeoutMs: 10_000, logger: silent, ...options }, limits);
  t.teardown(() => thread.close());
  return thread;
}

const batch = (batchId: string): Batch => ({
  batchId,
  records: [
    { seq: 1, id: 'a'.repeat(64), category: 'P07-002', op: 'delete', line: '{"id":"aaa","seq":1}' },
    { seq: 2, id: 'b'.repeat(64), category: 'P07-002', op: 'delete', line: '{"id":"bbb","seq":2}' },
  ],
  attempts: 0,
  createdAt: '2026-11-26T08:00:00.000Z',
});

t.test('a batch goes out on the delivery thread exactly as the client sends it, and its answer comes back', async (t) => {
  const seen: { url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ batchId: req.headers['x-batch-id'], accepted: 2, rejected: [], duplicate: false }));
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => srv.close());
  const thread = link(t, { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/exchange` });
  t.equal(thread.clock().measuredAt, null, 'nothing is known of the platform\'s clock before an answer');

  const first = batch('01JD0000000000000000000001');
  thread.prepare(first);
  t.match(await thread.postBatch(first), { status: 200, body: { batchId: first.batchId, accepted: 2, duplicate: false } });
  // Not prepared: its body is made when it is posted.
  t.match(await thread.postBatch(batch('01JD0000000000000000000002')), { status: 200, body: { batchId: '01JD0000000000000000000002' } });

  t.equal(seen.length, 2);
  t.equal(seen[0]!.url, '/exchange/v1/batches');
  t.equal(seen[0]!.headers['x-batch-id'], first.batchId);
  t.equal(seen[0]!.headers['content-encoding'], 'gzip');
  t.match(seen[0]!.headers.authorization, /^HMAC-SHA256 [0-9a-f]{64}$/);
  t.equal(gunzipSync(seen[0]!.body).toString('utf8'), '{"id":"aaa","seq":1}\n{"id":"bbb","seq":2}\n');
  t.not(thread.clock().measuredAt, null, 'the answers told the platform\'s time, and the main thread sees it');
});

t.test('heartbeats and refusals come back as the platform\'s answers, failures as catalogue codes', async (t) => {
  const { url } = await startReceiver(t);
  const thread = link(t, { url });
  const reply = await thread.heartbeat({ gatewayId: GATEWAY, softwareVersion: '1.0.0', configVersion: null, queue: { pending: 0, oldestPendingAt: null, rejected: 0 } } as never);
  t.notOk('error' in reply, 'the reference platform takes the heartbeat');

  const wrongSecret = link(t, { url, secret: 'not-the-secret' });
  t.match(await wrongSecret.postBatch(batch('01JD0000000000000000000003')), { status: 401 });
  t.match(await link(t, { url: 'http://127.0.0.1:1/exchange' }).postBatch(batch('01JD0000000000000000000004')), { error: { code: 'DELIVERY_UNREACHABLE' } });
});

t.test('a request goes out and is answered while the main thread is busy committing', async (t) => {
  // The platform in a process of its own: one in this process would wait for this thread too.
  const dir = t.testdir({});
  const server = spawn(process.execPath, ['-e', `
    const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
    let n = 0;
    const srv = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        fs.writeFileSync(path.join(${JSON.stringify(dir)}, 'received-' + (++n)), '');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ batchId: req.headers['x-batch-id'], accepted: 2, rejected: [], duplicate: false }));
      });
    });
    srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => server.kill());
  const [port] = await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const thread = link(t, { url: `http://127.0.0.1:${port}/exchange` });
  // The thread is up and its connection open.
  t.match(await thread.postBatch(batch('01JD0000000000000000000005')), { status: 200 });

  const posting = thread.postBatch(batch('01JD0000000000000000000006'));
  // Busy as a page transaction is (synchronous), until the platform has the batch or ten seconds passed.
  const until = Date.now() + 10_000;
  const received = join(dir, 'received-2');
  while (!existsSync(received) && Date.now() < until);
  t.ok(existsSync(received), 'the platform got the batch while this thread never yielded');
  t.match(await posting, { status: 200, body: { batchId: '01JD0000000000000000000006' } });
});

t.test('a delivery thread that dies answers its requests with DELIVERY_THREAD_FAILED, never a throw or a hang', async (t) => {
  const { url } = await startReceiver(t);
  // Too small a heap for the client to even load: the thread ends as one out of memory does.
  const thread = link(t, { url }, { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 });
  t.match(await thread.postBatch(batch('01JD0000000000000000000007')), { error: { code: 'DELIVERY_THREAD_FAILED', message: /delivery thread stopped/ } });
  t.match(await thread.heartbeat({} as never), { error: { code: 'DELIVERY_THREAD_FAILED' } }, 'the next request starts a thread again, and reports its end too');
});

t.test('settings are checked where the link is made, before any thread starts', async (t) => {
  const make = (options: Partial<PlatformClientOptions>) => () => new WireThread({ url: 'http://127.0.0.1:9/x', gatewayId: GATEWAY, secret: SECRET, logger: silent, ...options });
  t.throws(make({ secret: '' }), { code: 'DELIVERY_INVALID_SETTINGS' });
  t.throws(make({ url: 'http://platform.example/x' }), { code: 'DELIVERY_INSECURE_URL' });
  t.throws(make({ clientCertFile: '/nonexistent/cert.pem' }), { code: 'DELIVERY_INVALID_SETTINGS' });
  t.throws(make({ caFile: '/nonexistent/ca.pem' }), { code: 'DELIVERY_INVALID_SETTINGS', message: /caFile/ });
});
