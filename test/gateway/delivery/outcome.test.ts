import t from 'tap';
import { decideOutcome, parseRetryAfter, type OutcomeContext } from '../../../gateway/delivery/outcome.js';
import type { PlatformResponse } from '../../../gateway/delivery/contract.js';

const NOW = Date.parse('2026-11-26T08:00:00.000Z');
const context: OutcomeContext = {
  attempt: 3,
  batchSize: 10,
  now: NOW,
  random: () => 0.5,
  backoff: { baseMs: 1000, maxMs: 60_000 },
};
/** attempt 3, base 1 s: ceiling 4 s, half of it with random() = 0.5. */
const BACKOFF_MS = 2000;

function answer(status: number, body: unknown = null, headers: Record<string, string> = {}): PlatformResponse {
  return { status, headers, body };
}

t.test('spec section 2 response table', async (t) => {
  t.test('200: the batch is done; records the platform rejected are handed on with code and message', async (t) => {
    const outcome = decideOutcome(
      answer(200, {
        batchId: '01J0000000000000000000000',
        accepted: 9,
        rejected: [{ id: 'r1', code: 'FIELD_INVALID', message: '统一社会信用代码校验位错误' }],
        duplicate: false,
      }),
      context,
    );
    t.same(outcome, {
      kind: 'done',
      rejected: [{ id: 'r1', code: 'FIELD_INVALID', message: '统一社会信用代码校验位错误' }],
      duplicate: false,
    });
  });

  t.test('200 with duplicate: true: the batch id was already processed, treat as done', async (t) => {
    const outcome = decideOutcome(answer(200, { batchId: 'b', accepted: 10, rejected: [], duplicate: true }), context);
    t.same(outcome, { kind: 'done', rejected: [], duplicate: true });
  });

  t.test('400: the whole batch is rejected with the platform code, and delivery goes on', async (t) => {
    const outcome = decideOutcome(answer(400, { code: 'BATCH_MALFORMED', message: 'line 3 is not JSON' }), context);
    t.same(outcome, { kind: 'reject_batch', code: 'BATCH_MALFORMED', message: 'line 3 is not JSON' });
  });

  t.test('401: delivery pauses with the platform AUTH_* code and retries slowly', async (t) => {
    const outcome = decideOutcome(answer(401, { code: 'AUTH_SIGNATURE', message: 'signature mismatch' }), context);
    t.same(outcome, { kind: 'pause_auth', code: 'AUTH_SIGNATURE', message: 'signature mismatch', retryInMs: 60_000 });
    const configured = decideOutcome(answer(401, { code: 'AUTH_CLOCK', message: 'skew' }), { ...context, authRetryMs: 5000 });
    t.match(configured, { kind: 'pause_auth', retryInMs: 5000 });
  });

  t.test('413: the batch is split', async (t) => {
    t.same(decideOutcome(answer(413, { code: 'BATCH_TOO_LARGE' }), context), { kind: 'split' });
  });

  t.test('429 with Retry-After: wait that many seconds, then resend the same batch', async (t) => {
    const outcome = decideOutcome(answer(429, null, { 'retry-after': '7' }), context);
    t.same(outcome, { kind: 'retry', delayMs: 7000, reason: { code: 'DELIVERY_THROTTLED', message: 'HTTP 429, Retry-After 7' } });
  });

  t.test('503 with Retry-After: wait that many seconds, then resend the same batch', async (t) => {
    const outcome = decideOutcome(answer(503, null, { 'retry-after': '2' }), context);
    t.match(outcome, { kind: 'retry', delayMs: 2000, reason: { code: 'DELIVERY_SERVER_ERROR' } });
  });

  t.test('429 and 503 without Retry-After: back off', async (t) => {
    t.match(decideOutcome(answer(429), context), { kind: 'retry', delayMs: BACKOFF_MS, reason: { code: 'DELIVERY_THROTTLED' } });
    t.match(decideOutcome(answer(503), context), { kind: 'retry', delayMs: BACKOFF_MS, reason: { code: 'DELIVERY_SERVER_ERROR' } });
  });

  t.test('other 5xx: resend later with exponential back-off and jitter', async (t) => {
    for (const status of [500, 502, 504, 599]) {
      t.same(
        decideOutcome(answer(status), context),
        { kind: 'retry', delayMs: BACKOFF_MS, reason: { code: 'DELIVERY_SERVER_ERROR', message: `HTTP ${status}` } },
        `HTTP ${status}`,
      );
    }
  });

  t.test('timeouts and connection errors: resend later with back-off, keeping the failure as the reason', async (t) => {
    for (const error of [
      { code: 'DELIVERY_TIMEOUT', message: 'no answer within 30000 ms' },
      { code: 'DELIVERY_UNREACHABLE', message: 'connect ECONNREFUSED 10.1.2.3:443' },
    ]) {
      t.same(decideOutcome({ error }, context), { kind: 'retry', delayMs: BACKOFF_MS, reason: error });
    }
  });
});

t.test('back-off grows with the attempt number and is jittered by the random source', async (t) => {
  const delays = [1, 2, 3, 4].map((attempt) => (decideOutcome(answer(500), { ...context, attempt, random: () => 0.999 }) as { delayMs: number }).delayMs);
  t.same(delays, [999, 1998, 3996, 7992]);
  t.match(decideOutcome(answer(500), { ...context, random: () => 0 }), { delayMs: 0 });
});

