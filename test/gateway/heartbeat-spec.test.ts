/**
 * The heartbeat the gateway sends, as the reference receiver records it,
 * checked member by member against platform-api.md section 3.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import { envelopeFor, generateKeys } from '../../gateway/control/keys.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_PENALTY_FIELDS, TEST_SECRET } from '../helpers/business-db.js';
import { until } from '../helpers/wait.js';

const logger = pino({ level: 'silent' });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const isIso = (v: unknown) => typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v));
const isIsoOrNull = (v: unknown) => v === null || isIso(v);
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;


t.test('the heartbeat carries exactly the members of spec section 3, each of its type', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 12, { invalid: [3] });
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const keys = generateKeys();
  writeFileSync(join(dir, 'center.pem'), keys.publicKeyPem);
  const job = {
    name: 'penalties', source: 'biz', category: 'P07-002', query: 'SELECT * FROM t_penalty', cursor: ['updated_at', 'id'], key: ['id'],
    subject: { kind: 'legal', name: 'party_name', code: 'credit_code' }, fields: TEST_PENALTY_FIELDS,
  };
  const sources = [{ name: 'biz', kind: 'sqlite', file: business.file }];
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: join(dir, 'data') },
    platform: { url, secretRef: 'platform', heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: 0 },
    control: { publicKeyFile: 'center.pem' },
    sources, jobs: [job],
  }));
  const gateway = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger, softwareVersion: '9.9.9-test', schedule: false });
  t.teardown(async () => {
    await gateway.stop();
    business.db.close();
    await receiver.close();
  });

  const first = await until(() => receiver.heartbeats(), (h) => h.length >= 1);
  const start = first[0]!.body as Record<string, unknown>;
  t.equal(first[0]!.gatewayId, 'hs-test', 'sent for this gateway');
  t.same(Object.keys(start).sort(), ['categories', 'configApply', 'configVersion', 'gatewayId', 'queue', 'softwareVersion', 'sources', 'startedAt'], 'no member more or less');
  t.equal(start.gatewayId, 'hs-test');
  t.equal(start.softwareVersion, '9.9.9-test');
  t.equal(start.configVersion, 0, 'the local configuration file is version 0');
  t.ok(isIso(start.startedAt), 'startedAt is an ISO timestamp');
  t.equal(start.configApply, null, 'no bundle tried yet');

  await gateway.runJob('penalties');
  await gateway.flush();
  const envelope = envelopeFor(Buffer.from(JSON.stringify({ gatewayId: 'hs-test', version: 2, issuedAt: '2026-03-01T08:00:00.000Z', sources, jobs: [job] })), keys.privateKeyPem);
  t.equal((await gateway.applyBundle(envelope, 'admin')).status, 'applied');
  const after = await until(() => receiver.heartbeats().at(-1)!.body as Record<string, unknown>, (b) => b.configApply !== null);

  t.same(Object.keys(after).sort(), ['categories', 'configApply', 'configVersion', 'gatewayId', 'queue', 'softwareVersion', 'sources', 'startedAt']);
  t.equal(after.configVersion, 2, 'the version in effect');
  t.equal(after.startedAt, start.startedAt, 'startedAt is the process start, unchanged');
  const configApply = after.configApply as Record<string, unknown>;
  t.same(Object.keys(configApply).sort(), ['message', 'status', 'version']);
  t.match(configApply, { version: 2, status: 'applied', message: String });

  const queue = after.queue as Record<string, unknown>;
  t.same(Object.keys(queue).sort(), ['oldestPendingAt', 'pending', 'rejected']);
  t.ok(isCount(queue.pending));
  t.ok(isIsoOrNull(queue.oldestPendingAt));
  t.equal(queue.rejected, 1, 'the invalid row counts as rejected');

  const list = after.sources as Record<string, unknown>[];
  t.equal(list.length, 1);
  for (const s of list) {
    t.same(Object.keys(s).sort(), ['lastError', 'lastSuccessAt', 'name', 'state']);
    t.equal(s.name, 'biz');
    t.ok(['ok', 'error', 'disabled'].includes(s.state as string), 'state is ok, error or disabled');
    t.ok(isIsoOrNull(s.lastSuccessAt));
    t.ok(s.lastError === null || typeof s.lastError === 'string');
  }

  const categories = after.categories as Record<string, unknown>[];
  t.ok(categories.length >= 1);
  for (const c of categories) {
    t.same(Object.keys(c).sort(), ['code', 'delivered24h', 'lastDeliveredAt', 'rejected24h']);
    t.equal(typeof c.code, 'string');
    t.ok(isIsoOrNull(c.lastDeliveredAt));
    t.ok(isCount(c.delivered24h));
    t.ok(isCount(c.rejected24h));
  }
  t.match(categories.find((c) => c.code === 'P07-002'), { delivered24h: 11, lastDeliveredAt: ISO }, 'what was delivered today, by category');
});
