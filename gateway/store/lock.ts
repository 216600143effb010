import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { GatewayError } from '../errors.js';

/**
 * One gateway per data folder. The lock is SQLite's own file lock (POSIX
 * fcntl, LockFileEx on Windows) on a small file, gateway.lock, held in
 * locking_mode=EXCLUSIVE for the life of the process: the operating system
 * releases it when the process ends in any way, kill -9 included, so a
 * stale lock cannot exist. Who holds it is written, after it is taken, to
 * gateway.pid, for the refusal message of the next one.
 */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export class DataFolderLock {
  readonly #db: Database.Database;
  readonly #pidFile: string;

  private constructor(db: Database.Database, pidFile: string) {
    this.#db = db;
    this.#pidFile = pidFile;
  }

  /** Takes the lock or throws STORE_LOCKED naming the process that holds it. */
  static take(files: { lock: string; pid: string }, command: string): DataFolderLock {
    let db: Database.Database | undefined;
    try {
      db = new Database(files.lock);
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      // The first write transaction takes the exclusive lock; EXCLUSIVE mode keeps it after COMMIT.
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (err) {
      db?.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new GatewayError('STORE_LOCKED', describeHolder(readHolder(files.pid)), { cause: err });
      }
      throw new GatewayError('STORE_OPEN_FAILED', `${files.lock}: ${(err as Error).message}`, { cause: err });
    }
    const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
    writeFileSync(files.pid, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
    return new DataFolderLock(db, files.pid);
  }

  release(): void {
    if (!this.#db.open) return;
    rmSync(this.#pidFile, { force: true });
    this.#db.close();
  }
}

export function readHolder(pidFile: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(pidFile, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' ? { pid: h.pid, host: String(h.host ?? '?'), since: String(h.since ?? '?'), command: String(h.command ?? '?') } : null;
  } catch {
    return null;
  }
}

function describeHolder(h: LockHolder | null): string {
  // The pid file is written just after the lock is taken: a holder that just started may not have written it yet,
  // and the file may still name the one before it, killed with -9.
  if (h && h.host === hostname() && !processAlive(h.pid)) h = null;
  return h ? `process ${h.pid} on ${h.host} (credit-gateway ${h.command}, since ${h.since}) holds it` : 'a process that has not yet said who it is holds it';
}

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
