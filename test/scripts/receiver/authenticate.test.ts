import t from 'tap';
import { del, ndjson, nonce, raw, rid, send, GATEWAY, SECRET } from './helpers/client.js';
import { start } from './helpers/start.js';

const WORKED_BODY =
  '{"id":"c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc","category":"P07-002","op":"delete","seq":1,"observedAt":"2026-11-26T08:00:00.000Z"}\n';

t.test('the worked example, headers copied from the spec, is accepted in both algorithms', async (t) => {
  const rows = [
    ['sha256=260472a3c86046941c0a49455928a93b08e9c1fcf974c170a08d2ef3d8e67856', 'HMAC-SHA256 e6c0746cb4e0cdf45c7e9c4ffdaacaacde613ef7817958c758fcdf4035411211'],
    ['sm3=fadb7b195ddcde0f1079f0cff02aac5cd6a5ae2712f12bd7f00df0c34513ac19', 'HMAC-SM3 8777be97570be10a1997af218ec568afa5bab0fb1d119ddc2c030f9db2cbf2be'],
  ];
  for (const [digest, authorization] of rows) {
    // A fresh receiver per row: the example's nonce may only be used once.
    const { url } = await start(t, { now: () => 1795680000000 });
    const reply = await raw('POST', `${url}/v1/batches`, {
      'content-type': 'application/x-ndjson',
      'x-gateway-id': 'hs-rsj',
      'x-timestamp': '1795680000000',
      'x-nonce': '0123456789abcdef0123456789abcdef',
      'x-content-digest': digest!,
      authorization: authorization!,
      'x-batch-id': '01JDQ3Z8X5K7M9N2P4R6T8V0W1',
    }, WORKED_BODY);
    t.equal(reply.status, 200, authorization!.split(' ')[0]);
    t.same(reply.body, { batchId: '01JDQ3Z8X5K7M9N2P4R6T8V0W1', accepted: 1, rejected: [], duplicate: false });
  }
});

t.test('each way a request fails authentication has its own 401 code', async (t) => {
  const { url, receiver } = await start(t, { gateways: { [GATEWAY]: SECRET, other: 'other-secret' } });
  const body = ndjson([del(rid(), 1)]);
  const cases: [string, Parameters<typeof send>[0], string][] = [
    ['a header is missing', { baseUrl: url, path: '/v1/batches', body, headers: { 'x-nonce': undefined } }, 'AUTH_HEADER_MISSING'],
    ['Authorization is missing', { baseUrl: url, path: '/v1/batches', body, headers: { authorization: undefined } }, 'AUTH_HEADER_MISSING'],
    ['the gateway is unknown', { baseUrl: url, path: '/v1/batches', body, gatewayId: 'nobody' }, 'AUTH_UNKNOWN_GATEWAY'],
    ['the secret is wrong', { baseUrl: url, path: '/v1/batches', body, secret: 'wrong' }, 'AUTH_SIGNATURE'],
    ['another gateway\'s secret is used', { baseUrl: url, path: '/v1/batches', body, secret: 'other-secret' }, 'AUTH_SIGNATURE'],
    ['the signed path lacks the base path', { baseUrl: url, path: '/v1/batches', body, signedPath: '/v1/batches' }, 'AUTH_SIGNATURE'],
    ['the body differs from the signed digest', { baseUrl: url, path: '/v1/batches', body, digestBody: 'something else' }, 'AUTH_DIGEST'],
    ['the timestamp is 301 s behind', { baseUrl: url, path: '/v1/batches', body, timestamp: Date.now() - 301_000 }, 'AUTH_TIMESTAMP'],
    ['the timestamp is 301 s ahead', { baseUrl: url, path: '/v1/batches', body, timestamp: Date.now() + 301_000 }, 'AUTH_TIMESTAMP'],
    ['the timestamp is in seconds-with-fraction', { baseUrl: url, path: '/v1/batches', body, headers: { 'x-timestamp': '1795680000.5' } }, 'AUTH_TIMESTAMP'],
    ['the nonce is upper-case hex', { baseUrl: url, path: '/v1/batches', body, nonce: nonce().toUpperCase() }, 'AUTH_HEADER_INVALID'],
    ['the digest and signature algorithms differ', { baseUrl: url, path: '/v1/batches', body, headers: { 'x-content-digest': `sm3=${'0'.repeat(64)}` } }, 'AUTH_ALGORITHM'],
    ['the scheme is unknown', { baseUrl: url, path: '/v1/batches', body, headers: { authorization: `HMAC-MD5 ${'0'.repeat(64)}` } }, 'AUTH_ALGORITHM'],
  ];
  for (const [name, options, code] of cases) {
    const reply = await send(options);
    t.equal(reply.status, 401, name);
    t.equal(reply.body.code, code, name);
    t.type(reply.body.message, 'string', name);
  }
  t.equal(receiver.stats().authFailures, cases.length);
  t.equal(receiver.records().length, 0, 'nothing unauthenticated is stored');
});

t.test('a nonce cannot be replayed inside the window, even with a new batch id', async (t) => {
  const { url } = await start(t);
  const n = nonce();
  const first = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([del(rid(), 1)]), nonce: n });
  t.equal(first.status, 200);
  const again = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([del(rid(), 2)]), nonce: n });
  t.equal(again.status, 401);
  t.equal(again.body.code, 'AUTH_NONCE_REPLAY');
});

t.test('a forged request does not use up the nonce it names', async (t) => {
  const { url } = await start(t);
  const n = nonce();
  const forged = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([del(rid(), 1)]), nonce: n, secret: 'guess' });
  t.equal(forged.body.code, 'AUTH_SIGNATURE');
  const genuine = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([del(rid(), 1)]), nonce: n });
  t.equal(genuine.status, 200);
});

t.test('a nonce is forgotten once its timestamp has left the window', async (t) => {
  let clock = 1_800_000_000_000;
  const { url } = await start(t, { now: () => clock, clockSkewMs: 1000 });
  const n = nonce();
  t.equal((await send({ baseUrl: url, path: '/v1/batches', body: ndjson([del(rid(), 1)]), nonce: n, timestamp: clock })).status, 200);
  clock += 5000;
  // The same nonce with a fresh timestamp is a new request: the old one could no longer be replayed anyway.
  t.equal((await send({ baseUrl: url, path: '/v1/batches', body: ndjson([del(rid(), 2)]), nonce: n, timestamp: clock })).status, 200);
});

t.test('a receiver limited to SM3 refuses SHA-256 and accepts SM3', async (t) => {
  const { url } = await start(t, { algorithms: ['sm3'] });
  const body = ndjson([del(rid(), 1)]);
  const sha = await send({ baseUrl: url, path: '/v1/batches', body });
  t.equal(sha.body.code, 'AUTH_ALGORITHM');
  const sm3 = await send({ baseUrl: url, path: '/v1/batches', body, algorithm: 'sm3' });
  t.equal(sm3.status, 200);
});

t.test('the signature covers the path as requested, not a query string', async (t) => {
  const { url } = await start(t);
  const reply = await send({ baseUrl: url, path: '/v1/batches?trace=1', body: ndjson([del(rid(), 1)]), signedPath: '/exchange/v1/batches' });
  t.equal(reply.status, 200);
});
