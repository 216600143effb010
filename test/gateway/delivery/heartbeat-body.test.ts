import t from 'tap';
import { readHeartbeatReply } from '../../../gateway/delivery/heartbeat-body.js';

t.test('200 without a new configuration', async (t) => {
  t.same(readHeartbeatReply(200, { serverTime: '2026-11-26T08:00:00.000Z', config: null }), {
    serverTime: '2026-11-26T08:00:00.000Z',
    config: null,
  });
});

t.test('200 offering a signed configuration bundle hands it on untouched', async (t) => {
  const config = { version: 13, bundle: 'eyJ2ZXJzaW9uIjoxM30=', signature: 'c2lnbmF0dXJl' };
  t.same(readHeartbeatReply(200, { serverTime: '2026-11-26T08:00:00.000Z', config }), { serverTime: '2026-11-26T08:00:00.000Z', config });
});

t.test('an answer without a readable serverTime or with a malformed config is an error', async (t) => {
  for (const body of [null, 'ok', {}, { serverTime: 'yesterday' }, { serverTime: '2026-11-26T08:00:00Z', config: { version: '13' } }]) {
    t.match(readHeartbeatReply(200, body), { error: { code: 'DELIVERY_BAD_RESPONSE' } }, JSON.stringify(body));
  }
});

t.test('statuses map onto the delivery codes the status page explains', async (t) => {
  t.same(readHeartbeatReply(401, { code: 'AUTH_CLOCK', message: 'timestamp too far' }), { error: { code: 'DELIVERY_AUTH', message: 'AUTH_CLOCK: timestamp too far' } });
  t.match(readHeartbeatReply(429, null), { error: { code: 'DELIVERY_THROTTLED' } });
  t.match(readHeartbeatReply(503, null), { error: { code: 'DELIVERY_SERVER_ERROR', message: 'HTTP 503' } });
  t.match(readHeartbeatReply(404, null), { error: { code: 'DELIVERY_UNEXPECTED_STATUS', message: 'HTTP 404' } });
});

t.test('lastSeq (extension of section 3) is read when it is a whole number, and left out otherwise', async (t) => {
  const at = '2026-11-26T08:00:00.000Z';
  t.same(readHeartbeatReply(200, { serverTime: at, config: null, lastSeq: 1_796_000_000_000_123 }), { serverTime: at, config: null, lastSeq: 1_796_000_000_000_123 });
  for (const lastSeq of ['12', -1, 1.5, null, 2 ** 60]) {
    t.same(readHeartbeatReply(200, { serverTime: at, config: null, lastSeq }), { serverTime: at, config: null }, `${String(lastSeq)} is not a seq: a platform without the extension`);
  }
});
