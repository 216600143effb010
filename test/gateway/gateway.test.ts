import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, readRows, TEST_PENALTY_FIELDS, TEST_SECRET, updateRows, writeTestConfig } from '../helpers/business-db.js';
import { until } from '../helpers/wait.js';

const logger = pino({ level: 'silent' });

/** A change stamped well before the database clock minus the safety lag, so the next run reads it. */
const aMinuteAgo = () => new Date(Date.now() - 60_000);

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
  const startedMs = Date.now();
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
  updateRows(business.db, [10, 11], 'v2', aMinuteAgo());
  const second = await gateway.runJob('penalties');
  t.equal(second.queued, 2);
  await gateway.flush();
  held = receiver.records();
  t.equal(held.length, 118, 'an update replaces, it does not add');
  const changed = held.filter((r) => r.data?.CF_NR === 'v2');
  t.equal(changed.length, 2);
  for (const r of changed) t.ok(r.seq > before.get(r.id)!, 'the new version has a larger seq under the same id');
  // Seqs carry the clock (ms x 1000, store/records.ts), so they no longer count from 1: what stays pinned is that none repeats or goes back.
  t.equal(new Set(held.map((r) => r.seq)).size, 118, 'seq never reused');
  t.ok(held.every((r) => r.seq >= startedMs * 1000 && Number.isSafeInteger(r.seq)), 'seqs start above the clock in ms x 1000, exact in JSON');

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
  updateRows(business.db, [1, 2, 3], 'v1', aMinuteAgo());
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
  business.db.prepare('UPDATE t_penalty SET credit_code = ?, updated_at = ? WHERE id = 4').run(good, aMinuteAgo().toISOString());
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
    { code: 'CONFIG_CATEGORY_UNKNOWN', message: /jobs\[0\]\.category/ },
  );
});



const penaltyJob = (over: Record<string, unknown>) => ({
  name: 'penalties', source: 'biz', category: 'P07-002', query: 'SELECT * FROM t_penalty',
  cursor: ['updated_at', 'id'], key: ['id'],
  subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
  fields: TEST_PENALTY_FIELDS,
  ...over,
});

/** A gateway over the given sources and jobs, delivering to a fresh reference receiver. */
async function gatewayWith(t: Test, dir: string, sources: unknown[], jobs: unknown[], options: { schedule?: boolean } = {}) {
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: join(dir, 'data') },
    platform: { url, secretRef: 'platform', backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: 0 },
    scheduling: { retryBaseSecs: 1, retryMaxSecs: 2 },
    sources, jobs,
  }));
  const gateway = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), {
    logger, softwareVersion: 'test', schedule: options.schedule ?? false,
  });
  t.teardown(async () => {
    await gateway.stop();
    await receiver.close();
  });
  return { gateway, receiver };
}

t.test('one failing source never stalls another: its jobs keep delivering while the broken one retries with its reason', async (t) => {
  const dir = t.testdir({});
  const good = createPenaltyDb(dir, 40);
  t.teardown(() => good.db.close());
  const { gateway, receiver } = await gatewayWith(
    t, dir,
    [{ name: 'biz', kind: 'sqlite', file: good.file }, { name: 'gone', kind: 'sqlite', file: join(dir, 'missing.sqlite') }],
    [
      penaltyJob({ schedule: { intervalSecs: 1 }, safetyLagSecs: 1 }),
      penaltyJob({ name: 'gone-penalties', source: 'gone', schedule: { intervalSecs: 1 } }),
    ],
    { schedule: true },
  );
  t.equal((await until(() => receiver.records().length, (n) => n === 40)), 40, 'the working source delivered everything');
  updateRows(good.db, [1, 2], 'v2', aMinuteAgo());
  const changed = await until(() => receiver.records().filter((r) => r.data?.CF_NR === 'v2').length, (n) => n === 2);
  t.equal(changed, 2, 'and keeps delivering changes');

  const broken = await until(() => gateway.snapshot(), (s) => (s.jobs[1]?.lastError ? true : false));
  const source = broken.sources.find((s) => s.name === 'gone')!;
  t.equal(source.state, 'error');
  t.equal(source.lastError?.code, 'SOURCE_UNAVAILABLE', 'with the connector\'s code');
  t.match(source.lastError?.message, /missing\.sqlite/, 'the reason');
  t.ok(source.lastError?.action, 'and what to do');
  t.equal(broken.sources.find((s) => s.name === 'biz')!.state, 'ok');
  t.equal(broken.verdict.level, 'fault');
  t.match(broken.verdict.reasons.join(), /数据源 gone 读取失败/);
});

