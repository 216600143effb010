/**
 * A platform whose clock is off: the receiver can run with its clock moved,
 * refuses a gateway's timestamps by its own clock, and tells the time in
 * every answer (Date header; serverTime in its own error bodies).
 */
import t from 'tap';
import { batchId, ndjson, raw, rid, send, upsert } from './helpers/client.js';
import { start } from './helpers/start.js';
import { parseCli } from '../../../scripts/receiver/cli-args.js';

const TEN_MINUTES = 600_000;
const dateOf = (reply: { headers: Record<string, unknown> }) => Date.parse(String(reply.headers.date));

for (const offset of [TEN_MINUTES, -TEN_MINUTES]) {
  t.test(`a receiver ${offset > 0 ? 'ahead' : 'behind'} by 10 minutes refuses the machine's time and says its own`, async (t) => {
    const { url } = await start(t, { clockOffsetMs: offset });
    const before = Date.now();
    const refused = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) });
    t.equal(refused.status, 401);
    t.equal(refused.body.code, 'AUTH_TIMESTAMP');
    const serverTime = Date.parse(refused.body.serverTime);
    t.ok(Math.abs(serverTime - before - offset) < 5000, 'serverTime in the refusal is the platform clock');
    t.ok(Math.abs(dateOf(refused) - before - offset) < 5000, 'so is the Date header');

    const accepted = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]), timestamp: Date.now() + offset, batchId: batchId() });
    t.equal(accepted.status, 200, 'a timestamp on the platform clock is accepted');
    t.notOk('serverTime' in accepted.body, 'a batch result keeps its spec members only');
    t.ok(Math.abs(dateOf(accepted) - Date.now() - offset) < 5000, 'a 200 carries the platform time in its Date header');

    const beat = await send({ baseUrl: url, path: '/v1/gateways/hs-rsj/heartbeat', body: '{}', timestamp: Date.now() + offset, headers: { 'content-type': 'application/json', 'x-batch-id': undefined } });
    t.equal(beat.status, 200);
    t.ok(Math.abs(Date.parse(beat.body.serverTime) - Date.now() - offset) < 5000, 'the heartbeat serverTime is the platform clock');
  });
}

t.test('the clock can be moved and put right while running, by the control API or in process', async (t) => {
  const { url, control, receiver } = await start(t);
  t.same((await raw('GET', `${control}/clock`)).body, { offsetMs: 0 });
  t.same((await raw('POST', `${control}/clock`, { 'content-type': 'application/json' }, '{"offsetMs":-600000}')).body, { offsetMs: -600000 });
  t.equal((await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) })).status, 401, 'now refused');
  t.equal((await raw('POST', `${control}/clock`, { 'content-type': 'application/json' }, '{"offsetMs":"soon"}')).status, 400, 'a bad offset changes nothing');
  t.same((await raw('GET', `${control}/clock`)).body, { offsetMs: -600000 });
  receiver.setClockOffset(0);
  t.equal((await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) })).status, 200, 'accepted once the clock is right');
  receiver.setClockOffset(5000);
  receiver.reset();
  t.same((await raw('GET', `${control}/clock`)).body, { offsetMs: 0 }, 'reset puts the clock back to the options');
});

t.test('an injected fault keeps its body but still tells the time in its Date header', async (t) => {
  const { url, receiver } = await start(t, { clockOffsetMs: TEN_MINUTES });
  receiver.injectFault({ status: 503, retryAfter: 1 });
  const reply = await send({ baseUrl: url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) });
  t.equal(reply.status, 503);
  t.same(Object.keys(reply.body).sort(), ['code', 'message']);
  t.ok(Math.abs(dateOf(reply) - Date.now() - TEN_MINUTES) < 5000);
});

t.test('the command line takes a signed clock offset', async (t) => {
  t.equal(parseCli(['--gateway', 'a=b', '--clock-offset-ms=-600000'], {}).options.clockOffsetMs, -600000);
  t.equal(parseCli(['--gateway', 'a=b'], {}).options.clockOffsetMs, 0);
  t.throws(() => parseCli(['--gateway', 'a=b', '--clock-offset-ms=ten'], {}), /clock-offset-ms/);
});
