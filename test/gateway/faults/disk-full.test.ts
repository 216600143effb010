/**
 * Issue 10, case 3: a full disk. The data folder is a real small tmpfs,
 * filled with a file while the gateway reads the penalty table and delivers
 * to the reference receiver. Reading must pause and say so (/readyz, the
 * verdict, the job rows), acknowledgements must still be recorded (no batch
 * sent again and again), the WAL must stay bounded, and once the space is
 * freed everything must drain to the conservation check, also across a
 * kill -9 and a restart on the full disk (the built CLI as a child process).
 * A store size cap must pause reading the same way without any full disk.
 */
import t, { type Test } from 'tap';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { Gateway } from '../../../gateway/gateway.js';
import { createReceiver, type Receiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, updateRows, writeTestConfig } from '../../helpers/business-db.js';
import { expectConserved, startGatewayProcess } from '../../helpers/conservation.js';
import { fillDisk, freeDisk, mountTmpfs } from '../../helpers/tmpfs.js';
import { until, untilOrFail } from '../../helpers/wait.js';

const logger = pino({ level: 'silent' });
/** Stamped before the database clock minus the safety lag, so the next incremental run reads it. */
const aMinuteAgo = () => new Date(Date.now() - 60_000);

/** The penalty table, the receiver and a configuration whose data folder is a tmpfs of `tmpfsMiB` (or a plain folder). */
async function prepare(t: Test, o: { rows: number; store: Record<string, number>; rowsPerSecond?: number; tmpfsMiB?: number }) {
  const dir = t.testdir({});
  const dataDir = o.tmpfsMiB === undefined ? join(dir, 'data') : mountTmpfs(t, o.tmpfsMiB);
  if (dataDir === null) return null;
  const business = createPenaltyDb(dir, o.rows);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(async () => {
    business.db.close();
    await receiver.close();
  });
  const file = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize: 100, batchMaxRecords: 50, pollSecs: 1 });
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.store = o.store;
  config.gateway.dataDir = dataDir;
  if (o.rowsPerSecond) config.sources[0].rowsPerSecond = o.rowsPerSecond;
  writeFileSync(file, JSON.stringify(config));
  return { file, dataDir, business, receiver };
}

/** prepare, then the gateway in this process. */
async function setup(t: Test, o: Parameters<typeof prepare>[1]) {
  const prepared = await prepare(t, o);
  if (!prepared) return null;
  const gateway = await Gateway.start(loadConfigFile(prepared.file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger, softwareVersion: 'test' });
  t.teardown(() => gateway.stop());
  return { ...prepared, gateway };
}

async function readyz(gateway: Gateway): Promise<{ status: number; body: { ready: boolean; checks: { name: string; ok: boolean; message: string }[] } }> {
  const res = await fetch(new URL('readyz', gateway.statusUrl!));
  return { status: res.status, body: (await res.json()) as never };
}

/**
 * The most times one batch id got a 200 from the platform: each 200 after
 * the first means its acknowledgement was not recorded. (Retries after a 503
 * are the platform's doing, not counted.)
 */
