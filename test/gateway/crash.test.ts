/**
 * Invariant 1 with real processes: the gateway is killed with SIGKILL at
 * random moments while it reads and delivers, restarted, killed again; in
 * the end the platform holds exactly the source's rows, latest versions,
 * each version accepted once.
 */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, updateRows, writeTestConfig } from '../helpers/business-db.js';
import { expectConserved, startGatewayProcess } from '../helpers/conservation.js';

import { THREAD_MIN_ROWS } from '../../gateway/jobs/map-thread.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Scenario {
  rows: number;
  rounds: number;
  pageSize: number;
  batchMaxRecords: number;
}

t.test('kill -9 at random moments loses nothing and sends no version twice', (t) => killAtRandom(t, { rows: 1500, rounds: 6, pageSize: 40, batchMaxRecords: 60 }));

// Pages this large are mapped on the mapping thread and their lines kept a page at a time (outbox chunks);
// batches of 700 span two chunks and leave parts of them behind.
t.test('the same with pages mapped on the mapping thread, their lines kept a page at a time', (t) =>
  killAtRandom(t, { rows: 3 * THREAD_MIN_ROWS, rounds: 4, pageSize: THREAD_MIN_ROWS, batchMaxRecords: 700 }));

async function killAtRandom(t: Test, { rows: ROWS, rounds: ROUNDS, pageSize, batchMaxRecords }: Scenario): Promise<void> {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, ROWS, { invalid: [13, 700] });
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(async () => {
    business.db.close();
    await receiver.close();
  });
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize, batchMaxRecords, pollSecs: 1 });

  let random = 42;
  const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 1; round <= ROUNDS; round++) {
    receiver.clearFaults();
    // Each round the platform stores one batch and drops the connection before answering:
    // the gateway must resend it with the same id and treat "duplicate" as done.
    receiver.injectFault([{ path: 'batches', drop: 'after' }, { path: 'batches', delayMs: 15, times: 1_000_000 }]);
    const gw = startGatewayProcess(configFile);
    // Kill while it delivers: after a random number of batch requests of this round, plus a random moment.
    const seen = receiver.batches().length + receiver.stats().faultsFired;
    const target = seen + 1 + Math.floor(next() * 4);
    const until = Date.now() + 10_000;
    while (receiver.batches().length + receiver.stats().faultsFired < target && Date.now() < until) await sleep(5);
    updateRows(business.db, [1 + Math.floor(next() * ROWS), 1 + Math.floor(next() * ROWS)], `v${round + 1}`);
    await sleep(Math.floor(next() * 400));
    gw.child.kill('SIGKILL');
    await gw.exited;
  }

  receiver.clearFaults();
  // One answer lost for certain, whatever the rounds met (on a loaded machine a round may end before its
  // gateway sent anything): the final run has a changed row to send, and must resend that batch with its id.
  receiver.injectFault({ path: 'batches', drop: 'after' });
  updateRows(business.db, [2], 'final');
  const final = startGatewayProcess(configFile);
  t.teardown(async () => {
    final.child.kill('SIGKILL');
    await final.exited;
  });
  await expectConserved(t, { receiver, business: business.db, invalid: [13, 700] });
  t.ok(receiver.stats().accepted >= ROWS - 2, 'every record was accepted');
  t.ok(receiver.stats().duplicates >= 1, 'a batch whose answer was lost was resent with its id and recognised');

  final.child.kill('SIGTERM');
  await final.exited;
  const store = new Database(join(dir, 'data', 'gateway.sqlite'), { fileMustExist: true });
  t.equal((store.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok', 'the store survived every kill intact');
  t.same(store.prepare('SELECT count(*) AS n FROM outbox_chunks').get(), { n: 0 }, 'no chunk of lines outlived its rows');
  store.close();
}
