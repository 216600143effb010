/**
 * Signed configuration bundles applied to a running gateway (issue 6):
 * real SQLite business database, real store, the reference receiver as the
 * platform offering bundles in its heartbeat answers.
 */
import t, { type Test } from 'tap';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { Gateway } from '../../../gateway/gateway.js';
import { envelopeFor, generateKeys } from '../../../gateway/control/keys.js';
import type { BundleEnvelope } from '../../../gateway/control/contract.js';
import { createReceiver, type Receiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_PENALTY_FIELDS, TEST_SECRET } from '../../helpers/business-db.js';
import { until, untilOrFail } from '../../helpers/wait.js';

const logger = pino({ level: 'silent' });


const penaltyJob = (over: Record<string, unknown> = {}) => ({
  name: 'penalties', source: 'biz', category: 'P07-002', query: 'SELECT * FROM t_penalty',
  cursor: ['updated_at', 'id'], key: ['id'],
  subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
  fields: TEST_PENALTY_FIELDS,
  ...over,
});

interface Setup {
  dir: string;
  receiver: Receiver;
  keys: ReturnType<typeof generateKeys>;
  businessFile: string;
  start(): Promise<Gateway>;
  sign(version: number, over?: Record<string, unknown>, privateKeyPem?: string): BundleEnvelope;
  heartbeats(): Record<string, unknown>[];
}

async function setup(t: Test, options: { jobs?: unknown[]; rows?: number; heartbeatSecs?: number } = {}): Promise<Setup> {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, options.rows ?? 40);
  business.db.exec('CREATE VIEW v_penalty AS SELECT * FROM t_penalty');
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const keys = generateKeys();
  writeFileSync(join(dir, 'center-public.pem'), keys.publicKeyPem);
  const sources = [{ name: 'biz', kind: 'sqlite', file: business.file }];
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: join(dir, 'data') },
    platform: { url, secretRef: 'platform', backoffBaseMs: 50, backoffMaxMs: 200, heartbeatIntervalSecs: options.heartbeatSecs ?? 3600 },
    status: { host: '127.0.0.1', port: 0 },
    scheduling: { retryBaseSecs: 1, retryMaxSecs: 2 },
    control: { publicKeyFile: 'center-public.pem', trialRows: 5, probationSecs: 30, bundleFolder: 'bundles' },
    sources,
    jobs: options.jobs ?? [penaltyJob()],
  }));
  const gateways: Gateway[] = [];
  t.teardown(async () => {
    for (const g of gateways) await g.stop().catch(() => undefined);
    business.db.close();
    await receiver.close();
  });
  return {
    dir, receiver, keys, businessFile: business.file,
    async start() {
      const g = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger, softwareVersion: 'test', schedule: false });
      gateways.push(g);
      return g;
    },
    sign(version, over = {}, privateKeyPem = keys.privateKeyPem) {
      const bundle = { gatewayId: 'hs-test', version, issuedAt: '2026-03-01T08:00:00.000Z', sources, jobs: [penaltyJob()], ...over };
      return envelopeFor(Buffer.from(JSON.stringify(bundle)), privateKeyPem);
    },
    heartbeats: () => receiver.heartbeats().map((h) => h.body as Record<string, unknown>),
  };
}

