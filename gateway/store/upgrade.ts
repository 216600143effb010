/**
 * A store met by a newer gateway is copied before it is migrated, so the
 * release before stays a way back (`credit-gateway rollback`): the copy goes
 * to <dataDir>/backups/gateway-v<from>-<timestamp>.sqlite (0600, the online
 * backup API, verified, see backup.ts), and the migration does not run when
 * the copy could not be made. The last few automatic copies are kept.
 *
 * A store met by an older gateway (its version above every migration this
 * gateway knows) is refused before anything is written to it.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import { backupInfoFile, backupStore } from './backup.js';
import { type DataFolder, dataFolderFiles, openDataFolder, type OpenDataFolderOptions } from './data-folder.js';
import { DataFolderLock } from './lock.js';
import type { Migration } from './migrations.js';
import { checkPrivateFiles, preparePrivateFolder, storeFiles } from './private-files.js';
import { pendingMigration } from './store-version.js';

/** Automatic pre-migration copies kept in backups/ (older ones are removed once a new one is made). */
export const KEPT_MIGRATION_BACKUPS = 3;

const AUTOMATIC = /^gateway-v(\d+)-.+\.sqlite$/;

export function backupsFolder(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** Copies the store to backups/ if a migration is due; returns the copy's path, or null when none was due. */
export async function backupBeforeMigration(dataDir: string, options: { logger: Logger; now?: () => Date; migrations?: readonly Migration[] }): Promise<string | null> {
  const files = dataFolderFiles(dataDir);
  const pending = pendingMigration(files.store, options.migrations);
  if (!pending) return null;
  const now = options.now ?? (() => new Date());
  const folder = backupsFolder(dataDir);
  const target = join(folder, `gateway-v${pending.from}-${now().toISOString().replace(/[:.]/g, '-')}.sqlite`);
  try {
    preparePrivateFolder(folder);
    await backupStore(files.store, target, { markerFile: files.marker, now });
  } catch (err) {
    throw new GatewayError('STORE_MIGRATION_BACKUP_FAILED', `store version ${pending.from} → ${pending.to}, copy to ${target}: ${(err as Error).message}`, { cause: err });
  }
  options.logger.warn({ from: pending.from, to: pending.to, backup: target }, 'store copied before its migration: `credit-gateway rollback` can return to it');
  pruneMigrationBackups(folder, KEPT_MIGRATION_BACKUPS, options.logger);
  return target;
}

export interface MigrationBackup {
  file: string;
  /** The store version the copy was made at. */
  from: number;
}

/** The automatic pre-migration copies in backups/, newest first (the timestamp in the name orders them). */
export function migrationBackups(dataDir: string): MigrationBackup[] {
  const folder = backupsFolder(dataDir);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .flatMap((name) => {
      const m = AUTOMATIC.exec(name);
      return m ? [{ name, file: join(folder, name), from: Number(m[1]) }] : [];
    })
    .sort((a, b) => b.name.slice(b.name.indexOf('-', 9)).localeCompare(a.name.slice(a.name.indexOf('-', 9))))
    .map(({ file, from }) => ({ file, from }));
}

function pruneMigrationBackups(folder: string, keep: number, logger: Logger): void {
  for (const old of migrationBackups(join(folder, '..')).slice(keep)) {
    rmSync(old.file, { force: true });
    rmSync(backupInfoFile(old.file), { force: true });
    logger.info({ backup: old.file }, 'old pre-migration copy removed');
  }
}

/**
 * openDataFolder for the commands that may meet an older store (start, run):
 * the folder's lock first (no second writer while the copy is made), then
 * the copy, then the migration in openDataFolder.
 */
export async function openDataFolderUpgrading(dir: string, options: OpenDataFolderOptions & { now?: () => Date }): Promise<DataFolder> {
  // As openDataFolder does, before SQLite reads the version and makes -shm with the store file's mode.
  if (existsSync(dir)) preparePrivateFolder(dir);
  checkPrivateFiles(storeFiles(dataFolderFiles(dir).store));
  const lock = options.lockFor ? DataFolderLock.take(dataFolderFiles(dir), options.lockFor) : null;
  try {
    const backup = await backupBeforeMigration(dir, { logger: options.logger.child({ component: 'store' }), now: options.now });
    return openDataFolder(dir, { ...options, heldLock: lock, migrationBackup: backup });
  } catch (err) {
    lock?.release();
    throw err;
  }
}
