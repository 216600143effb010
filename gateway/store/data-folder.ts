/**
 * The gateway's only way to its store: the data folder, which holds
 *   gateway.sqlite      the store (store.ts);
 *   gateway.store.json  the marker (marker.ts): the store's id and the highest
 *                       seq ever batched from this folder;
 *   gateway.lock, gateway.pid   the folder's lock and who holds it (lock.ts).
 *
 * Opening checks, before anything runs, that the store is the one the marker
 * names and is whole: an emptied or deleted store (STORE_LOST), a damaged
 * one (STORE_DAMAGED) or another store put in its place (STORE_REPLACED) is
 * refused, never silently started afresh, since a fresh counter would hand
 * out seqs the platform already holds and it would keep the old versions.
 * A backup of the same store put back (its counter below the marker's
 * high-water) continues above the high-water. `recoverDataFolder` is the way
 * out of a refusal: the file found is renamed aside, never deleted, and a new
 * store starts above every seq used before.
 */
import { chownSync, existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import { DataFolderLock } from './lock.js';
import { type Marker, readMarker, syncFolder, writeMarker } from './marker.js';
import type { PayloadCipher } from './payload-crypto.js';
import { checkPrivateFiles, preparePrivateFolder, storeFiles } from './private-files.js';
import { headerProblem, isCorruption } from './store-file.js';
import { Store } from './store.js';
import { pendingMigration } from './store-version.js';

export interface DataFolderFiles {
  store: string;
  marker: string;
  lock: string;
  pid: string;
}

export function dataFolderFiles(dir: string): DataFolderFiles {
  return {
    store: join(dir, 'gateway.sqlite'),
    marker: join(dir, 'gateway.store.json'),
    lock: join(dir, 'gateway.lock'),
    pid: join(dir, 'gateway.pid'),
  };
}

export interface OpenDataFolderOptions {
  logger: Logger;
  /**
   * The command that writes the store (start, run, store recover): it takes
   * the folder's lock, and only it updates the marker. Null for commands that
   * only read (or, like cursor reset, make one write SQLite itself serialises).
   */
  lockFor: string | null;
  /** The wall clock seqs are kept above; Date.now unless a test sets the machine's clock back. */
  clock?: () => number;
  /** Seals values from source rows at rest (store.encryption's keys, resolved by store-keys.ts); absent: plaintext. */
  cipher?: PayloadCipher;
  /** The lock already taken by the caller (upgrade.ts takes it before copying the store); lockFor is then not taken again. */
  heldLock?: DataFolderLock | null;
  /**
   * The copy made before a due migration (upgrade.ts). Without one a store
   * at an older version is refused (STORE_UPGRADE_PENDING), never migrated
   * with no way back.
   */
  migrationBackup?: string | null;
}

export interface DataFolder {
  readonly store: Store;
  /** Closes the store, then lets go of the lock. */
  close(): void;
}

export function openDataFolder(dir: string, options: OpenDataFolderOptions): DataFolder {
  const files = dataFolderFiles(dir);
  const log = options.logger.child({ component: 'data-folder' });
  // Private before anything is read or created: a looser folder or store file is refused (private-files.ts).
  if (existsSync(dir)) preparePrivateFolder(dir);
  checkPrivateFiles(storeFiles(files.store));
  const lock = options.heldLock !== undefined ? options.heldLock : options.lockFor ? DataFolderLock.take(files, options.lockFor) : null;
  try {
    const marker = readMarkerOf(files);
    refuseLostOrDamaged(files, marker);
    const pending = pendingMigration(files.store);
    if (pending && !options.migrationBackup) {
      throw new GatewayError('STORE_UPGRADE_PENDING', `${files.store} is store version ${pending.from}, this gateway migrates it to ${pending.to}`);
    }
    const writable = lock !== null;
    let highWater = marker?.highWater ?? 0;
    const store = openStore(files.store, options, (seq) => {
      if (!writable || seq <= highWater) return;
      try {
        writeMarker(files.marker, { storeId: store.identity(), highWater: seq, updatedAt: new Date().toISOString() });
        highWater = seq;
      } catch (err) {
        // Never holds delivery up (a full disk must not stop acknowledgements): the clock and the
        // platform's lastSeq still keep seqs rising; the next batch tries the marker again.
        log.warn({ err, file: files.marker }, 'the data folder marker could not be updated');
      }
    });
    try {
      // SQLite made -wal and -shm meanwhile, with the store file's mode: confirmed, not assumed.
      checkPrivateFiles(storeFiles(files.store));
      if (marker && store.identity() !== marker.storeId) {
        throw new GatewayError('STORE_REPLACED', `${files.store} is store ${store.identity()}, but this folder last used store ${marker.storeId} (seqs up to ${marker.highWater}, ${marker.updatedAt})`);
      }
      // Even without the lock (run --no-deliver queues pages too): the counter only ever goes up.
      if (marker && store.lastSeq() < marker.highWater) {
        log.warn({ storeSeq: store.lastSeq(), highWater: marker.highWater }, 'the store is older than this folder (a backup put back?): its seqs continue above the highest ever sent, and its jobs re-read what changed since');
        store.raiseSeq(marker.highWater);
      }
      if (writable && !marker) {
        // A new store, or one from before markers: from now on the folder remembers it.
        highWater = store.lastSeq();
        writeMarker(files.marker, { storeId: store.identity(), highWater, updatedAt: new Date().toISOString() });
      }
    } catch (err) {
      store.close();
      throw err;
    }
    return {
      store,
      close: () => {
        store.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

export interface RecoverOutcome {
  /** False when the store was sound: nothing was changed. */
  recovered: boolean;
  /** Why the store was refused (a catalogue code), or null when sound. */
  problem: string | null;
  /** Where the file found was moved; null when there was none. */
  keptAs: string | null;
  /** The new store's seqs start above this. */
  seqAbove: number;
}

/**
 * Run as root (an operator's sudo), the files made here would be root's and
 * the service user could not open them: they go to whoever owns the folder.
 */
export function giveToFolderOwner(dir: string, files: string[]): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(dir);
  for (const file of files) {
    if (existsSync(file)) chownSync(file, uid, gid);
  }
}

/**
 * A refused store (lost, damaged, replaced) is renamed aside with its WAL,
 * and a new store is made whose counter starts above the marker's high-water
 * and whatever counter can still be read from the old file; every job then
 * reads its source again from the beginning. A sound store is left alone.
 */
export function recoverDataFolder(dir: string, options: { logger: Logger; clock?: () => number; now?: () => Date; cipher?: PayloadCipher }): RecoverOutcome {
  const files = dataFolderFiles(dir);
  const now = options.now ?? (() => new Date());
  const lock = DataFolderLock.take(files, 'store recover');
  try {
    let marker: Marker | null = null;
    let problem: string | null = null;
    try {
      marker = readMarker(files.marker);
    } catch {
      // An unreadable marker proves a store existed: recover with what the old file still knows.
      problem = 'STORE_LOST';
    }
    if (problem === null) {
      try {
        openDataFolder(dir, { logger: options.logger, lockFor: null, clock: options.clock, cipher: options.cipher }).store.close();
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!['STORE_LOST', 'STORE_DAMAGED', 'STORE_REPLACED'].includes(code)) throw err;
        problem = code;
      }
    }
    if (problem === null) return { recovered: false, problem: null, keptAs: null, seqAbove: 0 };

    let keptAs: string | null = null;
    if (existsSync(files.store)) {
      keptAs = `${files.store}.${problem.toLowerCase().replace('store_', '')}-${now().toISOString().replace(/[:.]/g, '-')}`;
      // The old WAL and shared-memory files belong to the old file: a new store must not read them.
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(files.store + suffix)) renameSync(files.store + suffix, keptAs + suffix);
      }
      syncFolder(dir);
    }
    const seqAbove = Math.max(marker?.highWater ?? 0, keptAs ? counterOf(keptAs) : 0);
    const store = openStore(files.store, options, () => undefined);
    try {
      store.raiseSeq(seqAbove);
      writeMarker(files.marker, { storeId: store.identity(), highWater: seqAbove, updatedAt: now().toISOString() });
    } finally {
      store.close();
    }
    giveToFolderOwner(dir, [files.store, `${files.store}-wal`, `${files.store}-shm`, files.marker, files.lock, files.pid]);
    options.logger.warn({ problem, keptAs, seqAbove }, 'store recovered: a new store continues above every seq sent; every job reads its source again');
    return { recovered: true, problem, keptAs, seqAbove };
  } finally {
    lock.release();
  }
}

function readMarkerOf(files: DataFolderFiles): Marker | null {
  try {
    return readMarker(files.marker);
  } catch (err) {
    throw new GatewayError('STORE_DAMAGED', `${files.marker}: ${(err as Error).message}`, { cause: err });
  }
}

function refuseLostOrDamaged(files: DataFolderFiles, marker: Marker | null): void {
  const size = existsSync(files.store) ? statSync(files.store).size : null;
  if (marker && (size === null || size === 0)) {
    throw new GatewayError('STORE_LOST', `${files.store} is ${size === null ? 'missing' : 'empty'}, but this folder held store ${marker.storeId}, which sent seqs up to ${marker.highWater} (${marker.updatedAt})`);
  }
  if (size === null) return;
  const problem = headerProblem(files.store);
  if (problem) throw new GatewayError('STORE_DAMAGED', `${files.store}: ${problem}`);
}

function openStore(file: string, options: { logger: Logger; clock?: () => number; cipher?: PayloadCipher }, onBatch: (seq: number) => void): Store {
  try {
    return Store.open({ file, logger: options.logger, seqClock: options.clock ?? Date.now, onBatch, cipher: options.cipher });
  } catch (err) {
    if (isCorruption(err)) throw new GatewayError('STORE_DAMAGED', `${file}: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}

/** The seq counter a damaged file still shows, or 0 when nothing can be read from it. */
function counterOf(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT last_seq AS seq FROM seq_counter WHERE id = 1').get() as { seq: number } | undefined;
      return row?.seq ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