t.test('forged, wrong-gateway and old bundles offered by the platform are rejected with reasons; the running configuration stays', async (t) => {
  const s = await setup(t, { heartbeatSecs: 5 });
  const gateway = await s.start();
  const applied = await gateway.applyBundle(s.sign(5), 'admin');
  t.equal(applied.status, 'applied');
  await gateway.configSettled();
  await gateway.runJob('penalties');

  const offers: [string, BundleEnvelope, RegExp][] = [
    ['forged', s.sign(6, {}, generateKeys().privateKeyPem), /BUNDLE_SIGNATURE_INVALID/],
    ['wrong gateway', s.sign(7, { gatewayId: 'hs-other' }), /BUNDLE_WRONG_GATEWAY/],
    ['old version', s.sign(4), /BUNDLE_VERSION_NOT_NEWER/],
  ];
  for (const [what, envelope, reason] of offers) {
    s.receiver.setPendingConfig(envelope);
    const outcome = await until(() => gateway.store.lastBundleOutcome(), (o) => o?.version === envelope.version);
    t.match(outcome, { version: envelope.version, status: 'rejected', via: 'heartbeat', message: reason }, `${what}: rejected with its reason`);
    const beat = await until(() => s.heartbeats().at(-1), (h) => (h?.configApply as { version?: number } | null)?.version === envelope.version);
    t.match(beat, { configVersion: 5, configApply: { version: envelope.version, status: 'rejected', message: reason } }, `${what}: the next heartbeat reports it`);
    t.equal(gateway.configView().version, 5, `${what}: version 5 still runs`);
  }
  // The platform offering the same bundle again is not decided again.
  const rejected = gateway.store.bundleHistory(50).length;
  const again = await gateway.applyBundle(offers[0]![1], 'heartbeat');
  t.equal(again.status, 'rejected');
  t.equal(gateway.store.bundleHistory(50).length, rejected, 'a repeated heartbeat offer adds no outcome');
  t.equal((await gateway.runJob('penalties')).rowsRead, 0, 'the job still runs, from its cursor');
  t.match(gateway.snapshot().config, { version: 5, source: 'bundle', publicKey: true, issuedAt: '2026-03-01T08:00:00.000Z', lastOutcome: { version: 4, status: 'rejected' } });
});

t.test('a bundle whose job query fails on the real database is rejected with the database\'s error; the old job keeps running', async (t) => {
  const s = await setup(t);
  const gateway = await s.start();
  const outcome = await gateway.applyBundle(s.sign(1, { jobs: [penaltyJob({ query: 'SELECT * FROM t_missing' })] }), 'admin');
  t.equal(outcome.status, 'rejected');
  t.match(outcome.message, /CONTROL_TRIAL_QUERY at jobs\[0\]\.query: job "penalties": .*no such table: t_missing/);
  t.equal(gateway.configView().version, 0, 'the local configuration still runs');
  t.equal((await gateway.runJob('penalties')).rowsRead, 40, 'and its job reads');
  t.equal(gateway.store.currentBundle(), null, 'nothing was kept as applied');

  const noColumn = await gateway.applyBundle(s.sign(2, { jobs: [penaltyJob({ subject: { kind: 'legal', name: 'party', code: 'credit_code' } })] }), 'admin');
  t.match(noColumn, { status: 'rejected', message: /CONTROL_TRIAL_COLUMN_MISSING.*"party"/ }, 'a column the mapping names must be in the result');
  const allBad = await gateway.applyBundle(s.sign(3, { jobs: [penaltyJob({ subject: { kind: 'legal', name: 'party_name', code: 'content' } })] }), 'admin');
  t.match(allBad, { status: 'rejected', message: /CONTROL_TRIAL_ALL_REJECTED.*all 5 sampled rows.*subject\.code/ }, 'a sample rejected row by row is refused with the most common reason');
});

t.test('an applied bundle keeps the cursor of a job whose mapping changed, restarts one whose query changed, and never drops queued records', async (t) => {
  const s = await setup(t, { jobs: [penaltyJob(), penaltyJob({ name: 'view', query: 'SELECT * FROM v_penalty' })] });
  const gateway = await s.start();
  // The platform is down: what the jobs read stays queued across the swap.
  s.receiver.injectFault({ path: 'batches', status: 503, times: 1_000_000 });
  await gateway.runJob('penalties');
  await gateway.runJob('view');
  const cursor = gateway.store.getCursor('penalties');
  t.ok(cursor, 'the job has a cursor');
  t.ok(gateway.snapshot().queue.pending > 0, 'records are queued');

  const fields = { ...TEST_PENALTY_FIELDS, CF_NR: { column: 'content', upper: true } };
  const outcome = await gateway.applyBundle(s.sign(1, {
    jobs: [penaltyJob({ fields }), penaltyJob({ name: 'view', query: 'SELECT * FROM v_penalty WHERE id > 0' })],
  }), 'admin');
  t.equal(outcome.status, 'applied');
  await gateway.configSettled();
  t.same(gateway.store.getCursor('penalties'), cursor, 'same rows, new mapping: the cursor is kept');
  const stats = new Map(gateway.store.jobStats().map((j) => [j.job, j.total.rowsRead]));
  t.equal(stats.get('penalties'), 40, 'the job whose mapping changed read nothing again');
  t.equal(stats.get('view'), 80, 'the job whose query changed read everything again from the start');

  // A bundle without any job of the category: its queued records still go.
  t.equal((await gateway.applyBundle(s.sign(2, { jobs: [] }), 'admin')).status, 'applied');
  await gateway.configSettled();
  s.receiver.clearFaults();
  // An attempt the platform answered 503 just before the faults were cleared may end a flush with the
  // records still queued; the next attempt, after a back-off of at most 500 ms, sends them.
  await gateway.flush();
  t.equal(await until(() => gateway.snapshot().queue.pending, (n) => n === 0), 0, 'the queue drains');
  t.equal(s.receiver.records().length, 40, 'every record queued before the swaps reached the platform');
});

