/**
 * Issue 10 cases 2, 10 and 11 as an operator meets them, with real
 * `credit-gateway` processes, the reference receiver as the platform, and
 * the conservation check at the end of each: the store emptied or cut while
 * the gateway is stopped, an old backup put back, a new machine whose clock
 * is behind, two gateways on one data folder, kill -9 and the lock.
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { copyFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HeartbeatBody } from '../../../gateway/delivery/heartbeat-body.js';
import { createReceiver, type Receiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, updateRows, writeTestConfig } from '../../helpers/business-db.js';
import { CLI, expectConserved, startGatewayProcess, type GatewayProcess } from '../../helpers/conservation.js';
import { until, untilOrFail } from '../../helpers/wait.js';
import { besideTest } from '../../helpers/beside.js';

const ROWS = 300;
const DAY_MS = 24 * 3600 * 1000;

async function setup(t: Test, options: { clockSkewMs?: number } = {}) {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, ROWS);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET }, clockSkewMs: options.clockSkewMs });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const running: GatewayProcess[] = [];
  t.teardown(async () => {
    for (const gw of running) {
      gw.child.kill('SIGKILL');
      await gw.exited;
    }
    business.db.close();
    await receiver.close();
  });
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize: 50, batchMaxRecords: 60 });
  const start = (env?: NodeJS.ProcessEnv) => {
    const gw = startGatewayProcess(config, { env });
    running.push(gw);
    return gw;
  };
  return { dir, business, receiver, config, start, store: join(dir, 'data', 'gateway.sqlite') };
}

/** Stops a gateway as systemd would, and waits until it is gone. */
async function stop(gw: GatewayProcess): Promise<void> {
  gw.child.kill('SIGTERM');
  await gw.exited;
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const maxSeq = (receiver: Receiver) => Math.max(...receiver.records().map((r) => r.seq));

for (const damage of [
  { name: 'emptied (truncate to 0)', code: 'STORE_LOST', apply: (file: string) => truncateSync(file, 0) },
  { name: 'truncated to half', code: 'STORE_DAMAGED', apply: (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2)) },
]) {
  t.test(`a store ${damage.name} while stopped: start and run refuse it, store recover, then everything arrives`, async (t) => {
    const { business, receiver, config, start, store } = await setup(t);
    const first = start();
    await expectConserved(t, { receiver, business: business.db });
    await stop(first);
    const sentBefore = maxSeq(receiver);

    damage.apply(store);
    updateRows(business.db, [3, 150], 'v2', new Date(Date.now() - 60_000));
    const refused = start();
    t.not(await refused.exited, 0, 'start exits non-zero');
    t.match(refused.output(), new RegExp(`${damage.code}: .*\\n  what to do: .*credit-gateway store recover`));
    t.notMatch(refused.output(), /check that the data folder exists and is writable/, 'the hint says what really happened');
    const run = await cli(['run', 'penalties', '--config', config]);
    t.not(run.code, 0, 'run refuses it too');
    t.match(run.stderr, damage.code);

    const recovered = await cli(['store', 'recover', '--config', config]);
    t.equal(recovered.code, 0, recovered.stderr);
    t.match(recovered.stdout, new RegExp(`${damage.code}: recovered\\.\\n  the file found is kept as .*gateway\\.sqlite\\.`));

    start();
    await expectConserved(t, { receiver, business: business.db });
    t.ok(receiver.records().every((r) => r.seq > sentBefore), 'every record was sent again above every seq sent before');
  });
}

t.test('an old backup copied back: seqs continue above, and the changes it missed arrive', async (t) => {
  const { dir, business, receiver, start, store } = await setup(t);
  const first = start();
  await expectConserved(t, { receiver, business: business.db });
  await stop(first);
  copyFileSync(store, join(dir, 'backup.sqlite'));

  const second = start();
  updateRows(business.db, [10, 20, 30], 'v2', new Date(Date.now() - 60_000));
  await expectConserved(t, { receiver, business: business.db });
  await stop(second);
  const sentBefore = maxSeq(receiver);

  copyFileSync(join(dir, 'backup.sqlite'), store);
  updateRows(business.db, [40], 'v3', new Date(Date.now() - 60_000));
  const restored = start();
  await expectConserved(t, { receiver, business: business.db });
  t.ok(receiver.records().filter((r) => r.data?.CF_NR === 'v3').every((r) => r.seq > sentBefore), 'new versions above every seq sent before the backup came back');
  t.match(restored.output(), /a backup put back/, 'the operator is told');
});

t.test('a new machine whose clock is a day behind still sends above the platform\'s lastSeq', async (t) => {
  // The platform accepts the skew here: it is the seqs that must not go back.
  const { dir, business, receiver, start } = await setup(t, { clockSkewMs: 2 * DAY_MS });
  const first = start();
  await expectConserved(t, { receiver, business: business.db });
  await stop(first);
  const sentBefore = maxSeq(receiver);

  // Moved to a new machine without its data folder, the clock set back a day.
  rmSync(join(dir, 'data'), { recursive: true });
  updateRows(business.db, [5, 6], 'v2', new Date(Date.now() - 60_000));
  const preload = pathToFileURL(besideTest(import.meta.url, './fixtures/clock-back.mjs')).href;
  start({ NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`, CLOCK_OFFSET_MS: String(-DAY_MS) });
  await expectConserved(t, { receiver, business: business.db });
  t.ok(receiver.records().every((r) => r.seq > sentBefore), 'every version it sent is above the platform\'s lastSeq, although its clock alone would put them below');
  const startedAt = Date.parse((receiver.heartbeats().at(-1)!.body as HeartbeatBody).startedAt);
  t.ok(startedAt < Date.now() - DAY_MS / 2, 'its clock really was behind (the heartbeat\'s startedAt)');
});

t.test('two gateways on one data folder: the second is refused naming the first, which keeps delivering; kill -9 lets go', async (t) => {
  const { business, receiver, config, start } = await setup(t);
  const first = start();
  await untilOrFail(() => receiver.records().length, (n) => n > 0, 'the first gateway delivered records');
  const second = start();
  t.not(await second.exited, 0, 'the second start exits non-zero');
  t.match(second.output(), new RegExp(`STORE_LOCKED: another gateway process is using this data folder: process ${first.child.pid} on \\S+ \\(credit-gateway start, since \\d{4}-`));
  const run = await cli(['run', 'penalties', '--config', config]);
  t.not(run.code, 0, 'run, which delivers too, is refused as well');
  t.match(run.stderr, `STORE_LOCKED: another gateway process is using this data folder: process ${first.child.pid}`);
  const shown = await cli(['cursor', 'show', '--config', config]);
  t.equal(shown.code, 0, `a read-only command still works beside it ${shown.stderr}`);
  t.match(shown.stdout, /penalties \(incremental/);
  updateRows(business.db, [7, 8], 'v2', new Date(Date.now() - 60_000));
  await expectConserved(t, { receiver, business: business.db });

  first.child.kill('SIGKILL');
  await first.exited;
  updateRows(business.db, [9], 'v3', new Date(Date.now() - 60_000));
  const third = start();
  await expectConserved(t, { receiver, business: business.db });
  t.equal(third.child.exitCode, null, 'after kill -9 the next gateway took the folder and runs');
});
