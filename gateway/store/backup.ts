/**
 * A consistent copy of the store, made while the gateway may be running:
 * SQLite's online backup API on a read-only connection (the folder's lock
 * is not taken, the running gateway is never held up). The copy is written
 * to a temp file created 0600, checked with `PRAGMA quick_check`, synced and
 * renamed into place, so FILE is either a whole verified store or absent.
 * With store.encryption the copy stays sealed: values are copied as stored.
 *
 * Beside it, FILE.json records what a restore needs to keep issue 10's
 * promise that seqs never go back: the store's id, its schema version and
 * the highest seq this data folder ever batched (the marker's high-water at
 * the time of the copy, or the copy's own counter when higher). A restore
 * (restore.ts) continues above it and above whatever the folder learnt since.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError } from '../errors.js';
import { SOFTWARE_VERSION } from '../version.js';
import { readMarker, syncFolder } from './marker.js';

export interface BackupInfo {
  /** The store's random id (null for a store older than store identities). */
  storeId: string | null;
  /** PRAGMA user_version of the copy: the last migration it has. */
  storeVersion: number;
  /** Seqs after a restore continue above this. */
  highWater: number;
  madeAt: string;
  /** The store file copied. */
  from: string;
  /** The gateway release that made the copy (for a pre-migration copy: the release that then migrated the store). */
  madeBy: string;
}

export function backupInfoFile(file: string): string {
  return `${file}.json`;
}

/** sqlite3_backup_step's page count for "all that remain", as better-sqlite3 takes it (it refuses negatives). */
const ALL_PAGES = 0x7fffffff;

/** Copies the store `storeFile` (with the marker `markerFile` beside it, if any) to `target`. */
export async function backupStore(storeFile: string, target: string, options: { markerFile?: string; now?: () => Date } = {}): Promise<BackupInfo> {
  const now = options.now ?? (() => new Date());
  const temp = `${target}.partial`;
  let source: Database.Database;
  try {
    source = new Database(storeFile, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new GatewayError('STORE_BACKUP_FAILED', `${storeFile} cannot be opened: ${(err as Error).message}`, { cause: err });
  }
  try {
    // Read before the copy: a seq batched meanwhile is at most above it, and the copy's counter is read too.
    const markerHighWater = options.markerFile ? markerHighWaterOf(options.markerFile) : 0;
    try {
      // Created 0600 before SQLite writes into it: the copy holds what the store holds.
      closeSync(openSync(temp, 'w', 0o600));
      // In one step, not SQLite's 100 pages a step: a write by the running gateway between two steps
      // restarts a stepwise copy from its first page, so a busy gateway could keep it from ever ending.
      // One step reads one snapshot; in WAL mode the gateway goes on writing meanwhile.
      await source.backup(temp, { progress: () => ALL_PAGES });
      singleFile(temp);
    } catch (err) {
      removeTemp(temp);
      throw new GatewayError('STORE_BACKUP_FAILED', `writing ${target}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const info = verifyCopy(temp, { storeFile, markerHighWater, madeAt: now().toISOString() });
      syncFile(temp);
      writeInfo(backupInfoFile(target), info);
      renameSync(temp, target);
      syncFolder(dirname(target));
      return info;
    } catch (err) {
      removeTemp(temp);
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('STORE_BACKUP_FAILED', `finishing ${target}: ${(err as Error).message}`, { cause: err });
    }
  } finally {
    source.close();
  }
}

/**
 * A backup checked before it is put back: it must pass quick_check; its
 * high-water is the higher of what was recorded with it and its own counter.
 */
export function inspectBackup(file: string): BackupInfo {
  const recorded = readBackupInfo(file);
  const seen = verifyCopy(file, { storeFile: recorded.from, markerHighWater: recorded.highWater, madeAt: recorded.madeAt });
  return { ...seen, madeBy: recorded.madeBy };
}

/** The information a backup was written with; for a copy without one, what the copy itself shows. */
export function readBackupInfo(file: string): BackupInfo {
  try {
    const parsed = JSON.parse(readFileSync(backupInfoFile(file), 'utf8')) as Partial<BackupInfo>;
    if (Number.isSafeInteger(parsed.highWater) && Number.isSafeInteger(parsed.storeVersion)) {
      return {
        storeId: typeof parsed.storeId === 'string' ? parsed.storeId : null,
        storeVersion: parsed.storeVersion!,
        highWater: parsed.highWater!,
        madeAt: String(parsed.madeAt ?? ''),
        from: String(parsed.from ?? ''),
        madeBy: String(parsed.madeBy ?? ''),
      };
    }
  } catch {
    // No information file: a copy made by other means (an operator's sqlite3 .backup); read the file itself.
  }
  return { ...verifyCopy(file, { storeFile: file, markerHighWater: 0, madeAt: '' }), madeBy: '' };
}

function verifyCopy(file: string, o: { storeFile: string; markerHighWater: number; madeAt: string }): BackupInfo {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new GatewayError('STORE_BACKUP_FAILED', `the copy ${file} cannot be opened: ${(err as Error).message}`, { cause: err });
  }
  try {
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw new GatewayError('STORE_BACKUP_FAILED', `the copy ${file} fails quick_check: ${problems.slice(0, 3).join('; ')}`);
    const storeVersion = db.pragma('user_version', { simple: true }) as number;
    const counter = scalar(db, 'SELECT last_seq AS v FROM seq_counter WHERE id = 1');
    const storeId = scalar(db, 'SELECT id AS v FROM store_identity WHERE single = 1');
    return {
      storeId: typeof storeId === 'string' ? storeId : null,
      storeVersion,
      highWater: Math.max(o.markerHighWater, typeof counter === 'number' ? counter : 0),
      madeAt: o.madeAt,
      from: o.storeFile,
      madeBy: SOFTWARE_VERSION,
    };
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError('STORE_BACKUP_FAILED', `checking the copy ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    db.close();
  }
}

/** A table a store at an old version does not have yet reads as absent. */
function scalar(db: Database.Database, sql: string): unknown {
  try {
    return (db.prepare(sql).get() as { v: unknown } | undefined)?.v;
  } catch {
    return undefined;
  }
}

/** The copy keeps the store's WAL mode: switched to a rollback journal, it is one self-contained file (a restore switches back). */
function singleFile(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function removeTemp(temp: string): void {
  for (const f of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]) rmSync(f, { force: true });
}

function markerHighWaterOf(file: string): number {
  try {
    return readMarker(file)?.highWater ?? 0;
  } catch {
    // A damaged marker does not stop a backup: the copy's own counter still bounds the seqs it used.
    return 0;
  }
}

function writeInfo(file: string, info: BackupInfo): void {
  const temp = `${file}.partial`;
  try {
    writeFileSync(temp, `${JSON.stringify(info)}\n`, { mode: 0o600 });
    syncFile(temp);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new GatewayError('STORE_BACKUP_FAILED', `writing ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The file's bytes on disk before it is renamed into place. */
export function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
