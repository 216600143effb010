/**
 * `credit-gateway run` as a script or a scheduler runs it: the built CLI as a
 * child process against the reference receiver, judged by its exit status
 * and its one stderr line.
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createReceiver, type Receiver } from '../../scripts/receiver/index.js';
import { EXIT } from '../../gateway/exit-status.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';
import { CLI } from '../helpers/conservation.js';

const execute = promisify(execFile);

async function run(args: string[], secret = TEST_SECRET): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execute(process.execPath, [CLI, ...args], { env: { ...process.env, CREDIT_GATEWAY_SECRET_PLATFORM: secret, LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function receiver(t: Test): Promise<{ receiver: Receiver; url: string }> {
  const r = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await r.listen(0, '127.0.0.1');
  t.teardown(() => r.close());
  return { receiver: r, url };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** 25 penalty rows, rows 3 and 4 with broken credit codes, read 10 a page; the platform pauses an hour after a 401. */
function department(t: Test, platformUrl: string, edit: (c: Record<string, any>) => void = () => undefined): string {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 25, { invalid: [3, 4] });
  business.db.close();
  const file = writeTestConfig({ dir, businessDb: business.file, platformUrl, pageSize: 10 });
  const config = JSON.parse(readFileSync(file, 'utf8'));
  // Were run to wait out the daemon's pause after a refused signature, the auth test would hang for an hour.
  config.platform.authRetrySecs = 3600;
  edit(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** The one line a scheduler's log shows for a run that did not finish. */
const verdict = (code: string, status: number) => new RegExp(`^credit-gateway run penalties: ${code} \\(exit ${status}\\): .*\\n  what to do: .+`, 'm');

t.test('success: exit 0, the queue empty, the receiver holds every valid row, the top reasons and where to see them all, progress lines off a terminal', async (t) => {
  const { receiver: platform, url } = await receiver(t);
  const config = department(t, url);
  const r = await run(['run', 'penalties', '--config', config, '--progress-secs', '0', '--count']);
  t.equal(r.code, EXIT.OK, r.stderr);
  t.match(r.stdout, /^penalties: read 25 rows in 3 pages, queued 23, unchanged 0, rejected 2, deleted 0\ndelivered: queue empty\n/);
  t.equal(platform.records().length, 23, 'the platform holds every valid row');
  t.match(r.stdout, /top rejection reasons \(2 findings; a row may have several\):\n  2  CREDIT_CODE_CHECK \(subject\.code\): 统一社会信用代码校验位错误/);
  t.match(r.stdout, new RegExp(`all of them: credit-gateway rejections -c ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --job penalties`));
  t.notMatch(r.stderr, /credit-gateway run penalties:/, 'no failure line');
  // Off a terminal: a plain line per page (asked for with --progress-secs 0), never a carriage return.
  const progress = r.stderr.split('\n').filter((l) => l.startsWith('penalties: '));
  // --count: the rows to read are counted first, so each line has the share read and the time left.
  t.match(progress, [
    /^penalties: 25 rows to read$/,
    /^penalties: 10 of 25 rows read \(40%\), \d[\d,]* rows\/s, queued 8, rejected 2, \d+s elapsed, about \d+s left$/,
    /^penalties: 20 of 25 rows read \(80%\), .*queued 18, rejected 2, .*, about \d+s left$/,
    /^penalties: 25 of 25 rows read \(100%\), .*queued 23, rejected 2, .*, about 0s left$/,
  ]);
  t.notMatch(r.stderr, /\r/);
});

t.test('a wrong platform secret: exit 3 at the first refusal, not after the daemon\'s pause', async (t) => {
  const { receiver: platform, url } = await receiver(t);
  const config = department(t, url);
  const r = await run(['run', 'penalties', '--config', config], 'not-the-secret-the-center-issued');
  t.equal(r.code, EXIT.AUTH, r.stderr);
  t.match(r.stderr, verdict('RUN_AUTH_REFUSED', 3));
  t.match(r.stderr, /RUN_AUTH_REFUSED \(exit 3\): the platform refused this gateway's signature or credentials: 23 records still queued; DELIVERY_AUTH: AUTH_/);
  t.match(r.stderr, /what to do: check the secret named by platform\.secretRef/);
  t.notMatch(r.stderr, /not-the-secret/, 'the secret is never shown');
  t.match(r.stdout, /23 records still queued: DELIVERY_AUTH/);
  t.equal(platform.records().length, 0);
});

t.test('the platform unreachable (nothing listens on its port): exit 4', async (t) => {
  const config = department(t, `http://127.0.0.1:${await closedPort()}/exchange`);
  const r = await run(['run', 'penalties', '--config', config]);
  t.equal(r.code, EXIT.UNREACHABLE, r.stderr);
  t.match(r.stderr, verdict('RUN_PLATFORM_UNREACHABLE', 4));
  t.match(r.stderr, /23 records still queued; DELIVERY_UNREACHABLE: .*ECONNREFUSED/);
  t.match(r.stderr, /what to do: check platform\.url, the extranet link/);
});

t.test('the platform answering 503: exit 5, the queue not drained; a later run sends what was left', async (t) => {
  const { receiver: platform, url } = await receiver(t);
  platform.injectFault({ status: 503, times: 1000, path: 'batches' });
  const config = department(t, url);
  const r = await run(['run', 'penalties', '--config', config]);
  t.equal(r.code, EXIT.INCOMPLETE, r.stderr);
  t.match(r.stderr, verdict('RUN_QUEUE_NOT_DRAINED', 5));
  t.match(r.stderr, /delivery did not finish: 23 records still queued; DELIVERY_SERVER_ERROR: HTTP 503/);
  t.equal(platform.records().length, 0);
  platform.clearFaults();
  const later = await run(['run', 'penalties', '--config', config]);
  t.equal(later.code, EXIT.OK, later.stderr);
  t.equal(platform.records().length, 23);
});

t.test('a misspelled column rejects every row: exit 6 with the reasons, even without delivery', async (t) => {
  const config = department(t, 'http://127.0.0.1:9/exchange', (c) => {
    c.jobs[0].subject.code = 'credit_codee';
  });
  const r = await run(['run', 'penalties', '--config', config, '--no-deliver']);
  t.equal(r.code, EXIT.ALL_REJECTED, r.stderr);
  t.match(r.stdout, /read 25 rows in 3 pages, queued 0, unchanged 0, rejected 25/);
  t.match(r.stdout, /top rejection reasons \(\d+ findings; a row may have several\):\n +25  \S+ \(subject\.code\): /);
  t.match(r.stderr, verdict('RUN_ALL_REJECTED', 6));
  t.match(r.stderr, /25 of 25 rows rejected/);
});

t.test('--no-deliver exits 0 when reading worked; a source that cannot be read exits 2', async (t) => {
  const config = department(t, 'http://127.0.0.1:9/exchange');
  const read = await run(['run', 'penalties', '--config', config, '--no-deliver']);
  t.equal(read.code, EXIT.OK, read.stderr);
  t.notMatch(read.stdout, /delivered|still queued/, 'no delivery was tried');
  const missing = department(t, 'http://127.0.0.1:9/exchange', (c) => {
    c.sources[0].file = join(c.gateway.dataDir, '..', 'no-such-database.sqlite');
  });
  const broken = await run(['run', 'penalties', '--config', missing, '--no-deliver']);
  t.equal(broken.code, EXIT.SOURCE, broken.stderr);
  t.match(broken.stderr, /^SOURCE_\w+: .*\n  what to do: /m);
});
