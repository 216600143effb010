/**
 * Returning to the release installed before (the install layout: under
 * CREDIT_GATEWAY_HOME, `<version>/` folders and the `current` and
 * `previous` links). With the data folder's lock held, so never under a
 * running gateway: when the release being left migrated the store, the
 * copy it made before migrating (upgrade.ts) is restored (restore.ts: the
 * migrated store kept aside, seqs continuing above every seq sent); then
 * `current` points at the previous release and `previous` at the one left,
 * which stays installed. Each link is replaced by a rename, so it always
 * names one release or the other.
 */
import { existsSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { GatewayError } from './errors.js';
import { packageRoot } from './paths.js';
import { readBackupInfo } from './store/backup.js';
import { dataFolderFiles } from './store/data-folder.js';
import { DataFolderLock } from './store/lock.js';
import { syncFolder } from './store/marker.js';
import { restoreBackup } from './store/restore.js';
import { storeVersionOf } from './store/store-version.js';
import { migrationBackups } from './store/upgrade.js';

export interface InstallLayout {
  /** P/opt/credit-gateway */
  home: string;
  /** The link targets as written (relative to home or absolute). */
  current: string;
  previous: string;
  currentVersion: string;
  previousVersion: string;
}

/** CREDIT_GATEWAY_HOME, or the folder above this release's own (…/<version>/app/dist/gateway → …). */
export function layoutHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CREDIT_GATEWAY_HOME ? resolve(env.CREDIT_GATEWAY_HOME) : resolve(packageRoot(), '..', '..');
}

/** The configuration file an installed gateway uses: P/etc/credit-gateway/gateway.yaml for home P/opt/credit-gateway. */
export function installedConfigFile(home: string): string {
  return join(home, '..', '..', 'etc', 'credit-gateway', 'gateway.yaml');
}

export function readLayout(home: string): InstallLayout {
  const current = linkOf(join(home, 'current'));
  if (current === null) throw new GatewayError('ROLLBACK_NO_LAYOUT', `${join(home, 'current')} is not a link to an installed release`);
  const previous = linkOf(join(home, 'previous'));
  if (previous === null || !existsSync(resolve(home, previous))) {
    throw new GatewayError('ROLLBACK_NO_PREVIOUS', `${join(home, 'previous')} ${previous === null ? 'does not exist' : `names ${previous}, which is not installed`}`);
  }
  return { home, current, previous, currentVersion: versionOf(home, current), previousVersion: versionOf(home, previous) };
}

export interface RollbackPlan {
  layout: InstallLayout;
  /** The pre-migration copy to restore, or null when the release being left did not migrate the store. */
  restore: { file: string; from: number; to: number } | null;
}

/** What rollback would do, decided from the layout and the data folder alone. */
export function planRollback(layout: InstallLayout, dataDir: string): RollbackPlan {
  const storeVersion = storeVersionOf(dataFolderFiles(dataDir).store);
  if (storeVersion === null) return { layout, restore: null };
  // The newest copy the release being left made before it migrated: the store as the previous release left it.
  const made = migrationBackups(dataDir).find((b) => b.from < storeVersion && madeBy(b.file) === layout.currentVersion);
  return { layout, restore: made ? { file: made.file, from: made.from, to: storeVersion } : null };
}

export interface RollbackOutcome extends RollbackPlan {
  keptAs: string | null;
  seqAbove: number | null;
}

export function rollback(plan: RollbackPlan, dataDir: string, options: { logger: Logger; now?: () => Date }): RollbackOutcome {
  const lock = DataFolderLock.take(dataFolderFiles(dataDir), 'rollback');
  try {
    let keptAs: string | null = null;
    let seqAbove: number | null = null;
    if (plan.restore) {
      const restored = restoreBackup(dataDir, plan.restore.file, {
        logger: options.logger, heldLock: lock, now: options.now, asideTag: `v${plan.restore.to}-rolled-back`, maxStoreVersion: plan.restore.from,
      });
      keptAs = restored.keptAs;
      seqAbove = restored.seqAbove;
    }
    const { home, current, previous } = plan.layout;
    replaceLink(join(home, 'current'), previous);
    replaceLink(join(home, 'previous'), current);
    options.logger.warn({ from: plan.layout.currentVersion, to: plan.layout.previousVersion, restored: plan.restore?.file ?? null }, 'rolled back to the previous release');
    return { ...plan, keptAs, seqAbove };
  } finally {
    lock.release();
  }
}

function replaceLink(link: string, target: string): void {
  const temp = `${link}.new`;
  rmSync(temp, { force: true });
  symlinkSync(target, temp);
  renameSync(temp, link);
  syncFolder(resolve(link, '..'));
}

function linkOf(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** A release's VERSION file, or its folder's name. */
function versionOf(home: string, target: string): string {
  try {
    return readFileSync(join(resolve(home, target), 'VERSION'), 'utf8').trim() || basename(target);
  } catch {
    return basename(target);
  }
}

function madeBy(file: string): string | null {
  try {
    return readBackupInfo(file).madeBy || null;
  } catch {
    return null;
  }
}
