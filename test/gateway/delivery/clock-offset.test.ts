import t from 'tap';
import { isTimestampRefusal, readPlatformTime, refineOffset } from '../../../gateway/delivery/clock-offset.js';

const at = (iso: string) => Date.parse(iso);

t.test('every answer that carries time tells it: serverTime to the ms, else the Date header to the second', async (t) => {
  const serverTime = '2026-11-26T08:10:00.250Z';
  t.same(readPlatformTime({ status: 200, headers: {}, body: { serverTime, config: null } }, true), { serverMs: at(serverTime), resolutionMs: 1, from: 'heartbeat' });
  t.same(readPlatformTime({ status: 401, headers: { date: 'Thu, 26 Nov 2026 08:10:00 GMT' }, body: { code: 'AUTH_TIMESTAMP', message: 'x', serverTime } }, true),
    { serverMs: at(serverTime), resolutionMs: 1, from: 'error_body' }, 'a refusal of a heartbeat is not a heartbeat answer');
  for (const status of [200, 401, 429, 503]) {
    t.same(readPlatformTime({ status, headers: { date: 'Thu, 26 Nov 2026 08:10:00 GMT' }, body: { batchId: 'b', accepted: 1 } }, false),
      { serverMs: at('2026-11-26T08:10:00.000Z'), resolutionMs: 1000, from: 'date_header' }, `a ${status} answer by its Date header`);
  }
  t.equal(readPlatformTime({ status: 503, headers: {}, body: 'busy' }, false), null, 'no time, nothing learnt');
  t.equal(readPlatformTime({ status: 503, headers: { date: '2026' }, body: null }, false), null, 'a bare number is no HTTP date');
  t.equal(readPlatformTime({ status: 401, headers: {}, body: { serverTime: 'soon' } }, false), null);
});

t.test('one answer bounds the offset; an estimate inside the bounds is kept, one outside is replaced by the middle', async (t) => {
  const sentAt = 1_000_000;
  const receivedAt = 1_000_200;
  const heartbeat = { serverMs: sentAt + 600_100, resolutionMs: 1, from: 'heartbeat' as const };
  t.equal(refineOffset(null, heartbeat, sentAt, receivedAt), 600_001, 'the platform read its clock mid-way through the round trip');
  const date = { serverMs: sentAt + 600_000, resolutionMs: 1000, from: 'date_header' as const };
  t.equal(refineOffset(600_001, date, sentAt, receivedAt), 600_001, 'a coarse Date header agreeing with a precise estimate keeps it');
  t.equal(refineOffset(0, date, sentAt, receivedAt), 600_400, 'one contradicting it replaces it');
  t.equal(refineOffset(600_001, { serverMs: receivedAt - 2, resolutionMs: 1, from: 'error_body' }, sentAt, receivedAt), 99, 'a clock set right is seen at once');
});

t.test('a refusal is for the timestamp when the platform says so, or when our signed time was outside its window', async (t) => {
  t.ok(isTimestampRefusal(401, { code: 'AUTH_TIMESTAMP' }, null));
  t.ok(isTimestampRefusal(401, { code: 'AUTH_CLOCK_SKEW' }, null));
  t.ok(isTimestampRefusal(401, { code: 'AUTH_FAILED' }, -600_000), 'a code we do not know, but our timestamp was 600 s behind');
  t.notOk(isTimestampRefusal(401, { code: 'AUTH_SIGNATURE' }, 2_000), 'a wrong secret is not a clock problem');
  t.notOk(isTimestampRefusal(401, { code: 'AUTH_SIGNATURE' }, null));
  t.notOk(isTimestampRefusal(503, { code: 'AUTH_TIMESTAMP' }, 600_000), 'only a 401 refuses a signature');
});
