import t from 'tap';
import { PlatformClock } from '../../../gateway/delivery/platform-clock.js';

const TEN_MINUTES = 600_000;

function setup() {
  let now = Date.parse('2026-11-26T08:00:00.000Z');
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const log = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  const clock = new PlatformClock({ now: () => now, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } });
  /** One request signed now and answered 100 ms later by a platform whose clock is `offset` ahead. */
  const exchange = (offset: number, answer: (platformNow: number) => { status: number; headers?: Record<string, string>; body: unknown }, heartbeat = false) => {
    const { timestamp, correctionMs } = clock.stamp();
    const sentAt = now;
    now += 100;
    const a = answer(now - 50 + offset);
    return { timestamp, changed: clock.observe({ status: a.status, headers: a.headers ?? {}, body: a.body }, { sentAt, receivedAt: now, correctionMs, heartbeat }) };
  };
  const refusal = (p: number) => ({ status: 401, body: { code: 'AUTH_TIMESTAMP', message: 'timestamp is 600 s away', serverTime: new Date(p).toISOString() } });
  const dateOnly = (status: number) => (p: number) => ({ status, headers: { date: new Date(p).toUTCString() }, body: { code: 'X', message: 'y' } });
  const beat = (p: number) => ({ status: 200, body: { serverTime: new Date(p).toISOString(), config: null } });
  return { clock, exchange, refusal, dateOnly, beat, lines, machine: () => now };
}

t.test('a refusal for the timestamp teaches the offset and the correction; the next request is signed on the platform time', async (t) => {
  const { clock, exchange, refusal, machine, lines } = setup();
  t.same(clock.view(), { offsetMs: null, from: null, measuredAt: null, correctionMs: 0, refusal: null }, 'nothing known before an answer');
  const first = exchange(-TEN_MINUTES, refusal);
  t.equal(first.timestamp, machine() - 100, 'the first request carries this machine\'s time');
  t.ok(first.changed, 'the refusal changed the correction: worth signing again');
  const view = clock.view();
  t.ok(Math.abs(view.offsetMs! + TEN_MINUTES) <= 50, 'offset ≈ -600 s');
  t.equal(view.from, 'error_body');
  t.equal(view.correctionMs, view.offsetMs);
  t.match(view.refusal, { code: 'AUTH_TIMESTAMP', message: 'timestamp is 600 s away' });
  t.ok(Math.abs(clock.stamp().timestamp - (machine() - TEN_MINUTES)) <= 50, 'now stamped on the platform clock');
  t.ok(lines.some((l) => l.level === 'warn' && /signing with the platform's time/.test(l.msg ?? '')), 'the change is logged');

  exchange(-TEN_MINUTES, () => ({ status: 200, headers: { date: new Date(machine() - TEN_MINUTES).toUTCString() }, body: { batchId: 'b', accepted: 1, rejected: [], duplicate: false } }));
  t.equal(clock.view().refusal, null, 'an accepted request ends the refusal');
  t.ok(Math.abs(clock.view().offsetMs! + TEN_MINUTES) <= 1000, 'the offset is still shown: the machine clock is still wrong');
});

t.test('two requests in flight on the old time: both refusals ask for one more try, a third on the new time does not', async (t) => {
  const { clock, machine } = setup();
  const refusedAt = (p: number) => ({ status: 401, headers: {}, body: { code: 'AUTH_TIMESTAMP', message: 'x', serverTime: new Date(p).toISOString() } });
  const sentAt = machine();
  const answer = refusedAt(sentAt + TEN_MINUTES);
  t.ok(clock.observe(answer, { sentAt, receivedAt: sentAt + 10, correctionMs: 0, heartbeat: true }), 'the heartbeat\'s refusal teaches the correction');
  t.ok(clock.observe(answer, { sentAt, receivedAt: sentAt + 10, correctionMs: 0, heartbeat: false }), 'the batch signed on the old time is worth one more try too');
  t.notOk(clock.observe(answer, { sentAt, receivedAt: sentAt + 10, correctionMs: clock.view().correctionMs, heartbeat: false }), 'one already signed on the new time is not');
});

t.test('ordinary answers show the offset but never move the correction; only heartbeats and timestamp refusals do', async (t) => {
  const { clock, exchange, dateOnly, beat } = setup();
  for (const status of [200, 429, 503]) {
    t.notOk(exchange(TEN_MINUTES, dateOnly(status)).changed);
    t.ok(Math.abs(clock.view().offsetMs! - TEN_MINUTES) <= 1000, `offset learnt from the Date header of a ${status}`);
    t.equal(clock.view().from, 'date_header');
    t.equal(clock.view().correctionMs, 0, `a ${status} does not change how we sign`);
  }
  t.notOk(exchange(TEN_MINUTES, beat, true).changed, 'an accepted heartbeat needs no second try');
  t.ok(Math.abs(clock.view().correctionMs - TEN_MINUTES) <= 50, 'but it sets the correction');
});

t.test('a 401 for the signature with clocks in step is no clock matter', async (t) => {
  const { clock, exchange } = setup();
  t.notOk(exchange(2000, (p) => ({ status: 401, headers: { date: new Date(p).toUTCString() }, body: { code: 'AUTH_SIGNATURE', message: 'bad' } })).changed);
  t.equal(clock.view().refusal, null);
  t.equal(clock.view().correctionMs, 0);
  t.ok(Math.abs(clock.view().offsetMs! - 2000) <= 1000, 'its Date header still tells the offset');
});

t.test('once the machine clock is set right, the stale correction brings one refusal that puts it back to ≈0', async (t) => {
  const { clock, exchange, refusal, beat } = setup();
  exchange(TEN_MINUTES, beat, true);
  t.ok(Math.abs(clock.view().correctionMs - TEN_MINUTES) <= 50);
  // The platform's clock and ours now agree: our corrected timestamps are 600 s ahead.
  t.ok(exchange(0, (p) => ({ status: 401, body: { code: 'AUTH_FAILED', message: 'no', serverTime: new Date(p).toISOString() } })).changed,
    'refused under a code we do not know, but by the fact our time was 600 s off');
  t.ok(Math.abs(clock.view().correctionMs) <= 50, 'correction back to ≈0');
  t.ok(Math.abs(clock.view().offsetMs!) <= 50);
  t.notOk(exchange(0, refusal).changed, 'a further refusal (wrong secret, say) with nothing new to learn does not ask for another try');
});
