/**
 * Through the composition root: a queued record whose line was damaged in
 * gateway.sqlite while the gateway was down does not stop its job's
 * delivery. The other records reach the reference receiver; the lost one is
 * a rejection on the status page's list with its code and what to do, and
 * `run penalties --snapshot` (runJob in snapshot mode) sends it.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import t from 'tap';
import { loadConfigFile } from '../../config/load.js';
import { checkStore } from '../../gateway/doctor/store-check.js';
import { Gateway } from '../../gateway/gateway.js';
import { inspectDataFolder } from '../../gateway/store/inspect.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';

const logger = pino({ level: 'silent' });

t.test('a damaged queued line costs its record until the job reads it again, not the job\'s delivery', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 30);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(async () => {
    business.db.close();
    await receiver.close();
  });
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize: 10, batchMaxRecords: 8 });
  const start = () => Gateway.start(loadConfigFile(configFile, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger, softwareVersion: 'test', schedule: false });

  let gateway = await start();
  t.match(await gateway.runJob('penalties'), { rowsRead: 30, queued: 30 });
  t.equal(gateway.store.queueStats().pending, 30, 'queued, not sent yet');
  await gateway.stop();

  const store = join(dir, 'data', 'gateway.sqlite');
  const db = new Database(store);
  // A deflated line cut short: zlib refuses it.
  db.prepare('UPDATE outbox SET line = substr(line, 1, 8) WHERE seq = (SELECT seq FROM outbox ORDER BY seq LIMIT 1 OFFSET 11)').run();
  db.close();

  gateway = await start();
  t.teardown(() => gateway.stop());
  t.same(await gateway.flush(), { pending: 0, reason: null }, 'delivery went past the damaged record');
  t.equal(receiver.stats().accepted, 29, 'every other record reached the platform, once');
  const [lost, ...others] = gateway.store.listRejections({ code: 'STORE_LINE_DAMAGED' });
  t.equal(others.length, 0);
  t.match(lost, { source: 'local', job: 'penalties', category: 'P07-002', key: /^\d+$/, resolvedAt: null });
  t.match(lost!.message, /seq \d+.*已损坏.*credit-gateway run penalties --snapshot/);
  t.notOk(receiver.records().some((r) => r.id === lost!.recordId));
  const doctor = () => checkStore(inspectDataFolder(join(dir, 'data')), join(dir, 'data')).find((f) => f.id === 'store');
  t.match(doctor(), { state: 'warn', message: 'store.damagedLines', params: { damaged: 1, pending: 0 } }, 'doctor counts it');

  t.match(await gateway.runJob('penalties'), { queued: 0 }, 'an incremental run is past the row');
  t.match(await gateway.runJob('penalties', 'snapshot'), { queued: 1, unchanged: 29 }, 'a complete read queues the lost record, and only it');
  await gateway.flush();
  t.equal(receiver.stats().accepted, 30);
  t.ok(receiver.records().some((r) => r.id === lost!.recordId), 'it arrived');
  t.same(gateway.store.listRejections({ code: 'STORE_LINE_DAMAGED', openOnly: true }), [], 'its rejection is resolved');
  t.match(doctor(), { state: 'pass', message: 'store.ok' });
});
