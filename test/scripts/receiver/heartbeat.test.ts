import t from 'tap';
import { batchId, ndjson, rid, send, upsert } from './helpers/client.js';
import { start } from './helpers/start.js';

const BODY = {
  gatewayId: 'hs-rsj', softwareVersion: '0.1.0', configVersion: 12, startedAt: '2026-11-26T08:00:00.000Z',
  queue: { pending: 0, oldestPendingAt: null, rejected: 3 },
  sources: [], categories: [],
  configApply: { version: 12, status: 'applied', message: '' },
};

const beat = (url: string, extra: Partial<Parameters<typeof send>[0]> = {}) =>
  send({
    baseUrl: url, path: '/v1/gateways/hs-rsj/heartbeat', body: JSON.stringify(BODY),
    headers: { 'content-type': 'application/json', 'x-batch-id': undefined }, ...extra,
  });

t.test('a heartbeat is stored and answered with the server time and no config', async (t) => {
  const now = Date.parse('2026-11-26T10:00:00.000Z');
  const { url, receiver } = await start(t, { now: () => now });
  const reply = await beat(url, { timestamp: now });
  t.equal(reply.status, 200);
  t.same(reply.body, { serverTime: '2026-11-26T10:00:00.000Z', config: null });
  t.same(receiver.heartbeats(), [{ gatewayId: 'hs-rsj', receivedAt: '2026-11-26T10:00:00.000Z', body: BODY, configServed: null }]);
  t.equal(receiver.stats().heartbeats, 1);
});

t.test('a pending config is served once, with the next heartbeat', async (t) => {
  const { url, receiver } = await start(t);
  const config = { version: 13, bundle: Buffer.from('{"version":13}').toString('base64'), signature: 'c2ln' };
  receiver.setPendingConfig(config);
  t.same((await beat(url)).body.config, config);
  t.equal((await beat(url)).body.config, null, 'served once only');
  t.same(receiver.heartbeats().map((h) => h.configServed), [13, null]);
});

t.test('a config meant for another gateway waits for that gateway', async (t) => {
  const { url, receiver } = await start(t, { gateways: { 'hs-rsj': 'hs-credit-demo-secret', 'hs-other': 'o' } });
  receiver.setPendingConfig({ version: 2, bundle: 'YQ==', signature: 'Yg==' }, 'hs-other');
  t.equal((await beat(url)).body.config, null);
  const other = await send({
    baseUrl: url, path: '/v1/gateways/hs-other/heartbeat', body: '{}', gatewayId: 'hs-other', secret: 'o',
    headers: { 'content-type': 'application/json', 'x-batch-id': undefined },
  });
  t.equal(other.body.config.version, 2);
});

t.test('a heartbeat is authenticated like a batch, with the full path signed', async (t) => {
  const { url, receiver } = await start(t);
  t.equal((await beat(url, { secret: 'wrong' })).body.code, 'AUTH_SIGNATURE');
  t.equal((await beat(url, { signedPath: '/v1/gateways/hs-rsj/heartbeat' })).body.code, 'AUTH_SIGNATURE');
  t.equal((await beat(url, { digestBody: '{}' })).body.code, 'AUTH_DIGEST');
  t.equal((await beat(url, { algorithm: 'sm3' })).status, 200, 'SM3 too');
  t.equal(receiver.stats().authFailures, 3);
});

t.test('a gateway may not send a heartbeat for another gateway', async (t) => {
  const { url } = await start(t, { gateways: { 'hs-rsj': 'hs-credit-demo-secret', 'hs-other': 'o' } });
  const reply = await beat(url, { gatewayId: 'hs-other', secret: 'o' });
  t.equal(reply.status, 401);
  t.equal(reply.body.code, 'AUTH_GATEWAY_MISMATCH');
});

t.test('a heartbeat body that is not a JSON object is refused with 400', async (t) => {
  const { url, receiver } = await start(t);
  t.equal((await beat(url, { body: 'nope' })).status, 400);
  t.equal((await beat(url, { body: '[1]' })).body.code, 'HEARTBEAT_MALFORMED');
  t.same(receiver.heartbeats(), []);
});

t.test('a gzip heartbeat is accepted', async (t) => {
  const { url, receiver } = await start(t);
  t.equal((await beat(url, { gzip: true })).status, 200);
  t.same(receiver.heartbeats()[0]!.body, BODY);
});

t.test('an invalid pending config is refused', async (t) => {
  const { receiver } = await start(t);
  t.throws(() => receiver.setPendingConfig({ version: 1.5, bundle: 'x', signature: 'y' }));
  t.throws(() => receiver.setPendingConfig({ version: 1, bundle: Buffer.from('x') as never, signature: 'y' }));
});

t.test('the answer carries lastSeq, the highest seq received from that gateway, refused records included (extension of section 3)', async (t) => {
  const { url } = await start(t, { gateways: { 'hs-rsj': 'hs-credit-demo-secret', 'hs-other': 'o' } });
  t.notOk('lastSeq' in (await beat(url)).body, 'absent before the first batch');
  const batch = (records: object[]) =>
    send({ baseUrl: url, path: '/v1/batches', body: ndjson(records), headers: { 'content-type': 'application/x-ndjson', 'x-batch-id': batchId() } });
  await batch([upsert(rid(), 1_800_000_000_000_007), upsert(rid(), 1_800_000_000_000_003)]);
  t.equal((await beat(url)).body.lastSeq, 1_800_000_000_000_007, 'the highest, not the last, exact as a JSON number');
  await batch([{ ...upsert(rid(), 1_800_000_000_000_009), subject: undefined }]);
  t.equal((await beat(url)).body.lastSeq, 1_800_000_000_000_009, 'a refused record used its seq too');
  await batch([upsert(rid(), 5)]);
  t.equal((await beat(url)).body.lastSeq, 1_800_000_000_000_009, 'an older seq arriving late does not lower it');
});
