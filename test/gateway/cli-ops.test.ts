import t from 'tap';
import { freePort, runCli } from '../helpers/cli.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import { Store } from '../../gateway/store/store.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';
import { selfSigned } from '../helpers/tls.js';

const env = { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET };

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, env);
}

/** Edits the JSON configuration writeTestConfig wrote. */
function editConfig(file: string, edit: (config: Record<string, any>) => void): void {
  const config = JSON.parse(readFileSync(file, 'utf8'));
  edit(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

/** The store's rejected-row counter, read the way the status page reads it. */
function rejectedLocalTotal(dir: string): number {
  const store = Store.open({ file: join(dir, 'data', 'gateway.sqlite') });
  try {
    return store.totals().total.rejectedLocal;
  } finally {
    store.close();
  }
}

t.test('run --snapshot reads everything, sends only what changed, and deletes what is gone; a bad row counts once', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 25, { invalid: [3] });
  t.teardown(() => business.db.close());
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });

  const first = await cli(['run', 'penalties', '--config', config, '--snapshot']);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /penalties: read 25 rows in 1 pages, queued 24, unchanged 0, rejected 1, deleted 0/);
  t.match(first.stdout, /delivered: queue empty/);
  t.equal(rejectedLocalTotal(dir), 1);

  business.db.prepare('DELETE FROM t_penalty WHERE id IN (5, 6)').run();
  const second = await cli(['run', 'penalties', '--config', config, '--snapshot']);
  t.equal(second.code, 0, second.stderr);
  t.match(second.stdout, /read 23 rows in 1 pages, queued 0, unchanged 22, rejected 1, deleted 2/, 'only the two rows gone from the source travel, as deletes');
  t.match(second.stdout, /delivered: queue empty/);
  t.same(receiver.records().map((r) => r.op).sort(), [...Array(22).fill('upsert'), 'delete', 'delete'].sort(), 'the platform holds the two rows as deleted, the others as they were');
  t.equal(rejectedLocalTotal(dir), 1, 'the same bad row read again on the second complete read is still one rejection');

  business.db.prepare("UPDATE t_penalty SET credit_code = substr(credit_code, 1, 17) || CASE substr(credit_code, 18) WHEN '0' THEN '1' ELSE '0' END WHERE id = 8").run();
  const third = await cli(['run', 'penalties', '--config', config, '--snapshot']);
  t.match(third.stdout, /rejected 2, deleted 0/);
  t.equal(rejectedLocalTotal(dir), 2, 'a different bad row is a new rejection');

  const regular = await cli(['run', 'penalties', '--config', config]);
  t.match(regular.stdout, /deleted 0/, 'an ordinary run prints its deletes too');
});

