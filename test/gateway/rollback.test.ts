/**
 * `credit-gateway rollback` (issue 11 item 4) on a real install layout in a
 * temp folder: two releases whose launchers print their version, the
 * `current` and `previous` links, the installed configuration, and a data
 * folder whose store the newer release migrated after copying it.
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { SOFTWARE_VERSION } from '../../gateway/version.js';
import { dataFolderFiles } from '../../gateway/store/data-folder.js';
import { DataFolderLock } from '../../gateway/store/lock.js';
import { MIGRATIONS } from '../../gateway/store/migrations.js';
import { pendingMigration } from '../../gateway/store/store-version.js';
import { openDataFolderUpgrading } from '../../gateway/store/upgrade.js';
import { TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';
import { CLI } from '../helpers/conservation.js';
import { BIG, newId, oldStore, page, rec, storeVersion } from './store/helpers.js';

const run = promisify(execFile);
const logger = pino({ level: 'silent' });
const NEWEST = MIGRATIONS.at(-1)!.version;
const OLD = '0.9.0';
const NEW = SOFTWARE_VERSION;

interface Layout {
  prefix: string;
  home: string;
  dataDir: string;
}

/** P/opt/credit-gateway/{OLD,NEW} with launchers that print their version, `current` → NEW, `previous` → OLD, and P/etc/credit-gateway/gateway.yaml. */
function fakeInstall(t: Test, options: { previous?: boolean } = {}): Layout {
  const prefix = t.testdir({});
  const home = join(prefix, 'opt', 'credit-gateway');
  for (const version of [OLD, NEW]) {
    mkdirSync(join(home, version, 'bin'), { recursive: true });
    writeFileSync(join(home, version, 'VERSION'), `${version}\n`);
    writeFileSync(join(home, version, 'bin', 'credit-gateway'), `#!/bin/sh\necho "credit-gateway ${version}"\n`, { mode: 0o755 });
  }
  symlinkSync(NEW, join(home, 'current'));
  if (options.previous !== false) symlinkSync(OLD, join(home, 'previous'));
  const etc = join(prefix, 'etc', 'credit-gateway');
  mkdirSync(etc, { recursive: true });
  writeTestConfig({ dir: etc, businessDb: join(prefix, 'business.sqlite'), platformUrl: 'http://127.0.0.1:9' });
  const dataDir = join(etc, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  return { prefix, home, dataDir };
}

/** The newer release's first start on the older release's store (copied, then migrated), and then some deliveries. */
async function upgradedAndUsed(dataDir: string): Promise<number> {
  oldStore(dataDir);
  const folder = await openDataFolderUpgrading(dataDir, { logger, lockFor: 'start' });
  folder.store.commitPage(page('penalties', [rec('1'), rec('2'), rec('3')]));
  const batch = folder.store.nextBatch(BIG, newId)!;
  folder.store.acknowledge(batch.batchId, { rejected: [], at: new Date().toISOString() });
  folder.close();
  return batch.records.at(-1)!.seq;
}

async function rollback(home: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'rollback', ...args], {
      env: { ...process.env, CREDIT_GATEWAY_HOME: home, CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function launcherSays(home: string): Promise<string> {
  return (await run(join(home, 'current', 'bin', 'credit-gateway'))).stdout.trim();
}

t.test('rollback returns to the previous release and restores the store as it was before the newer one migrated it', async (t) => {
  const { home, dataDir } = fakeInstall(t);
  const sentByNewer = await upgradedAndUsed(dataDir);
  const { store, marker } = dataFolderFiles(dataDir);
  t.equal(storeVersion(store), NEWEST, 'the newer release migrated the store');
  t.equal(await launcherSays(home), `credit-gateway ${NEW}`);

  const result = await rollback(home, '--yes');
  t.equal(result.code, 0, `rollback succeeds: ${result.stderr}`);
  t.match(result.stdout, new RegExp(`migrated the store from version ${NEWEST - 1} to ${NEWEST}`));
  t.match(result.stdout, /restart the service/);

  t.equal(readlinkSync(join(home, 'current')), OLD, 'current names the previous release');
  t.equal(readlinkSync(join(home, 'previous')), NEW, 'and the newer one stays installed as previous');
  t.equal(await launcherSays(home), `credit-gateway ${OLD}`, 'the command on PATH now runs the previous release');

  t.equal(storeVersion(store), NEWEST - 1, 'the store is back at the version the previous release knows');
  t.equal(pendingMigration(store, MIGRATIONS.slice(0, -1)), null, 'so the previous release opens it without refusing');
  const aside = readdirSync(dataDir).filter((f) => new RegExp(`^gateway\\.sqlite\\.v${NEWEST}-rolled-back-[^-]`).test(f) && !/-(wal|shm)$/.test(f));
  t.equal(aside.length, 1, 'the migrated store is kept aside, never deleted');
  t.equal(storeVersion(join(dataDir, aside[0]!)), NEWEST);

  const db = new Database(store, { readonly: true });
  t.teardown(() => db.close());
  const counter = (db.prepare('SELECT last_seq AS seq FROM seq_counter').get() as { seq: number }).seq;
  t.ok(counter >= sentByNewer, `the restored store's seqs continue above what the newer release sent (${counter} >= ${sentByNewer})`);
  t.ok((JSON.parse(readFileSync(marker, 'utf8')) as { highWater: number }).highWater >= sentByNewer, 'and the marker still remembers them');
  t.same((db.prepare('SELECT position FROM cursors').all() as { position: string }[]).map((r) => r.position), ['["2026-01-01"]'], 'the cursors are those before the upgrade: jobs re-read what changed since');
});

t.test('rollback refuses while the gateway runs, and changes nothing', async (t) => {
  const { home, dataDir } = fakeInstall(t);
  await upgradedAndUsed(dataDir);
  const lock = DataFolderLock.take(dataFolderFiles(dataDir), 'start');
  t.teardown(() => lock.release());

  const result = await rollback(home, '--yes');
  t.not(result.code, 0);
  t.match(result.stderr, /^STORE_LOCKED: .*credit-gateway start/m, 'the running gateway is named');
  t.equal(readlinkSync(join(home, 'current')), NEW, 'current is unchanged');
  t.equal(storeVersion(dataFolderFiles(dataDir).store), NEWEST, 'the store is unchanged');
});

t.test('without --yes and nobody at a terminal, rollback asks and changes nothing', async (t) => {
  const { home, dataDir } = fakeInstall(t);
  await upgradedAndUsed(dataDir);
  const result = await rollback(home);
  t.not(result.code, 0);
  t.match(result.stderr, /^ROLLBACK_NOT_CONFIRMED: /m);
  t.match(result.stderr, /what to do: .*--yes/);
  t.equal(readlinkSync(join(home, 'current')), NEW);
  t.equal(storeVersion(dataFolderFiles(dataDir).store), NEWEST);
});

t.test('a newer release that did not migrate the store: only the links change', async (t) => {
  const { home, dataDir } = fakeInstall(t);
  chmodSync(dataDir, 0o700);
  const folder = await openDataFolderUpgrading(dataDir, { logger, lockFor: 'start' });
  folder.close();
  const result = await rollback(home, '--yes');
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /was not migrated by this release/);
  t.equal(readlinkSync(join(home, 'current')), OLD);
  t.same(readdirSync(dataDir).filter((f) => f.includes('rolled-back')), [], 'the store is left as it is');
});

t.test('with nothing to return to, rollback says what to do instead', async (t) => {
  const { home, dataDir } = fakeInstall(t, { previous: false });
  await upgradedAndUsed(dataDir);
  const none = await rollback(home, '--yes');
  t.not(none.code, 0);
  t.match(none.stderr, /^ROLLBACK_NO_PREVIOUS: .*previous does not exist/m);
  t.match(none.stderr, /what to do: install the earlier release file again/);

  const nowhere = await rollback(t.testdir({}), '--yes');
  t.match(nowhere.stderr, /^ROLLBACK_NO_LAYOUT: /m);
});