t.test('rows stamped within the safety lag wait for a later run; the rest are read', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 10);
  t.teardown(() => business.db.close());
  const { gateway } = await gatewayWith(t, dir, [{ name: 'biz', kind: 'sqlite', file: business.file }], [penaltyJob({ safetyLagSecs: 600 })]);
  await gateway.runJob('penalties');
  updateRows(business.db, [1], 'recent', new Date());
  updateRows(business.db, [2], 'older', new Date(Date.now() - 3_600_000));
  const run = await gateway.runJob('penalties');
  t.equal(run.rowsRead, 1, 'only the row older than the lag');
  t.equal(run.queued, 1);
  t.equal((gateway.store.getCursor('penalties') as string[])[1], 2, 'the cursor stops before the recent row, so it is read later');
});

t.test('a snapshot job sends deletes for rows gone from the source, and only after a complete run', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 30);
  t.teardown(() => business.db.close());
  const { cursor: _c, ...snapshot } = penaltyJob({ mode: 'snapshot', pageSize: 7 }) as Record<string, unknown>;
  const { gateway, receiver } = await gatewayWith(t, dir, [{ name: 'biz', kind: 'sqlite', file: business.file }], [snapshot]);
  const first = await gateway.runJob('penalties');
  t.match(first, { rowsRead: 30, queued: 30, deleted: 0, complete: true });
  await gateway.flush();
  business.db.prepare('DELETE FROM t_penalty WHERE id IN (4, 5)').run();
  const second = await gateway.runJob('penalties');
  t.match(second, { rowsRead: 28, queued: 0, unchanged: 28, deleted: 2 }, 'nothing changed is sent; the two gone rows are deleted');
  await gateway.flush();
  const held = receiver.records();
  t.equal(held.length, 30);
  t.same(held.filter((r) => r.op === 'delete').length, 2, 'the platform holds the two rows as deleted');
  const job = gateway.snapshot().jobs[0]!;
  t.equal(job.mode, 'snapshot');
  t.equal(job.lastError, null);
});

t.test('an incremental job\'s snapshot schedule catches deletes without moving its cursor, and is on the status page', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 20);
  t.teardown(() => business.db.close());
  const { gateway, receiver } = await gatewayWith(t, dir, [{ name: 'biz', kind: 'sqlite', file: business.file }], [
    penaltyJob({ snapshotSchedule: { cron: '0 3 * * *' } }),
  ]);
  await gateway.runJob('penalties');
  const cursor = gateway.store.getCursor('penalties');
  business.db.prepare('DELETE FROM t_penalty WHERE id = 9').run();
  t.equal((await gateway.runJob('penalties')).deleted, 0, 'an incremental run cannot see a delete');
  const snap = await gateway.runJob('penalties', 'snapshot');
  t.equal(snap.deleted, 1);
  t.same(gateway.store.getCursor('penalties'), cursor);
  await gateway.flush();
  t.equal(receiver.records().filter((r) => r.op === 'delete').length, 1);
  const status = gateway.snapshot().jobs[0]!;
  t.equal(status.snapshotSchedule, 'cron 0 3 * * *');
});

t.test('rows whose cursor is NULL are counted and the job row says what to do', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 12);
  t.teardown(() => business.db.close());
  // The test table's updated_at is NOT NULL; a view stands in for a table whose change column can be empty.
  business.db.exec("CREATE VIEW v_penalty AS SELECT id, party_name, credit_code, content, punish_date, CASE WHEN id IN (2, 3) THEN NULL ELSE updated_at END AS updated_at FROM t_penalty");
  const { gateway } = await gatewayWith(t, dir, [{ name: 'biz', kind: 'sqlite', file: business.file }], [penaltyJob({ query: 'SELECT * FROM v_penalty' })]);
  const run = await gateway.runJob('penalties');
  t.equal(run.rowsRead, 10, 'rows with a NULL cursor are not read incrementally');
  const status = gateway.snapshot();
  t.same(status.jobs[0]!.warnings.map((w) => w.code), ['NULL_CURSOR_ROWS']);
  t.match(status.jobs[0]!.warnings[0]!.message, /有 2 行的游标列/);
  t.equal(status.verdict.level, 'attention');
});

