import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, readRows, TEST_SECRET, updateRows, writeTestConfig } from '../helpers/business-db.js';

const logger = pino({ level: 'silent' });

async function setup(t: Test, rows: number, options: { invalid?: number[]; pageSize?: number; batchMaxRecords?: number } = {}) {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, rows, { invalid: options.invalid });
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize: options.pageSize, batchMaxRecords: options.batchMaxRecords });
  const start = () =>
    Gateway.start(loadConfigFile(configFile, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger, softwareVersion: 'test', schedule: false });
  t.teardown(async () => {
    business.db.close();
    await receiver.close();
  });
  return { business, receiver, start };
}

t.test('every row arrives exactly once; an update arrives as a new seq of the same id; invalid rows never leave', async (t) => {
  const { business, receiver, start } = await setup(t, 120, { invalid: [5, 77], pageSize: 25, batchMaxRecords: 40 });
  const gateway = await start();
  t.teardown(() => gateway.stop());

  const first = await gateway.runJob('penalties');
  t.equal(first.rowsRead, 120);
  t.equal(first.queued, 118);
  t.equal(first.rejected, 2);
  t.equal((await gateway.flush()).pending, 0);

  let held = receiver.records();
  t.equal(held.length, 118, 'the platform holds every valid row');
  t.equal(receiver.stats().accepted, 118, 'and accepted each exactly once');
  t.notOk(held.some((r) => r.data?.CF_XDR_SHXYM === readRows(business.db).find((x) => x.id === 5)!.credit_code), 'an invalid row never left the gateway');

  const again = await gateway.runJob('penalties');
  t.equal(again.rowsRead, 0, 'a second run reads nothing new: the cursor moved past every row');

  const before = new Map(held.map((r) => [r.id, r.seq]));
  updateRows(business.db, [10, 11], 'v2');
  const second = await gateway.runJob('penalties');
  t.equal(second.queued, 2);
  await gateway.flush();
  held = receiver.records();
  t.equal(held.length, 118, 'an update replaces, it does not add');
  const changed = held.filter((r) => r.data?.CF_NR === 'v2');
  t.equal(changed.length, 2);
  for (const r of changed) t.ok(r.seq > before.get(r.id)!, 'the new version has a larger seq under the same id');
  t.equal(Math.max(...held.map((r) => r.seq)), 120, 'seq counts every version sent, never reused');

  const status = gateway.snapshot();
  t.equal(status.totals.rejectedLocal, 2);
  t.same(status.rejections.recent.map((r) => r.key).sort(), ['5', '77']);
  t.ok(status.rejections.recent.every((r) => r.field === 'subject.code' && r.code === 'CREDIT_CODE_CHECK' && /校验位错误/.test(r.message)), 'each rejection says what is wrong, in Chinese');
});

t.test('re-reading unchanged rows sends nothing', async (t) => {
  const { business, receiver, start } = await setup(t, 30);
  const gateway = await start();
  t.teardown(() => gateway.stop());
  await gateway.runJob('penalties');
  await gateway.flush();
  const batches = receiver.batches().length;
  // Touch the timestamp only: the row is read again but its content is the same.
  updateRows(business.db, [1, 2, 3], 'v1');
  const run = await gateway.runJob('penalties');
  t.equal(run.rowsRead, 3);
  t.equal(run.unchanged, 3);
  t.equal(run.queued, 0);
  await gateway.flush();
  t.equal(receiver.batches().length, batches, 'no batch was sent');
});

t.test('a fixed row is sent and its rejection is resolved', async (t) => {
  const { business, receiver, start } = await setup(t, 10, { invalid: [4] });
  const gateway = await start();
  t.teardown(() => gateway.stop());
  await gateway.runJob('penalties');
  t.equal(gateway.snapshot().rejections.total, 1);
  const good = readRows(business.db).find((r) => r.id === 3)!.credit_code;
  business.db.prepare('UPDATE t_penalty SET credit_code = ?, updated_at = ? WHERE id = 4').run(good, new Date().toISOString());
  await gateway.runJob('penalties');
  await gateway.flush();
  t.equal(receiver.records().length, 10);
  t.equal(gateway.store.countRejections({ openOnly: true }), 0, 'no open rejection is left');
});

t.test('a job over a broken source fails with a code and leaves the cursor where it was', async (t) => {
  const { business, start } = await setup(t, 10);
  const gateway = await start();
  t.teardown(() => gateway.stop());
  await gateway.runJob('penalties');
  business.db.exec('ALTER TABLE t_penalty RENAME TO t_gone');
  await t.rejects(gateway.runJob('penalties'), { code: 'SOURCE_QUERY_FAILED' });
  const s = gateway.snapshot();
  t.equal(s.sources[0]!.state, 'error');
  t.equal(s.jobs[0]!.lastError?.code, 'SOURCE_QUERY_FAILED');
  t.equal(s.verdict.level, 'fault');
  business.db.exec('ALTER TABLE t_gone RENAME TO t_penalty');
  const run = await gateway.runJob('penalties');
  t.equal(run.rowsRead, 0, 'resumes from the last committed cursor');
  t.equal(gateway.snapshot().sources[0]!.state, 'ok');
});

t.test('a job naming a category not in the catalog is refused at start with its path', async (t) => {
  const dir = t.testdir({});
  const file = writeTestConfig({ dir, businessDb: `${dir}/x.sqlite`, platformUrl: 'http://127.0.0.1:9/exchange' });
  writeFileSync(file, readFileSync(file, 'utf8').replace('P07-002', 'P99-999'));
  await t.rejects(
    Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: 'x' }), { logger, softwareVersion: 'test', schedule: false, serveStatus: false }),
    { code: 'CONFIG_REFERENCE', message: /jobs\[0\]\.category/ },
  );
});
