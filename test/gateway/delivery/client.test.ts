import t from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { PlatformClient, type PlatformClientOptions } from '../../../gateway/delivery/client.js';
import type { Batch } from '../../../gateway/model.js';
import { besideTest } from '../../helpers/beside.js';

const SECRET = 'hs-credit-demo-secret';

/** All these helpers need of a test: somewhere to register clean-up. */
type Cleanup = { teardown(fn: () => unknown): void };
const tls = (name: string) => besideTest(import.meta.url, `./fixtures/tls/${name}`);

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A bare HTTP(S) server that records each request and answers with `reply`. */
async function server(
  t: Cleanup,
  reply: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void,
  options?: { tls?: { requestCert?: boolean } },
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(entry);
      reply(req, res, entry);
    });
  };
  const srv = options?.tls
    ? createTlsServer(
        {
          key: readFileSync(tls('server.key')),
          cert: readFileSync(tls('server.pem')),
          ca: readFileSync(tls('ca.pem')),
          requestCert: options.tls.requestCert ?? false,
          rejectUnauthorized: options.tls.requestCert ?? false,
        },
        handler,
      )
    : createServer(handler);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    srv.closeAllConnections();
    srv.close();
  });
  const { port } = srv.address() as AddressInfo;
  return { url: `${options?.tls ? 'https' : 'http'}://localhost:${port}/exchange`, seen };
}

function client(t: Cleanup, options: Partial<PlatformClientOptions> & { url: string }): PlatformClient {
  const c = new PlatformClient({ gatewayId: 'hs-rsj', secret: SECRET, logger: pino({ level: 'silent' }), ...options });
  t.teardown(() => c.close());
  return c;
}

const batch: Batch = {
  batchId: '01JD0000000000000000000000',
  records: [
    { seq: 1, id: 'a'.repeat(64), category: 'P07-002', op: 'delete', line: '{"id":"aaa","seq":1}' },
    { seq: 2, id: 'b'.repeat(64), category: 'P07-002', op: 'delete', line: '{"id":"bbb","seq":2}' },
  ],
  attempts: 0,
  createdAt: '2026-11-26T08:00:00.000Z',
};

const ok = (_req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ batchId: batch.batchId, accepted: 2, rejected: [], duplicate: false }));
};

t.test('a batch is POSTed to <base path>/v1/batches, gzip NDJSON, with its id and the signature headers', async (t) => {
  const { url, seen } = await server(t, ok);
  const response = await client(t, { url }).postBatch(batch);
  t.match(response, { status: 200, body: { accepted: 2, duplicate: false } });
  const [req] = seen;
  t.equal(req!.url, '/exchange/v1/batches');
  t.equal(req!.headers['content-type'], 'application/x-ndjson');
  t.equal(req!.headers['content-encoding'], 'gzip');
  t.equal(req!.headers['x-batch-id'], batch.batchId);
  t.equal(req!.headers['x-gateway-id'], 'hs-rsj');
  t.match(req!.headers['x-nonce'], /^[0-9a-f]{32}$/);
  t.match(req!.headers['x-timestamp'], /^\d{13}$/);
  t.match(req!.headers['x-content-digest'], /^sha256=[0-9a-f]{64}$/);
  t.match(req!.headers.authorization, /^HMAC-SHA256 [0-9a-f]{64}$/);
  t.equal(gunzipSync(req!.body).toString('utf8'), '{"id":"aaa","seq":1}\n{"id":"bbb","seq":2}\n');
});

t.test('a resent batch keeps its id and exact records but gets a fresh timestamp and nonce', async (t) => {
  const { url, seen } = await server(t, ok);
  let clock = 1_795_680_000_000;
  const c = client(t, { url, now: () => (clock += 1000) });
  await c.postBatch(batch);
  await c.postBatch(batch);
  t.equal(seen[0]!.headers['x-batch-id'], seen[1]!.headers['x-batch-id']);
  t.same(gunzipSync(seen[0]!.body), gunzipSync(seen[1]!.body));
  t.not(seen[0]!.headers['x-nonce'], seen[1]!.headers['x-nonce']);
  t.not(seen[0]!.headers['x-timestamp'], seen[1]!.headers['x-timestamp']);
});

t.test('with gzip off and SM3 configured the body is identity NDJSON signed with HMAC-SM3', async (t) => {
  const { url, seen } = await server(t, ok);
  await client(t, { url, gzip: false, algorithm: 'sm3' }).postBatch(batch);
  t.equal(seen[0]!.headers['content-encoding'], undefined);
  t.equal(seen[0]!.body.toString('utf8'), '{"id":"aaa","seq":1}\n{"id":"bbb","seq":2}\n');
  t.match(seen[0]!.headers['x-content-digest'], /^sm3=[0-9a-f]{64}$/);
  t.match(seen[0]!.headers.authorization, /^HMAC-SM3 [0-9a-f]{64}$/);
});

t.test('answers come back as status, lower-case headers and parsed body, whatever the status', async (t) => {
  const { url } = await server(t, (_req, res) => {
    res.statusCode = 503;
    res.setHeader('Retry-After', '2');
    res.end('<html>maintenance</html>');
  });
  t.match(await client(t, { url }).postBatch(batch), { status: 503, headers: { 'retry-after': '2' }, body: '<html>maintenance</html>' });
});

