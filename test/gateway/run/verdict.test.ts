import t from 'tap';
import { EXIT, exitStatusFor } from '../../../gateway/exit-status.js';
import { GATEWAY_ERRORS } from '../../../gateway/errors.js';
import { runVerdict, verdictLine, type RunFacts } from '../../../gateway/run/verdict.js';

const read = { rowsRead: 25, queued: 23, unchanged: 0, rejected: 2, deleted: 0 };
const delivered = { pending: 0, failure: null, batchesRefused: 0 };
const left = (code: string, message = 'x') => ({ pending: 23, failure: { code, message }, batchesRefused: 0 });

const cases: { name: string; facts: RunFacts; status: number; code?: string }[] = [
  { name: 'everything read and delivered', facts: { read, readingPaused: null, delivery: delivered }, status: EXIT.OK },
  { name: 'read only (--no-deliver)', facts: { read, readingPaused: null, delivery: null }, status: EXIT.OK },
  { name: 'nothing new to read', facts: { read: { rowsRead: 0, queued: 0, unchanged: 0, rejected: 0, deleted: 0 }, readingPaused: null, delivery: delivered }, status: EXIT.OK },
  { name: 'the platform refused the signature', facts: { read, readingPaused: null, delivery: left('DELIVERY_AUTH', 'AUTH_SIGNATURE: signature does not match') }, status: EXIT.AUTH, code: 'RUN_AUTH_REFUSED' },
  { name: 'connection refused', facts: { read, readingPaused: null, delivery: left('DELIVERY_UNREACHABLE') }, status: EXIT.UNREACHABLE, code: 'RUN_PLATFORM_UNREACHABLE' },
  { name: 'no answer in time', facts: { read, readingPaused: null, delivery: left('DELIVERY_TIMEOUT') }, status: EXIT.UNREACHABLE, code: 'RUN_PLATFORM_UNREACHABLE' },
  { name: 'the TLS handshake failed', facts: { read, readingPaused: null, delivery: left('DELIVERY_TLS') }, status: EXIT.UNREACHABLE, code: 'RUN_PLATFORM_UNREACHABLE' },
  { name: 'the platform answered 503', facts: { read, readingPaused: null, delivery: left('DELIVERY_SERVER_ERROR', 'HTTP 503') }, status: EXIT.INCOMPLETE, code: 'RUN_QUEUE_NOT_DRAINED' },
  { name: 'the platform asked to slow down', facts: { read, readingPaused: null, delivery: left('DELIVERY_THROTTLED') }, status: EXIT.INCOMPLETE, code: 'RUN_QUEUE_NOT_DRAINED' },
  { name: 'an answer the store could not record (disk full)', facts: { read, readingPaused: null, delivery: left('STORE_DISK_FULL') }, status: EXIT.INCOMPLETE, code: 'RUN_QUEUE_NOT_DRAINED' },
  { name: 'a batch refused whole', facts: { read, readingPaused: null, delivery: { ...delivered, batchesRefused: 1 } }, status: EXIT.INCOMPLETE, code: 'RUN_QUEUE_NOT_DRAINED' },
  { name: 'reading paused for room on disk', facts: { read, readingPaused: { code: 'STORE_LOW_SPACE', message: 'below store.minFreeMiB' }, delivery: delivered }, status: EXIT.INCOMPLETE, code: 'RUN_READING_PAUSED' },
  { name: 'every row rejected', facts: { read: { rowsRead: 200, queued: 0, unchanged: 0, rejected: 200, deleted: 0 }, readingPaused: null, delivery: delivered }, status: EXIT.ALL_REJECTED, code: 'RUN_ALL_REJECTED' },
  { name: 'every row rejected, read only', facts: { read: { rowsRead: 200, queued: 0, unchanged: 0, rejected: 200, deleted: 0 }, readingPaused: null, delivery: null }, status: EXIT.ALL_REJECTED, code: 'RUN_ALL_REJECTED' },
  { name: 'every row rejected but a complete read sent deletes', facts: { read: { rowsRead: 5, queued: 3, unchanged: 0, rejected: 5, deleted: 3 }, readingPaused: null, delivery: delivered }, status: EXIT.ALL_REJECTED, code: 'RUN_ALL_REJECTED' },
  { name: 'some rows rejected, others unchanged', facts: { read: { rowsRead: 5, queued: 0, unchanged: 3, rejected: 2, deleted: 0 }, readingPaused: null, delivery: delivered }, status: EXIT.OK },
  { name: 'auth refused outranks every row rejected', facts: { read: { rowsRead: 5, queued: 0, unchanged: 0, rejected: 5, deleted: 0 }, readingPaused: null, delivery: left('DELIVERY_AUTH') }, status: EXIT.AUTH, code: 'RUN_AUTH_REFUSED' },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const v = runVerdict(c.facts);
    t.equal(v.status, c.status, `exit ${c.status}`);
    if (v.ok) {
      t.notOk(c.code);
      return;
    }
    t.equal(v.code, c.code);
    t.equal(v.action, GATEWAY_ERRORS[v.code].action, 'with what to do');
    const failure = c.facts.delivery?.failure;
    if (failure && c.facts.delivery!.pending > 0) t.ok(v.message.includes(`${failure.code}: ${failure.message}`), 'the platform\'s own reason is kept');
  });
}

t.test('the stderr line names the job, the code, the exit status and what to do', async (t) => {
  const v = runVerdict({ read, readingPaused: null, delivery: left('DELIVERY_AUTH', 'AUTH_SIGNATURE: signature does not match') });
  if (v.ok) throw new Error('expected a failure');
  t.equal(verdictLine('penalties', v), `credit-gateway run penalties: RUN_AUTH_REFUSED (exit 3): the platform refused this gateway's signature or credentials: 23 records still queued; DELIVERY_AUTH: AUTH_SIGNATURE: signature does not match\n  what to do: ${GATEWAY_ERRORS.RUN_AUTH_REFUSED.action}\n`);
});

t.test('every command shares one set of exit statuses, by the code of what failed', async (t) => {
  t.equal(exitStatusFor('CONFIG_INVALID'), EXIT.SETUP);
  t.equal(exitStatusFor('STORE_LOCKED'), EXIT.SETUP);
  t.equal(exitStatusFor('INTERNAL'), EXIT.SETUP);
  t.equal(exitStatusFor('SOURCE_UNAVAILABLE'), EXIT.SOURCE);
  t.equal(exitStatusFor('SOURCE_QUERY_FAILED'), EXIT.SOURCE);
  t.equal(exitStatusFor('JOB_CURSOR_MISMATCH'), EXIT.SOURCE);
  t.equal(exitStatusFor('DELIVERY_AUTH'), EXIT.AUTH);
  t.equal(exitStatusFor('DELIVERY_UNREACHABLE'), EXIT.UNREACHABLE);
  t.equal(exitStatusFor('RUN_QUEUE_NOT_DRAINED'), EXIT.INCOMPLETE);
  t.equal(exitStatusFor('RUN_ALL_REJECTED'), EXIT.ALL_REJECTED);
  t.same(new Set(Object.values(EXIT)).size, Object.keys(EXIT).length, 'each status means one thing');
});
