/**
 * Upgrading a department's gateway: release N runs, queues records while the
 * platform is down, then release N+1 is installed over it with the same
 * installer a department uses. Everything queued must reach the platform
 * exactly once from the new version; configuration, secrets and cursors
 * stay as they were; the old version stays installed as `previous`.
 *
 * Both releases are built from this checkout with different version strings
 * (the code is the same; what is tested is the install and the hand-over).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { freePort } from '../../helpers/cli.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';
import { expectConserved } from '../../helpers/conservation.js';
import { buildAndUnpack, cleanEnv, install, installedCommand, outsideDir, run, untracked } from '../../helpers/release.js';

const ROWS = 150;
// Building the releases (when no other file has built them yet) takes much of this file's time.
t.setTimeout(400_000);
const work = outsideDir(t, 'upgrade');
const releaseN = buildAndUnpack(join(work, 'n'), '1.4.0');
const releaseN1 = buildAndUnpack(join(work, 'n1'), '1.5.0');

/** A loopback port nothing listens on (yet): the platform, down. */
/** The cursor positions of `cursor show` (without the times of the last run). */
function positions(cursorShow: string): string {
  return cursorShow.split('\n').filter((l) => /position/.test(l)).join('\n');
}

t.test('records queued by release N while the platform is down are delivered once by N+1', async (t) => {
  const prefix = join(work, 'server');
  const cwd = work;
  const env = cleanEnv(join(work, 'home'));
  const cli = installedCommand(prefix);
  const etc = join(prefix, 'etc', 'credit-gateway');
  const data = join(prefix, 'var', 'lib', 'credit-gateway');
  const home = join(prefix, 'opt', 'credit-gateway');

  const first = install(releaseN, ['--prefix', prefix], { cwd, env });
  t.equal(first.status, 0, 'release N installs', { output: first.output });

  const port = await freePort();
  const business = createPenaltyDb(work, ROWS);
  t.teardown(() => business.db.close());
  const config = JSON.parse(readFileSync(writeTestConfig({ dir: work, businessDb: business.file, platformUrl: `http://127.0.0.1:${port}/exchange`, batchMaxRecords: 40 }), 'utf8')) as Record<string, Record<string, unknown>>;
  config.gateway!.dataDir = data;
  config.secrets = { file: './secrets.yaml' };
  writeFileSync(join(etc, 'gateway.yaml'), JSON.stringify(config, null, 2));
  const secret = run(cli, ['secrets', 'set', 'platform', '--file', join(etc, 'secrets.yaml')], { cwd, env, input: `${TEST_SECRET}\n` });
  t.equal(secret.status, 0, 'the platform secret is stored', { output: secret.output });

  // N reads everything and tries to deliver: the platform does not answer.
  const queued = run(cli, ['run', 'penalties', '--config', join(etc, 'gateway.yaml')], { cwd, env });
  t.equal(queued.status, 4, 'release N runs the job, and its exit status says the platform could not be reached', { output: queued.output });
  t.match(queued.output, new RegExp(`queued ${ROWS}\\b`), 'and queues every row');
  t.match(queued.output, new RegExp(`${ROWS} records still queued`), 'none of which the platform, being down, acknowledged');
  const cursorN = run(cli, ['cursor', 'show', '--config', join(etc, 'gateway.yaml')], { cwd, env });
  t.match(positions(cursorN.output), new RegExp(`,${ROWS}\\]`), 'N left the cursor after the last row', { output: cursorN.output });

  const configBefore = readFileSync(join(etc, 'gateway.yaml'));
  const secretsBefore = readFileSync(join(etc, 'secrets.yaml'));
  const upgrade = install(releaseN1, ['--prefix', prefix], { cwd, env });
  t.equal(upgrade.status, 0, 'release N+1 installs over N', { output: upgrade.output });
  t.match(upgrade.output, /previous -> 1\.4\.0/, 'saying which version it replaced');
  t.equal(readlinkSync(join(home, 'current')), '1.5.0', 'current points to N+1');
  t.equal(readlinkSync(join(home, 'previous')), '1.4.0', 'previous points to N');
  t.ok(existsSync(join(home, '1.4.0', 'bin', 'credit-gateway')), 'which stays installed, for a rollback');
  t.same(readFileSync(join(etc, 'gateway.yaml')), configBefore, 'the configuration is untouched');
  t.same(readFileSync(join(etc, 'secrets.yaml')), secretsBefore, 'so are the secrets');
  t.equal(run(cli, ['--version'], { cwd, env }).output.trim(), '1.5.0', 'the command now runs N+1');
  const cursorN1 = run(cli, ['cursor', 'show', '--config', join(etc, 'gateway.yaml')], { cwd, env });
  t.equal(positions(cursorN1.output), positions(cursorN.output), 'N+1 finds the cursors where N left them');

  // The platform is back; N+1 starts as the service would.
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  await receiver.listen(port, '127.0.0.1');
  t.teardown(() => receiver.close());
  const [cmd, args] = untracked(cli, ['start', '--config', join(etc, 'gateway.yaml')]);
  const gateway = spawn(cmd, args, { cwd, env: { ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  gateway.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  gateway.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
  t.teardown(() => gateway.kill('SIGKILL'));

  await expectConserved(t, { receiver, business: business.db });
  const stats = receiver.stats();
  t.equal(stats.accepted, ROWS, 'every queued record was accepted once', { output: out });
  t.equal(stats.duplicates, 0, 'none arrived twice');
  gateway.kill('SIGTERM');
  t.equal(await exited, 0, 'N+1 stops cleanly');

  const cursorAfter = run(cli, ['cursor', 'show', '--config', join(etc, 'gateway.yaml')], { cwd, env });
  t.equal(positions(cursorAfter.output), positions(cursorN.output), 'and, with no new rows, leaves the cursors where they were');
});