t.test('cases the table is silent on', async (t) => {
  t.test('200 with an unreadable body is resent, not taken as done: its rejections would be lost', async (t) => {
    for (const body of ['<html>gateway timeout</html>', null, 'OK', [], { rejected: 'none' }, { rejected: [{ code: 'X' }] }, { rejected: [], duplicate: 'no' }]) {
      t.match(decideOutcome(answer(200, body), context), { kind: 'retry', delayMs: BACKOFF_MS, reason: { code: 'DELIVERY_BAD_RESPONSE' } }, JSON.stringify(body));
    }
  });

  t.test('200 with a rejection lacking a message keeps its code as the message', async (t) => {
    t.same(decideOutcome(answer(200, { rejected: [{ id: 'r', code: 'X' }], duplicate: false }), context), {
      kind: 'done', rejected: [{ id: 'r', code: 'X', message: 'X' }], duplicate: false,
    });
  });

  t.test('413 for a batch of one record rejects that record: splitting cannot help', async (t) => {
    t.same(decideOutcome(answer(413, { code: 'BATCH_TOO_LARGE' }), { ...context, batchSize: 1 }), {
      kind: 'reject_batch', code: 'BATCH_TOO_LARGE', message: 'a single record is larger than the platform accepts',
    });
  });

  t.test('other 4xx, 3xx and 2xx are not in the interface: nothing is rejected, the batch is resent with back-off', async (t) => {
    for (const status of [201, 204, 301, 403, 404, 405, 408, 409, 415, 422]) {
      t.match(decideOutcome(answer(status, { code: 'FORBIDDEN' }), context), { kind: 'retry', delayMs: BACKOFF_MS, reason: { code: 'DELIVERY_UNEXPECTED_STATUS' } }, `HTTP ${status}`);
    }
    t.match(decideOutcome(answer(404, { code: 'NOT_FOUND', message: 'no route' }), context), { reason: { message: 'HTTP 404 (NOT_FOUND: no route)' } });
  });

  t.test('400 and 401 without a JSON body still decide, with a default code', async (t) => {
    t.match(decideOutcome(answer(400, 'bad'), context), { kind: 'reject_batch', code: 'BATCH_MALFORMED', message: 'bad' });
    t.match(decideOutcome(answer(401, null), context), { kind: 'pause_auth', code: 'AUTH_FAILED' });
  });

  t.test('Retry-After as an HTTP date waits until that moment', async (t) => {
    const outcome = decideOutcome(answer(503, null, { 'retry-after': 'Thu, 26 Nov 2026 08:00:30 GMT' }), context);
    t.match(outcome, { kind: 'retry', delayMs: 30_000 });
  });

  t.test('Retry-After as a date already past resends at once', async (t) => {
    t.match(decideOutcome(answer(429, null, { 'retry-after': 'Thu, 26 Nov 2026 07:00:00 GMT' }), context), { kind: 'retry', delayMs: 0 });
  });

  t.test('a huge Retry-After is capped (15 minutes by default, configurable)', async (t) => {
    t.match(decideOutcome(answer(429, null, { 'retry-after': '864000' }), context), { delayMs: 15 * 60_000 });
    t.match(decideOutcome(answer(503, null, { 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' }), context), { delayMs: 15 * 60_000 });
    t.match(decideOutcome(answer(429, null, { 'retry-after': '120' }), { ...context, maxRetryAfterMs: 60_000 }), { delayMs: 60_000 });
  });

  t.test('an unreadable Retry-After falls back to back-off', async (t) => {
    for (const value of ['soon', '-1', '', '1.5.3']) {
      t.match(decideOutcome(answer(429, null, { 'retry-after': value }), context), { kind: 'retry', delayMs: BACKOFF_MS }, JSON.stringify(value));
    }
  });
});

t.test('parseRetryAfter reads delay-seconds and HTTP dates', async (t) => {
  t.equal(parseRetryAfter('0', NOW), 0);
  t.equal(parseRetryAfter(' 3 ', NOW), 3000);
  t.equal(parseRetryAfter('1.5', NOW), 1500);
  t.equal(parseRetryAfter('Thu, 26 Nov 2026 08:01:00 GMT', NOW), 60_000);
  t.equal(parseRetryAfter(undefined, NOW), null);
});

t.test('the platform\'s texts are from outside: an identity number they quote is masked before anyone reads it', async (t) => {
  const id = '420202199002154568';
  const masked = '420202********4568';
  const done = decideOutcome(answer(200, { batchId: 'b', accepted: 0, rejected: [{ id: 'r1', code: `NO_${id}`, message: `证件号码${id}不存在` }, { id: 'r2', code: 'X' }] }), context);
  t.same(done, { kind: 'done', rejected: [{ id: 'r1', code: `NO_${masked}`, message: `证件号码${masked}不存在` }, { id: 'r2', code: 'X', message: 'X' }], duplicate: false });
  const whole = decideOutcome(answer(400, { code: 'BATCH_MALFORMED', message: `line 3: ${id}` }), context);
  t.same(whole, { kind: 'reject_batch', code: 'BATCH_MALFORMED', message: `line 3: ${masked}` });
  const server = decideOutcome(answer(500, `record ${id} failed`), context);
  t.match(server, { kind: 'retry', reason: { code: 'DELIVERY_SERVER_ERROR', message: `HTTP 500 (record ${masked} failed)` } });
});