t.test('a field code the data standard does not know, or a code table it does not have, is refused at start with its path', async (t) => {
  const dir = t.testdir({});
  const file = writeTestConfig({ dir, businessDb: `${dir}/x.sqlite`, platformUrl: 'http://127.0.0.1:9/exchange' });
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.jobs[0].fields = { ...doc.jobs[0].fields, CF_TYPO: 'content', CF_CFLB: { column: 'content', codes: 'no-such-table' } };
  writeFileSync(file, JSON.stringify(doc));
  const err = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: 'x' }), { logger, softwareVersion: 'test', schedule: false, serveStatus: false }).catch((e: unknown) => e);
  // Both at once, each with its own code, in the file's order (gateway/preflight): the first decides the error's.
  t.match(err, { code: 'CONFIG_CODE_TABLE_UNKNOWN' });
  t.match((err as { problems: unknown[] }).problems, [
    { path: 'jobs[0].fields.CF_CFLB.codes', code: 'CONFIG_CODE_TABLE_UNKNOWN', message: /no-such-table/ },
    { path: 'jobs[0].fields.CF_TYPO', code: 'CONFIG_FIELD_UNKNOWN', message: /不在数据标准/ },
  ]);
});

t.test('a row missing a field the data standard requires is rejected with the field and its Chinese reason', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 3);
  t.teardown(() => business.db.close());
  const { CF_YXQ: _dropped, ...fields } = TEST_PENALTY_FIELDS;
  const { gateway } = await gatewayWith(t, dir, [{ name: 'biz', kind: 'sqlite', file: business.file }], [penaltyJob({ fields })]);
  await gateway.runJob('penalties');
  t.same(gateway.store.listRejections().map((r) => [r.field, r.code]), [['CF_YXQ', 'FIELD_REQUIRED'], ['CF_YXQ', 'FIELD_REQUIRED'], ['CF_YXQ', 'FIELD_REQUIRED']]);
  t.match(gateway.snapshot().rejections, { recent: [{ message: /必填字段 CF_YXQ（处罚有效期）/ }] });
});

t.test('each log line names its component once, so a log search by component finds every line of it', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 10);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  const logFile = join(dir, 'gateway.log');
  const { createLogger } = await import('../../gateway/logger.js');
  const fileLogger = createLogger({ level: 'debug', destination: logFile });
  const gateway = await Gateway.start(loadConfigFile(configFile, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger: fileLogger, softwareVersion: 'test', schedule: false });
  await gateway.runJob('penalties');
  await gateway.flush();
  await gateway.stop();
  business.db.close();
  await receiver.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
  t.ok(lines.some((l) => l.includes('"component":"store"')), 'the store logs as the store');
  const twice = lines.filter((l) => (l.match(/"component":/g) ?? []).length > 1);
  t.same(twice, [], 'no line carries two components');
});

t.test('runs of one job asked for at once run one after the other: every row is read once', async (t) => {
  const { start } = await setup(t, 200, { pageSize: 10 });
  const gateway = await start();
  t.teardown(() => gateway.stop());
  // Its schedule, a bundle's swap, `run` and the status page may all ask while a run is going.
  const [first, second, third] = await Promise.all([gateway.runJob('penalties'), gateway.runJob('penalties'), gateway.runJob('penalties')]);
  t.equal(first.rowsRead, 200, 'the first run reads the table');
  t.equal(second.rowsRead + third.rowsRead, 0, 'the runs asked for meanwhile start where it ended, with nothing left to read');
  t.equal(gateway.store.jobStats().find((j) => j.job === 'penalties')?.total.rowsRead, 200, 'the job counts each row once');
});
