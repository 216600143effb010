/**
 * Putting a backup (backup.ts) back into a data folder, with the folder's
 * lock held (never under a running gateway). The store found there is
 * renamed aside with its -wal and -shm, never deleted. The copy goes in
 * through a 0600 temp file and a rename, and its seq counter is raised
 * first above every seq this folder may have sent: the marker's high-water,
 * the backup's, and the counter of the store it replaces. So a restored
 * store never hands out a seq the platform already holds (issue 10), and
 * its jobs re-read from the cursors it had, the platform keeping the latest
 * version of each record.
 *
 * What the copy still had queued may have been delivered since by the store
 * it replaces: a queued row whose seq that store no longer holds in its
 * outbox, for a record it has at that seq or later, was acknowledged, and
 * is dropped from the copy, so no seq the platform holds is sent again in a
 * new batch; unless that seq is still the record's newest there and was
 * never answered (quarantined, its line damaged in that store): the copy
 * sends it. Without the replaced store (a restore onto a new machine) such
 * rows go again under their own seqs, which the platform ignores as older
 * than what it holds.
 */
import { chmodSync, closeSync, copyFileSync, existsSync, openSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import { type BackupInfo, inspectBackup, syncFile } from './backup.js';
import { dataFolderFiles, giveToFolderOwner } from './data-folder.js';
import { DataFolderLock } from './lock.js';
import { readMarker, syncFolder, writeMarker } from './marker.js';
import { preparePrivateFolder, storeFiles } from './private-files.js';
import { byId, compactSql, expandSql } from './record-ids.js';
import { newestVersion } from './store-version.js';

export interface RestoreOutcome {
  backup: BackupInfo;
  /** Where the store found in the folder was moved; null when there was none. */
  keptAs: string | null;
  /** The restored store's seqs continue above this. */
  seqAbove: number;
}

export interface RestoreOptions {
  logger: Logger;
  /** The lock when the caller already holds it (rollback); otherwise taken here for `command`. */
  heldLock?: DataFolderLock;
  command?: string;
  now?: () => Date;
  /** Why the store found is set aside, in its new name (e.g. `v7-rolled-back`). */
  asideTag?: string;
  /** Refuse a backup from a store version above this (a store this gateway could not open). */
  maxStoreVersion?: number;
}

export function restoreBackup(dir: string, backupFile: string, options: RestoreOptions): RestoreOutcome {
  const files = dataFolderFiles(dir);
  const now = options.now ?? (() => new Date());
  if (!existsSync(backupFile)) throw new GatewayError('STORE_RESTORE_FAILED', `${backupFile} does not exist`);
  let backup: BackupInfo;
  try {
    backup = inspectBackup(backupFile);
  } catch (err) {
    throw new GatewayError('STORE_RESTORE_FAILED', `${backupFile}: ${(err as Error).message}`, { cause: err });
  }
  const max = options.maxStoreVersion ?? newestVersion();
  if (backup.storeVersion > max) {
    throw new GatewayError('STORE_RESTORE_FAILED', `${backupFile} is store version ${backup.storeVersion}; this gateway knows store versions up to ${max}: restore it with the release that made it (${backup.madeBy || 'a newer one'})`);
  }
  preparePrivateFolder(dir);
  const lock = options.heldLock ?? DataFolderLock.take(files, options.command ?? 'store restore');
  try {
    let markerHighWater = 0;
    try {
      markerHighWater = readMarker(files.marker)?.highWater ?? 0;
    } catch {
      // A damaged marker: the counters below still bound the seqs used.
    }
    const replacedCounter = existsSync(files.store) ? counterOf(files.store) : 0;
    const seqAbove = Math.max(markerHighWater, backup.highWater, replacedCounter);

    const temp = `${files.store}.restoring`;
    try {
      closeSync(openSync(temp, 'w', 0o600));
      copyFileSync(backupFile, temp);
      chmodSync(temp, 0o600);
      const db = new Database(temp, { fileMustExist: true });
      try {
        db.prepare('UPDATE seq_counter SET last_seq = max(last_seq, ?) WHERE id = 1').run(seqAbove);
        if (existsSync(files.store)) dropAcknowledged(db, files.store, options.logger);
      } finally {
        db.close();
      }
      syncFile(temp);
    } catch (err) {
      for (const f of storeFiles(temp)) rmSync(f, { force: true });
      throw new GatewayError('STORE_RESTORE_FAILED', `copying ${backupFile} into ${dir}: ${(err as Error).message}`, { cause: err });
    }

    let keptAs: string | null = null;
    if (existsSync(files.store)) {
      keptAs = `${files.store}.${options.asideTag ?? 'before-restore'}-${now().toISOString().replace(/[:.]/g, '-')}`;
      // The -wal holds the newest commits of the store set aside: it goes with it.
      for (const [from, to] of storeFiles(files.store).map((f, i) => [f, storeFiles(keptAs!)[i]!] as const)) {
        if (existsSync(from)) renameSync(from, to);
      }
    }
    renameSync(temp, files.store);
    syncFolder(dir);
    if (backup.storeId) {
      writeMarker(files.marker, { storeId: backup.storeId, highWater: seqAbove, updatedAt: now().toISOString() });
    } else {
      // A store from before store identities: its own counter, raised above, keeps the seqs rising.
      rmSync(files.marker, { force: true });
    }
    giveToFolderOwner(dir, [files.store, files.marker, files.lock]);
    options.logger.warn({ backup: backupFile, keptAs, seqAbove }, 'store restored from a backup: its seqs continue above every seq sent; its jobs re-read what changed since the backup');
    return { backup, keptAs, seqAbove };
  } finally {
    if (!options.heldLock) lock.release();
  }
}

/** Removes from the copy `db` what the store `replaced` shows the platform acknowledged (see the top). */
function dropAcknowledged(db: Database.Database, replaced: string, logger: Logger): void {
  try {
    db.prepare('ATTACH DATABASE ? AS replaced').run(replaced);
  } catch (err) {
    logger.warn({ err, replaced }, 'the store replaced cannot be read: what the backup had queued is sent again under its own seqs');
    return;
  }
  try {
    db.transaction(() => {
      // Either store may be of an older version (a rollback restores the copy made before a migration):
      // each one's record ids are matched in the form that store keeps them (record-ids.ts).
      const idIn = (schema: string, expr: string) => (compactIds(db, schema) ? compactSql(expr) : expandSql(expr));
      // A row that left the replaced store's outbox while still its record's newest version, unanswered (queued:
      // quarantined before migration 12; rejected_local since), was lost there, not acknowledged: the copy sends it.
      const acknowledged = db.prepare(`
        DELETE FROM main.outbox AS o
        WHERE NOT EXISTS (SELECT 1 FROM replaced.outbox r WHERE r.seq = o.seq)
          AND EXISTS (
            SELECT 1 FROM replaced.record_state s WHERE ${byId('s.id', idIn('replaced', 'o.record_id'))} AND s.last_seq >= o.seq
              AND NOT (s.last_seq = o.seq AND s.status IN ('queued', 'rejected_local')))
        RETURNING seq, record_id AS id`).all() as { seq: number; id: string | Buffer }[];
      // The record's newest version in the copy is now known to be at the platform, as the replaced store recorded it.
      const settle = db.prepare(`
        UPDATE main.record_state SET status = CASE
          WHEN (SELECT last_seq FROM replaced.record_state WHERE ${byId('id', idIn('replaced', '@id'))}) = @seq
            THEN (SELECT status FROM replaced.record_state WHERE ${byId('id', idIn('replaced', '@id'))})
          ELSE 'delivered' END
        WHERE ${byId('id', idIn('main', '@id'))} AND last_seq = @seq AND status = 'queued'`);
      for (const row of acknowledged) settle.run(row);
      db.exec(batchRanges(db)
        ? 'DELETE FROM main.batches WHERE NOT EXISTS (SELECT 1 FROM main.outbox WHERE seq BETWEEN first_seq AND last_seq)'
        : 'DELETE FROM main.batches WHERE id NOT IN (SELECT batch_id FROM main.outbox WHERE batch_id IS NOT NULL)');
      // Chunks of lines (migration 11 and later) whose rows all left go with them.
      if (db.prepare(`SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'outbox_chunks'`).get() !== undefined) {
        db.exec('DELETE FROM main.outbox_chunks WHERE NOT EXISTS (SELECT 1 FROM main.outbox WHERE seq BETWEEN first_seq AND last_seq)');
      }
      if (acknowledged.length > 0) logger.info({ dropped: acknowledged.length }, 'rows the backup had queued were acknowledged since: not sent again');
    }).immediate();
  } finally {
    db.exec('DETACH DATABASE replaced');
  }
}

/** Whether that store keeps record ids compact (migration 7 and later). */
function compactIds(db: Database.Database, schema: string): boolean {
  return db.prepare(`SELECT 1 FROM pragma_table_info('record_state', '${schema}') WHERE name = 'rid'`).get() !== undefined;
}

/** Whether the copy keeps batches as seq ranges (migration 8 and later). */
function batchRanges(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM pragma_table_info('batches', 'main') WHERE name = 'last_seq'`).get() !== undefined;
}

function counterOf(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT last_seq AS seq FROM seq_counter WHERE id = 1').get() as { seq: number } | undefined)?.seq ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

