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
    t.same(Object.keys(s).sort(), ['lastError', 'lastSuccessAt', 'name', 'state'], 'warnings (an extension) only when there are some');
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

/**
 * Spec section 3 knows ok, error and disabled; the page knows more. What the
 * page shows as failing or needing attention is never reported `ok`.
 */
t.test('the heartbeat tells the center what the page tells the department', async (t) => {
  const dir = t.testdir({ drop: { incoming: {} } });
  const business = createPenaltyDb(dir, 3);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const job = (name: string, source: string, enabled = true) => ({
    name, source, category: 'P07-002', query: 'SELECT * FROM t_penalty', cursor: ['updated_at', 'id'], key: ['id'], enabled,
    schedule: { intervalSecs: 86_400 }, subject: { kind: 'legal', name: 'party_name', code: 'credit_code' }, fields: TEST_PENALTY_FIELDS,
  });
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: join(dir, 'data') },
    platform: { url, secretRef: 'platform', heartbeatIntervalSecs: 5 },
    status: { host: '127.0.0.1', port: 0 },
    sources: [
      { name: 'biz', kind: 'sqlite', file: business.file },
      { name: 'gone', kind: 'sqlite', file: join(dir, 'moved-away.sqlite') },
      { name: 'idle', kind: 'sqlite', file: business.file },
      { name: 'drop', kind: 'folder', path: join(dir, 'drop'), stableMs: 100 },
    ],
    jobs: [job('penalties', 'biz'), job('gone-penalties', 'gone'), job('idle-penalties', 'idle', false)],
  }));
  const gateway = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger, softwareVersion: '9.9.9-test' });
  t.teardown(async () => {
    await gateway.stop();
    business.db.close();
    await receiver.close();
  });

  await gateway.runJob('penalties');
  await gateway.runJob('gone-penalties').catch(() => undefined);
  writeFileSync(join(dir, 'drop', 'incoming', 'P07-002_x.csv'), '不认识的列\n1\n');
  const page = await until(() => gateway.snapshot(), (s) => s.sources.find((x) => x.name === 'drop')?.state === 'attention');
  t.match(Object.fromEntries(page.sources.map((x) => [x.name, x.state])), { biz: 'ok', gone: 'error', idle: 'disabled', drop: 'attention' }, 'what the page shows');

  const beat = await until(
    () => receiver.heartbeats().at(-1)?.body as { sources: Record<string, unknown>[] } | undefined,
    (b) => b !== undefined && b.sources.some((x) => x.name === 'drop' && x.state !== 'ok') && b.sources.some((x) => x.name === 'gone' && x.state === 'error'),
  );
  t.ok(beat, 'a heartbeat was sent after the trouble');
  const by = Object.fromEntries(beat!.sources.map((x) => [x.name, x]));
  t.match(by.biz, { state: 'ok', lastError: null, lastSuccessAt: ISO });
  t.match(by.gone, { state: 'error', lastError: /moved-away\.sqlite|SOURCE_/ }, 'a source that cannot be read');
  t.match(by.idle, { state: 'disabled' }, 'no enabled job reads it');
  t.match(by.drop, { state: 'error', lastError: /P07-002_x\.csv.*被整体拒收.*rejected\// }, 'a folder needing attention is not ok, and says what and what to do');
  for (const s of beat!.sources) {
    t.ok(['ok', 'error', 'disabled'].includes(s.state as string), `${s.name as string}: a state the spec knows`);
    const keys = Object.keys(s).sort();
    t.same(keys.filter((k) => k !== 'warnings'), ['lastError', 'lastSuccessAt', 'name', 'state']);
    if (keys.includes('warnings')) {
      t.ok(Array.isArray(s.warnings) && (s.warnings as unknown[]).length > 0, 'warnings, when present, is a non-empty list');
      for (const w of s.warnings as Record<string, unknown>[]) t.same(Object.keys(w).sort(), ['code', 'message']);
    }
  }
  t.match(by.drop!.warnings, [{ code: String, message: /被整体拒收/ }], 'the page\'s warning travels as the extension member');
});
