/**
 * The platform client against the reference receiver with its clock 10
 * minutes off, both ways: every answer teaches the offset, a request refused
 * for its timestamp is signed again once on the platform's time, and nothing
 * else is ever resent behind the deliverer's back.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import type { Batch } from '../../../gateway/model.js';
import { platformClient, rec, startReceiver } from './helpers.js';

const TEN_MINUTES = 600_000;
const near = (actual: number | null, expected: number, within = 2000) => actual !== null && Math.abs(actual - expected) <= within;

let seq = 0;
function batchOf(...keys: string[]): Batch {
  const records = keys.map((k) => {
    const r = rec(k);
    seq += 1;
    return { seq, id: r.id, category: r.category, op: r.op, line: JSON.stringify({ id: r.id, category: r.category, op: r.op, seq, observedAt: r.observedAt, subject: r.subject, data: r.data }) };
  });
  return { batchId: randomUUID(), attempts: 0, createdAt: '2026-11-26T08:00:00.000Z', records };
}

const body = {
  gatewayId: 'hs-rsj', softwareVersion: '0.1.0', configVersion: 0, startedAt: '2026-11-26T07:00:00.000Z',
  queue: { pending: 0, oldestPendingAt: null, rejected: 0 }, sources: [], categories: [], configApply: null,
};

for (const offset of [TEN_MINUTES, -TEN_MINUTES]) {
  const way = offset > 0 ? 'ahead' : 'behind';
  t.test(`a platform clock 10 minutes ${way}: the first batch is refused, learnt from, signed again and accepted`, async (t) => {
    const { receiver, url } = await startReceiver(t, { clockOffsetMs: offset });
    const client = platformClient(t, url);
    const response = await client.postBatch(batchOf('a', 'b'));
    t.match(response, { status: 200, body: { accepted: 2 } }, 'accepted on the second, corrected signature');
    t.same(receiver.batches().map((b) => [b.status, b.code]), [[401, 'AUTH_TIMESTAMP'], [200, null]], 'exactly one refusal, one resend');
    t.equal(receiver.records().length, 2);
    const clock = client.clock();
    t.ok(near(clock.offsetMs, offset), `offset ≈ ${offset / 1000} s (${clock.offsetMs})`);
    t.ok(near(clock.correctionMs, offset), 'signing runs on the platform clock');
    t.equal(clock.refusal, null, 'the refusal is over once a request was accepted');

    const beat = await client.heartbeat(body);
    t.notOk('error' in beat, 'heartbeats are accepted too');
    t.equal(receiver.stats().authFailures, 1, 'no further refusals');
  });
}

t.test('a heartbeat refused for its timestamp is signed again at once; a wrong secret is not retried', async (t) => {
  const { receiver, url } = await startReceiver(t, { clockOffsetMs: -TEN_MINUTES });
  const client = platformClient(t, url);
  const reply = await client.heartbeat(body);
  t.notOk('error' in reply, 'answered after one corrected resend');
  t.equal(receiver.stats().authFailures, 1);
  t.equal(receiver.stats().heartbeats, 1);

  const wrong = platformClient(t, url, { secret: 'not-the-secret' });
  const refused = await wrong.postBatch(batchOf('c'));
  t.match(refused, { status: 401 }, 'the first answer teaches the correction and the resend is refused for the signature');
  t.equal(receiver.stats().authFailures, 3, 'one resend at most, never a loop');
  const again = await wrong.postBatch(batchOf('c'));
  t.match(again, { status: 401, body: { code: 'AUTH_SIGNATURE' } });
  t.equal(receiver.stats().authFailures, 4, 'with nothing new to learn, no resend');
  t.equal(wrong.clock().refusal, null, 'a signature refusal is not shown as a clock problem');
});

t.test('the offset is learnt from a 503 Date header too, without touching how requests are signed', async (t) => {
  const { receiver, url } = await startReceiver(t, { clockOffsetMs: 200_000 });
  receiver.injectFault({ status: 503, retryAfter: 1 });
  const client = platformClient(t, url);
  t.match(await client.postBatch(batchOf('d')), { status: 503 });
  t.ok(near(client.clock().offsetMs, 200_000), 'offset ≈ 200 s from the Date header');
  t.equal(client.clock().from, 'date_header');
  t.equal(client.clock().correctionMs, 0, 'a 503 never changes the signing time');
  t.match(await client.postBatch(batchOf('d')), { status: 200 }, '200 s is inside the window: accepted uncorrected');
});

t.test('when the platform clock is put right, one refusal brings the correction back to zero', async (t) => {
  const { receiver, url } = await startReceiver(t, { clockOffsetMs: TEN_MINUTES });
  const client = platformClient(t, url);
  t.match(await client.postBatch(batchOf('e')), { status: 200 });
  receiver.setClockOffset(0);
  t.match(await client.postBatch(batchOf('f')), { status: 200 }, 'refused once for the stale correction, then accepted');
  t.ok(near(client.clock().correctionMs, 0));
  t.ok(near(client.clock().offsetMs, 0));
  t.same(receiver.batches().map((b) => b.status), [401, 200, 401, 200]);
});