t.test('a bundle that breaks after the swap is rolled back to what ran before, and the jobs read again', async (t) => {
  const s = await setup(t);
  const gateway = await s.start();
  await gateway.runJob('penalties');
  t.equal(gateway.snapshot().sources[0]!.state, 'ok');
  // Passes the 5-row trial sample; fails on the row with id 11, read by the first real page.
  const query = "SELECT *, CASE WHEN id > 10 THEN json('not json') END AS boom FROM t_penalty";
  const outcome = await gateway.applyBundle(s.sign(1, { jobs: [penaltyJob({ query })] }), 'admin');
  t.equal(outcome.status, 'applied', 'the trial passed');
  await gateway.configSettled();
  const last = gateway.store.lastBundleOutcome();
  t.match(last, { version: 1, status: 'rolled_back', message: /source "biz" worked before and failed after the swap \(SOURCE_QUERY_FAILED: .*malformed JSON.*\); the local configuration file runs again/ });
  t.equal(gateway.configView().version, 0, 'the local configuration runs again');
  t.equal(gateway.store.currentBundle(), null, 'the rolled back bundle is no longer current');
  await until(() => gateway.snapshot().sources[0]!.state, (state) => state === 'ok');
  t.equal(gateway.snapshot().sources[0]!.state, 'ok', 'the source reads again');
  t.equal((await gateway.runJob('penalties')).rowsRead, 0, 'the job read everything again after the rollback and is up to date');
});

t.test('a restart runs the applied bundle; a bundle file is applied from the folder, a bad one rejected without stopping the next', async (t) => {
  const s = await setup(t);
  let gateway = await s.start();
  t.equal((await gateway.applyBundle(s.sign(3), 'admin')).status, 'applied');
  await gateway.configSettled();
  await gateway.stop();

  gateway = await s.start();
  t.equal(gateway.configView().version, 3, 'the applied bundle runs after a restart');
  await gateway.flush();
  const beat = await until(() => s.heartbeats().at(-1), (h) => h?.configVersion === 3, 10_000);
  t.equal(beat?.configVersion, 3, 'and the heartbeat says so');
  await gateway.stop();

  // The folder is watched only when schedules run.
  const folder = join(s.dir, 'bundles');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'a-bad.json'), '{"version": 4, "bundle": "bm90", ');
  writeFileSync(join(folder, 'b-good.json'), JSON.stringify(s.sign(4)));
  const file = join(s.dir, 'gateway.yaml');
  const scheduled = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), { logger, softwareVersion: 'test' });
  t.teardown(() => scheduled.stop());
  await untilOrFail(() => existsSync(join(folder, 'applied', 'b-good.json')), (ok) => ok, 'the good bundle file was applied');
  t.ok(existsSync(join(folder, 'rejected', 'a-bad.json')), 'the bad file went to rejected/');
  t.match(readFileSync(join(folder, 'rejected', 'a-bad.json.result.txt'), 'utf8'), /outcome: unreadable[\s\S]*not a JSON envelope/);
  t.match(readFileSync(join(folder, 'applied', 'b-good.json.result.txt'), 'utf8'), /outcome: applied\nversion: 4/);
  t.same(readdirSync(folder).filter((f) => f.endsWith('.json')), [], 'nothing is left in the folder');
  t.equal(scheduled.configView().version, 4);
  t.match(scheduled.store.lastBundleOutcome(), { version: 4, status: 'applied', via: 'folder' });
});