t.test('network failures become catalogue codes, never exceptions', async (t) => {
  t.test('connection refused: DELIVERY_UNREACHABLE', async (t) => {
    const response = await client(t, { url: 'http://127.0.0.1:1/exchange' }).postBatch(batch);
    t.match(response, { error: { code: 'DELIVERY_UNREACHABLE', message: /ECONNREFUSED/ } });
  });

  t.test('connection dropped before the answer: DELIVERY_UNREACHABLE', async (t) => {
    const { url } = await server(t, (req) => req.socket.destroy());
    t.match(await client(t, { url }).postBatch(batch), { error: { code: 'DELIVERY_UNREACHABLE' } });
  });

  t.test('no answer within timeoutMs: DELIVERY_TIMEOUT', async (t) => {
    const { url } = await server(t, () => undefined);
    t.match(await client(t, { url, timeoutMs: 150 }).postBatch(batch), { error: { code: 'DELIVERY_TIMEOUT', message: /150 ms/ } });
  });

  t.test('cancelled by the caller: DELIVERY_ABORTED', async (t) => {
    const { url } = await server(t, () => undefined);
    const ac = new AbortController();
    const pending = client(t, { url }).postBatch(batch, ac.signal);
    setTimeout(() => ac.abort(), 50);
    t.match(await pending, { error: { code: 'DELIVERY_ABORTED' } });
  });

  t.test('a certificate from an unknown CA: DELIVERY_TLS', async (t) => {
    const { url } = await server(t, ok, { tls: {} });
    t.match(await client(t, { url }).postBatch(batch), { error: { code: 'DELIVERY_TLS' } });
  });
});

t.test('HTTPS with the configured CA bundle and client certificate', async (t) => {
  const { url, seen } = await server(
    t,
    (req, res) => {
      const cert = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.setHeader('x-client-cn', String(cert.subject?.CN ?? ''));
      ok(req, res);
    },
    { tls: { requestCert: true } },
  );
  const response = await client(t, {
    url,
    caFile: tls('ca.pem'),
    clientCertFile: tls('client.pem'),
    clientKeyFile: tls('client.key'),
  }).postBatch(batch);
  t.match(response, { status: 200, headers: { 'x-client-cn': 'hs-rsj' } });
  t.equal(seen.length, 1);
});

t.test('settings are refused at construction with a clear error', async (t) => {
  const logger = pino({ level: 'silent' });
  const make = (o: Partial<PlatformClientOptions>) => () =>
    new PlatformClient({ url: 'https://platform.example/exchange', gatewayId: 'hs-rsj', secret: SECRET, logger, ...o });
  t.throws(make({ url: 'http://platform.example/exchange' }), { code: 'DELIVERY_INSECURE_URL', message: /loopback/ });
  t.throws(make({ url: 'http://10.1.2.3/exchange' }), { code: 'DELIVERY_INSECURE_URL' });
  t.throws(make({ url: 'ftp://platform.example/' }), { code: 'DELIVERY_INVALID_SETTINGS' });
  t.throws(make({ url: 'https://platform.example/exchange?x=1' }), { code: 'DELIVERY_INVALID_SETTINGS' });
  t.throws(make({ url: 'not a url' }), { code: 'DELIVERY_INVALID_SETTINGS' });
  t.throws(make({ gatewayId: 'hs rsj' }), { code: 'DELIVERY_INVALID_SETTINGS' });
  t.throws(make({ secret: '' }), { code: 'DELIVERY_INVALID_SETTINGS' });
  t.throws(make({ clientCertFile: tls('client.pem') }), { code: 'DELIVERY_INVALID_SETTINGS', message: /clientKeyFile/ });
  t.throws(make({ caFile: '/nonexistent/ca.pem' }), { code: 'DELIVERY_INVALID_SETTINGS', message: /caFile/ });
  for (const url of ['http://localhost:8080/x', 'http://127.0.0.1/x', 'http://127.8.9.10/x', 'http://[::1]:9/x']) {
    const c = make({ url })();
    t.ok(c, `${url} is loopback`);
    await c.close();
  }
});

t.test('heartbeat: POST <base path>/v1/gateways/{id}/heartbeat, JSON, signed; the answer is read', async (t) => {
  const config = { version: 13, bundle: 'e30=', signature: 'c2ln' };
  const { url, seen } = await server(t, (_req, res) => res.end(JSON.stringify({ serverTime: '2026-11-26T08:00:01.000Z', config })));
  const body = {
    gatewayId: 'hs-rsj', softwareVersion: '0.1.0', configVersion: 12, startedAt: '2026-11-26T07:00:00.000Z',
    queue: { pending: 0, oldestPendingAt: null, rejected: 3 }, sources: [], categories: [], configApply: null,
  };
  const reply = await client(t, { url }).heartbeat(body);
  t.same(reply, { serverTime: '2026-11-26T08:00:01.000Z', config });
  t.equal(seen[0]!.url, '/exchange/v1/gateways/hs-rsj/heartbeat');
  t.equal(seen[0]!.headers['content-type'], 'application/json');
  t.match(seen[0]!.headers.authorization, /^HMAC-SHA256 /);
  t.same(JSON.parse(seen[0]!.body.toString('utf8')), body);
});

t.test('the secret never reaches the logs or an inspected client', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const { url } = await server(t, ok);
  const c = client(t, { url, logger: pino({ level: 'trace' }, sink) });
  await c.postBatch(batch);
  await client(t, { url: 'http://127.0.0.1:1/x', logger: pino({ level: 'trace' }, sink) }).postBatch(batch);
  t.ok(lines.length >= 2, 'requests were logged');
  t.notOk(lines.join('').includes(SECRET));
  const { inspect } = await import('node:util');
  t.notOk(inspect(c, { depth: 5 }).includes(SECRET));
  t.notOk(JSON.stringify(c).includes(SECRET));
});