t.test('run names a drop folder for what it is: start reads its files', async (t) => {
  const dir = t.testdir({});
  const config = writeTestConfig({ dir, businessDb: join(dir, 'none.sqlite'), platformUrl: 'http://127.0.0.1:9/exchange' });
  editConfig(config, (c) => c.sources.push({ name: 'drop', kind: 'folder', path: join(dir, 'drop') }));
  for (const name of ['drop', 'drop:folder']) {
    const out = await cli(['run', name, '--config', config]);
    t.equal(out.code, 1);
    t.match(out.stderr, /CONFIG_REFERENCE/);
    t.match(out.stderr, /sources\[1\]: "drop(:folder)?" is a drop folder, not a job: `credit-gateway start` reads its files as they arrive in .*drop\/incoming\//, name);
  }
});

t.test('cursor show and reset: the store alone is opened, a reset needs --yes off a terminal, and the next run re-reads everything', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 25, { invalid: [3] });
  business.db.close();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9/exchange' });

  const before = await cli(['cursor', 'show', '--config', config]);
  t.equal(before.code, 1);
  t.match(before.stderr, /no store at .*gateway\.sqlite: the gateway has not run with this configuration yet/);

  t.equal((await cli(['run', 'penalties', '--config', config, '--no-deliver'])).code, 0);
  const shown = await cli(['cursor', 'show', '--config', config]);
  t.equal(shown.code, 0, shown.stderr);
  t.match(shown.stdout, /^jobs of the configuration file\npenalties \(incremental, cursor \[updated_at, id\]\)\n/);
  t.match(shown.stdout, /  position: \["2026-01-01T00:00:03\.000Z",25\], set \d{4}-\d\d-\d\dT/);
  t.match(shown.stdout, /  last run: \d{4}-\d\d-\d\dT[^\n]*, ok\n/);
  t.match(shown.stdout, /  first run: \d{4}-\d\d-\d\dT/);

  const unknown = await cli(['cursor', 'show', 'nope', '--config', config]);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /no job named "nope" in the configuration file; jobs: penalties/);

  const unconfirmed = await cli(['cursor', 'reset', 'penalties', '--config', config]);
  t.equal(unconfirmed.code, 1, 'not on a terminal and no --yes: nothing is reset');
  t.match(unconfirmed.stderr, /--yes: not on a terminal/);
  t.match((await cli(['cursor', 'show', 'penalties', '--config', config])).stdout, /position: \[/, 'the cursor is still there');

  const reset = await cli(['cursor', 'reset', 'penalties', '--config', config, '--yes']);
  t.equal(reset.code, 0, reset.stderr);
  t.match(reset.stdout, /penalties: cursor reset\. The next run re-reads everything from the beginning; only rows that changed since they were sent are queued/);
  t.notMatch(reset.stderr, /a gateway is running/, 'no gateway runs: no warning');
  t.match((await cli(['cursor', 'show', 'penalties', '--config', config])).stdout, /position: none, the next run reads from the beginning/);

  const again = await cli(['run', 'penalties', '--config', config, '--no-deliver']);
  t.match(again.stdout, /read 25 rows in 1 pages, queued 0, unchanged 24, rejected 1/, 'everything is read again and nothing unchanged is queued');

  const twice = await cli(['cursor', 'reset', 'penalties', '--config', config, '--yes']);
  t.equal(twice.code, 0);
  const none = await cli(['cursor', 'reset', 'penalties', '--config', config, '--yes']);
  t.match(none.stdout, /penalties has no cursor: its next run already reads from the beginning; nothing reset/);
});

t.test('cursor reset warns that a running gateway takes the reset at its next run of the job', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 25);
  business.db.close();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9/exchange', statusPort: await freePort() });
  editConfig(config, (c) => c.jobs.push({ ...c.jobs[0], name: 'nightly', mode: 'snapshot', cursor: undefined }));
  const gateway = await Gateway.start(loadConfigFile(config, env), { logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false, deliver: false });
  t.teardown(() => gateway.stop());
  t.equal((await gateway.runJob('penalties')).rowsRead, 25);

  const shown = await cli(['cursor', 'show', '--config', config]);
  t.match(shown.stdout, /nightly \(snapshot\): no cursor, every run reads everything\n  last run: never\n  first run: never/, 'a snapshot job has no cursor to show');
  const snapshotReset = await cli(['cursor', 'reset', 'nightly', '--config', config, '--yes']);
  t.match(snapshotReset.stdout, /nightly is a snapshot job: it has no cursor, every run already reads everything; nothing reset/);

  const reset = await cli(['cursor', 'reset', 'penalties', '--config', config, '--yes']);
  t.equal(reset.code, 0, reset.stderr);
  t.match(reset.stderr, /warning: a gateway is running on this store \(its status page answers at http:\/\/127\.0\.0\.1:\d+\/\)/);
  t.match(reset.stderr, /reads the cursor when each run starts, so the reset takes effect at its next run of this job/);
  t.match(reset.stderr, /a run of penalties in progress now keeps its own position/);
  const next = await gateway.runJob('penalties');
  t.equal(next.rowsRead, 25, "the running gateway's next run starts from the beginning");
  t.equal(next.queued, 0, 'and sends nothing unchanged');
});

t.test('cursor reset also sees a running gateway whose status page is HTTPS', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 5);
  business.db.close();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: 'http://127.0.0.1:9/exchange', statusPort: await freePort() });
  const cert = selfSigned(join(dir, 'certs'));
  editConfig(config, (c) => (c.status.tls = cert));
  const gateway = await Gateway.start(loadConfigFile(config, env), { logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false, deliver: false });
  t.teardown(() => gateway.stop());
  await gateway.runJob('penalties');
  const reset = await cli(['cursor', 'reset', 'penalties', '--config', config, '--yes']);
  t.equal(reset.code, 0, reset.stderr);
  t.match(reset.stderr, /warning: a gateway is running on this store \(its status page answers at https:\/\/127\.0\.0\.1:\d+\/\)/);
});