function timesAnswered(receiver: Receiver): number {
  const counts = new Map<string, number>();
  for (const b of receiver.batches()) if (b.batchId && b.status === 200) counts.set(b.batchId, (counts.get(b.batchId) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

t.test('a full data disk pauses reading, not delivery; freeing it drains everything', async (t) => {
  const s = await setup(t, { rows: 4000, rowsPerSecond: 800, tmpfsMiB: 24, store: { minFreeMiB: 4, reserveMiB: 2 } });
  if (!s) return;
  const { dataDir, business, receiver, gateway } = s;
  // The platform is slow, so records are queued while the disk fills.
  receiver.injectFault({ path: 'batches', delayMs: 40, times: 1_000_000 });

  await untilOrFail(() => receiver.stats().accepted, (n) => n >= 300, 'the platform accepted 300 records', 60_000);
  const filler = fillDisk(dataDir);

  const paused = await until(() => gateway.snapshot(), (snap) => snap.disk?.paused === true, 60_000);
  t.ok(paused.disk?.paused, 'reading is paused once the disk is full');
  t.ok(paused.jobs.every((j) => j.pausedFor === 'disk'), 'the job row says "paused: disk"');
  t.match(paused.verdict.reasons.join('\n'), /磁盘/, 'the verdict names the disk');
  t.notMatch(paused.verdict.reasons.join('\n'), /数据源 biz 读取失败|database or disk is full/, 'and does not blame the source');
  t.equal(paused.sources.find((x) => x.name === 'biz')?.state === 'error', false, 'the source is not in error');
  const ready = await readyz(gateway);
  t.equal(ready.status, 503, '/readyz says not ready');
  t.match(ready.body.checks.find((c) => c.name === 'disk')?.message ?? '', /reading paused/, 'and why, in words');

  // A change made while the disk is full waits: reading is paused.
  updateRows(business.db, [1, 2, 3], 'v2', aMinuteAgo());
  receiver.clearFaults();
  const drained = await until(() => gateway.store.queueStats().pending, (n) => n === 0, 90_000);
  t.equal(drained, 0, 'every queued record was delivered and its acknowledgement recorded on the full disk');
  t.ok(timesAnswered(receiver) <= 3, `no batch was answered more than a few times (most: ${timesAnswered(receiver)})`);
  t.equal(receiver.records().filter((r) => r.data?.CF_NR === 'v2').length, 0, 'the change made while full was not read');
  t.ok(receiver.records().length < 4000, 'reading stopped before the end of the table');
  const wal = statSync(join(dataDir, 'gateway.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0;
  t.ok(wal <= 4 * 1024 * 1024, `the WAL is bounded on a full disk (${wal} bytes)`);

  freeDisk(filler);
  await expectConserved(t, { receiver, business: business.db });
  const after = await until(() => gateway.snapshot(), (snap) => snap.disk?.paused === false, 30_000);
  t.equal(after.disk?.paused, false, 'reading resumed by itself');
  t.equal((await readyz(gateway)).status, 200, '/readyz is ready again');
  t.ok(timesAnswered(receiver) <= 3, 'still no batch answered more than a few times');
  t.equal(receiver.stats().stale, 0, 'nothing arrived out of order');
  // Without checkpoints that truncate, the WAL stays at its peak (about 4 MiB here, as large as the database) for good.
  const walAfter = await until(() => statSync(join(dataDir, 'gateway.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0, (n) => n < 512 * 1024, 30_000);
  t.ok(walAfter < 512 * 1024, `after the drain the gateway truncated the WAL by itself (${walAfter} bytes; database ${statSync(join(dataDir, 'gateway.sqlite')).size})`);
});

t.test('a store at its size cap pauses reading until delivery makes room', async (t) => {
  const s = await setup(t, { rows: 3000, store: { maxSizeMiB: 2, minFreeMiB: 0, reserveMiB: 0 } });
  if (!s) return;
  const { business, receiver, gateway } = s;
  // The platform is down: the queue can only grow, until the cap stops reading.
  receiver.injectFault({ path: 'batches', status: 503, times: 1_000_000 });

  const capped = await until(() => gateway.snapshot(), (snap) => snap.disk?.reason === 'size_cap', 60_000);
  t.equal(capped.disk?.reason, 'size_cap', 'reading paused at the cap');
  t.match(capped.verdict.reasons.join('\n'), /store\.maxSizeMiB/, 'the verdict names the cap and how to raise it');
  t.ok(capped.jobs.every((j) => j.pausedFor === 'disk'), 'the job row says "paused: disk"');
  const pending = gateway.store.queueStats().pending;
  t.ok(pending > 0 && pending < 3000, `reading stopped with part of the table queued (${pending})`);
  t.equal((await readyz(gateway)).status, 503, '/readyz says not ready');
  t.match((await readyz(gateway)).body.checks.find((c) => c.name === 'disk')?.message ?? '', /store\.maxSizeMiB/);
  const metrics = await (await fetch(new URL('metrics', gateway.statusUrl!))).text();
  t.match(metrics, /credit_gateway_reading_paused 1/, '/metrics shows reading paused');
  t.match(metrics, /credit_gateway_disk_pauses_total\{reason="size_cap"\} 1/, 'and counts the pause');

  receiver.clearFaults();
  await expectConserved(t, { receiver, business: business.db });
  const after = await until(() => gateway.snapshot(), (snap) => snap.disk?.paused === false, 30_000);
  t.equal(after.disk?.paused, false, 'reading resumed once delivery made room');
  t.equal(gateway.store.queueStats().pending, 0, 'nothing was evicted: everything was delivered');
});

t.test('a page that meets SQLITE_FULL is rolled back and read again later, and the source is not blamed', async (t) => {
  // No floor and no reserve: nothing pauses reading before the disk is really full.
  const s = await setup(t, { rows: 500, tmpfsMiB: 16, store: { minFreeMiB: 0, reserveMiB: 0 } });
  if (!s) return;
  const { dataDir, business, receiver, gateway } = s;
  await untilOrFail(() => receiver.records().length, (n) => n === 500, 'the platform holds all 500 records', 60_000);
  const filler = fillDisk(dataDir);
  updateRows(business.db, Array.from({ length: 300 }, (_, i) => i + 1), 'v2'.padEnd(2000, '.'), aMinuteAgo());

  const paused = await until(() => gateway.snapshot(), (snap) => snap.disk?.reason === 'disk_full', 60_000);
  t.equal(paused.disk?.reason, 'disk_full', 'reading met a full disk and paused');
  t.equal(paused.sources.find((x) => x.name === 'biz')?.state === 'error', false, 'the source is not in error');
  t.equal(paused.jobs[0]?.lastError, null, 'the job has no error: the page waits for room');
  t.equal(paused.jobs[0]?.pausedFor, 'disk');
  t.match(paused.verdict.reasons.join('\n'), /磁盘已满/, 'the verdict names the full disk');
  t.notMatch(paused.verdict.reasons.join('\n'), /database or disk is full|读取失败/, 'and does not blame the source');
  t.ok(receiver.records().filter((r) => String(r.data?.CF_NR).startsWith('v2')).length < 300, 'not every change could be read');

  freeDisk(filler);
  await expectConserved(t, { receiver, business: business.db });
  t.ok(timesAnswered(receiver) <= 3, 'no batch was answered more than a few times');
});

t.test('kill -9 on a full disk and a restart while still full lose nothing and resend nothing more than a few times', async (t) => {
  const prepared = await prepare(t, { rows: 3000, store: { minFreeMiB: 4, reserveMiB: 2 }, rowsPerSecond: 600, tmpfsMiB: 24 });
  if (!prepared) return;
  const { file, dataDir, business, receiver } = prepared;
  receiver.injectFault({ path: 'batches', delayMs: 40, times: 1_000_000 });

  const first = startGatewayProcess(file);
  t.teardown(() => void first.child.kill('SIGKILL'));
  await untilOrFail(() => receiver.stats().accepted, (n) => n >= 300, 'the platform accepted 300 records', 60_000);
  // The platform goes down: what is read now stays queued, to be delivered on the full disk after the restart.
  receiver.clearFaults();
  receiver.injectFault({ path: 'batches', status: 503, times: 1_000_000 });
  await untilOrFail(() => receiver.batches().filter((b) => b.status === 503).length, (n) => n >= 2, 'the platform refused two batches (503)', 60_000);
  const filler = fillDisk(dataDir);
  const said = await until(() => first.output(), (out) => /reading paused/.test(out), 60_000);
  t.match(said, /reading paused/, 'the gateway logged the pause');
  first.child.kill('SIGKILL');
  await first.exited;

  const second = startGatewayProcess(file);
  t.teardown(async () => {
    second.child.kill('SIGKILL');
    await second.exited;
  });
  const resaid = await until(() => second.output(), (out) => /reading paused/.test(out), 60_000);
  t.match(resaid, /reading paused/, 'restarted on the full disk, it pauses reading again');
  const before = receiver.stats().accepted;
  receiver.clearFaults();
  const delivered = await until(() => receiver.stats().accepted, (n) => n > before, 60_000);
  t.ok(delivered > before, 'delivery goes on after the restart on the full disk');

  freeDisk(filler);
  await expectConserved(t, { receiver, business: business.db });
  t.ok(timesAnswered(receiver) <= 3, `no batch was answered more than a few times (most: ${timesAnswered(receiver)})`);
});
