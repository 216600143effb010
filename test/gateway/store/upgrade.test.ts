/**
 * Upgrading a store (issue 11 item 4): a store left by an earlier release is
 * copied to backups/ before it is migrated, and not migrated when the copy
 * fails; an earlier release refuses a store a later one migrated. The old
 * stores are made with the real earlier migrations.
 */
import t from 'tap';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { GATEWAY_ERRORS } from '../../../gateway/errors.js';
import { SOFTWARE_VERSION } from '../../../gateway/version.js';
import { dataFolderFiles, openDataFolder } from '../../../gateway/store/data-folder.js';
import { MIGRATIONS, migrate } from '../../../gateway/store/migrations.js';
import { pendingMigration } from '../../../gateway/store/store-version.js';
import { backupBeforeMigration, KEPT_MIGRATION_BACKUPS, migrationBackups, openDataFolderUpgrading } from '../../../gateway/store/upgrade.js';
import { mountTmpfs } from '../../helpers/tmpfs.js';
import { BIG, newId, oldStore, page, rec, storeVersion as versionOf } from './helpers.js';

const logger = pino({ level: 'silent' });
const NEWEST = MIGRATIONS.at(-1)!.version;
const OLDER = MIGRATIONS.slice(0, -1);

t.test('a store from an earlier release is copied to backups/ before it is migrated', async (t) => {
  const dir = t.testdir({});
  const store = oldStore(dir);
  t.equal(versionOf(store), NEWEST - 1, 'the store is at the earlier release\'s version');
  const folder = await openDataFolderUpgrading(dir, { logger, lockFor: 'start', now: () => new Date('2026-12-01T10:00:00Z') });
  t.teardown(() => folder.close());
  t.same(folder.store.getCursor('penalties'), ['2026-01-01'], 'the migrated store keeps its cursors');
  t.equal(versionOf(store), NEWEST, 'and is migrated');

  const [copy, ...more] = migrationBackups(dir);
  t.same(more, [], 'one copy');
  t.equal(copy!.file, join(dir, 'backups', `gateway-v${NEWEST - 1}-2026-12-01T10-00-00-000Z.sqlite`));
  t.equal(copy!.from, NEWEST - 1);
  t.equal(versionOf(copy!.file), NEWEST - 1, 'the copy is the store before the migration');
  t.equal(statSync(copy!.file).mode & 0o777, 0o600, 'private to the gateway user');
  t.equal(statSync(join(dir, 'backups')).mode & 0o777, 0o700);
  const db = new Database(copy!.file, { readonly: true });
  t.equal(db.pragma('quick_check', { simple: true }), 'ok');
  t.equal((db.prepare('SELECT count(*) AS n FROM cursors').get() as { n: number }).n, 1, 'with what the store held');
  db.close();
  t.match(JSON.parse(readFileSync(`${copy!.file}.json`, 'utf8')), { storeVersion: NEWEST - 1, madeBy: SOFTWARE_VERSION }, 'and says which release made it (rollback looks for it)');
});

t.test('a store already at the newest version, or a new one, is not copied', async (t) => {
  const dir = t.testdir({});
  chmodSync(dir, 0o700);
  (await openDataFolderUpgrading(dir, { logger, lockFor: 'start' })).close();
  (await openDataFolderUpgrading(dir, { logger, lockFor: 'start' })).close();
  t.same(readdirSync(dir).filter((f) => f === 'backups'), []);
});

t.test('without a copy the migration does not run', async (t) => {
  const dir = t.testdir({});
  const store = oldStore(dir);
  t.equal(versionOf(store), NEWEST - 1, 'the store is at the earlier release\'s version');
  t.throws(() => openDataFolder(dir, { logger, lockFor: 'start' }), { code: 'STORE_UPGRADE_PENDING' });
  t.equal(versionOf(store), NEWEST - 1, 'the store is untouched');
});

t.test('a copy that cannot be made (a full disk) stops the migration with its code, and leaves nothing half-written', async (t) => {
  const disk = mountTmpfs(t, 4);
  if (!disk) return;
  // About 2 MiB of queued rows on a 4 MiB disk: the store fits, a second copy of it does not.
  const store = oldStore(disk, 2_000_000);
  const err = await openDataFolderUpgrading(disk, { logger, lockFor: 'start' }).then(() => null, (e: unknown) => e as { code: string; message: string; action: string });
  t.match(err, { code: 'STORE_MIGRATION_BACKUP_FAILED', message: new RegExp(`store version ${NEWEST - 1} → ${NEWEST}.*backups/gateway-v${NEWEST - 1}-`) });
  t.equal(err?.action, GATEWAY_ERRORS.STORE_MIGRATION_BACKUP_FAILED.action);
  t.equal(versionOf(store), NEWEST - 1, 'the store was not migrated');
  t.same(readdirSync(join(disk, 'backups')), [], 'no partial copy is left');
  t.same(readdirSync(disk).filter((f) => f === 'gateway.pid'), [], 'and the lock is let go');
});

t.test(`only the last ${KEPT_MIGRATION_BACKUPS} automatic copies are kept`, async (t) => {
  const dir = t.testdir({});
  oldStore(dir);
  for (let day = 1; day <= 5; day++) {
    await backupBeforeMigration(dir, { logger, now: () => new Date(`2026-12-0${day}T10:00:00Z`) });
  }
  t.same(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.sqlite')).sort(), [3, 4, 5].map((d) => `gateway-v${NEWEST - 1}-2026-12-0${d}T10-00-00-000Z.sqlite`));
  t.same(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.json')).length, 3, 'their restore information goes with them');
});

t.test('an earlier release refuses a store a later one migrated, naming both versions and the way out', async (t) => {
  const dir = t.testdir({});
  chmodSync(dir, 0o700);
  const folder = openDataFolder(dir, { logger, lockFor: 'start' });
  folder.store.commitPage(page('penalties', [rec('1')]));
  t.ok(folder.store.nextBatch(BIG, newId));
  folder.close();
  const { store } = dataFolderFiles(dir);

  // The earlier release knows one migration less.
  t.throws(() => pendingMigration(store, OLDER), {
    code: 'STORE_NEWER_THAN_GATEWAY',
    message: new RegExp(`store version ${NEWEST}; this gateway \\(${SOFTWARE_VERSION.replace(/\./g, '\\.')}\\) knows store versions up to ${NEWEST - 1}`),
  });
  const db = new Database(store);
  t.teardown(() => db.close());
  t.throws(() => migrate(db, logger, OLDER), { code: 'STORE_NEWER_THAN_GATEWAY', message: new RegExp(`version ${NEWEST}; this gateway knows store versions up to ${NEWEST - 1}`) });
  t.match(GATEWAY_ERRORS.STORE_NEWER_THAN_GATEWAY.action, /install the newer release again.*credit-gateway rollback/);
  t.equal(versionOf(store), NEWEST, 'nothing was written to it');
});
