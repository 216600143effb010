import t from 'tap';
import { Heartbeat } from '../../../gateway/delivery/heartbeat.js';
import type { HeartbeatBody, HeartbeatReply } from '../../../gateway/delivery/heartbeat-body.js';
import { FakeSleep, GATEWAY, platformClient, silent, startReceiver, until } from './helpers.js';

const T = Date.parse('2026-11-26T08:00:00.000Z');

const body: HeartbeatBody = {
  gatewayId: GATEWAY,
  softwareVersion: '0.1.0',
  configVersion: 12,
  startedAt: '2026-11-26T07:00:00.000Z',
  queue: { pending: 4, oldestPendingAt: '2026-11-26T07:59:00.000Z', rejected: 3 },
  sources: [{ name: 'hr', state: 'ok', lastSuccessAt: '2026-11-26T07:59:30.000Z', lastError: null }],
  categories: [{ code: 'P07-002', lastDeliveredAt: '2026-11-26T07:59:40.000Z', delivered24h: 120, rejected24h: 2 }],
  configApply: { version: 12, status: 'applied', message: 'ok' },
};

t.test('one heartbeat at start, then one per interval, with the body of spec section 3', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const sleep = new FakeSleep();
  let intervals = 0;
  sleep.holdWith(async () => {
    intervals += 1;
    if (intervals === 2) await new Promise(() => undefined);
  });
  const hb = new Heartbeat({ client: platformClient(t, url), intervalSecs: 45, collect: () => body, logger: silent, sleep: sleep.sleep });
  hb.start();
  await until(() => intervals === 2, 'two heartbeats sent');
  await hb.stop();
  t.equal(receiver.heartbeats().length, 2);
  t.same(receiver.heartbeats()[0]!.body, body);
  t.same(sleep.delays, [45_000, 45_000]);
  t.match(hb.state(), { lastSuccessAt: String, lastError: null, clockOffsetMs: Number });
});

t.test('the platform clock offset is measured from serverTime', async (t) => {
  // The platform's clock runs 2 minutes ahead of ours: within the 300 s it tolerates.
  const { url } = await startReceiver(t, { now: () => T + 120_000 });
  const hb = new Heartbeat({ client: platformClient(t, url, { now: () => T }), collect: () => body, logger: silent, now: () => T });
  t.equal(await hb.beat(), true);
  t.equal(hb.state().clockOffsetMs, 120_000);
  t.equal(hb.state().lastSuccessAt, new Date(T).toISOString());
});

t.test('a configuration offered in the answer is handed to onResponse untouched', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const offer = { version: 13, bundle: Buffer.from('{"version":13}').toString('base64'), signature: 'c2lnbmF0dXJl' };
  receiver.setPendingConfig(offer);
  const replies: HeartbeatReply[] = [];
  const hb = new Heartbeat({ client: platformClient(t, url), collect: () => body, onResponse: (r) => void replies.push(r), logger: silent });
  await hb.beat();
  await hb.beat();
  t.same(replies.map((r) => r.config), [offer, null], 'offered once, then nothing new');
});

t.test('failures are recorded for the status page, never thrown, and cleared by the next success', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ path: 'heartbeat', status: 503 });
  const hb = new Heartbeat({ client: platformClient(t, url), collect: () => body, logger: silent });
  t.equal(await hb.beat(), false);
  t.match(hb.state(), { lastSuccessAt: null, lastError: { code: 'DELIVERY_SERVER_ERROR', message: 'HTTP 503', at: String } });
  t.equal(await hb.beat(), true);
  t.match(hb.state(), { lastSuccessAt: String, lastError: null });
});

t.test('a heartbeat refused for its signature says so', async (t) => {
  const { url } = await startReceiver(t, { gateways: { [GATEWAY]: 'another-secret' } });
  const hb = new Heartbeat({ client: platformClient(t, url), collect: () => body, logger: silent });
  t.equal(await hb.beat(), false);
  t.match(hb.state().lastError, { code: 'DELIVERY_AUTH', message: /^AUTH_/ });
});

t.test('a platform out of reach, a failing collect or a failing onResponse do not stop the heartbeat', async (t) => {
  const unreachable = new Heartbeat({ client: platformClient(t, 'http://127.0.0.1:1/exchange'), collect: () => body, logger: silent });
  t.equal(await unreachable.beat(), false);
  t.match(unreachable.state().lastError, { code: 'DELIVERY_UNREACHABLE' });

  const { receiver, url } = await startReceiver(t);
  let calls = 0;
  const collect = () => {
    calls += 1;
    if (calls === 1) throw new Error('store is busy');
    return body;
  };
  const hb = new Heartbeat({ client: platformClient(t, url), collect, onResponse: () => { throw new Error('bad'); }, logger: silent });
  t.equal(await hb.beat(), false);
  t.match(hb.state().lastError, { code: 'DELIVERY_HEARTBEAT_BODY', message: 'store is busy' });
  t.equal(await hb.beat(), true, 'an onResponse error does not make the heartbeat fail');
  t.equal(receiver.heartbeats().length, 1);
});

t.test('stop aborts a heartbeat the platform leaves hanging', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ path: 'heartbeat', hang: true });
  const hb = new Heartbeat({ client: platformClient(t, url), collect: () => body, logger: silent });
  hb.start();
  await until(() => receiver.faults().length === 0, 'the heartbeat reached the platform');
  await hb.stop();
  t.equal(hb.state().lastError, null, 'an abort for stop is not a failure');
});
