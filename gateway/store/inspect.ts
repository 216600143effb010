/**
 * A look at a data folder for `credit-gateway doctor`, safe while a gateway
 * runs: the store is opened read-only and the folder's lock is not taken
 * (taking it, even for a moment, could make a gateway starting then refuse
 * with STORE_LOCKED). Nothing here writes, migrates or creates a file; a
 * store that would be refused at start is described, not repaired (that is
 * `store recover`, data-folder.ts).
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { dataFolderFiles } from './data-folder.js';
import { readHolder, type LockHolder } from './lock.js';
import { readMarker, type Marker } from './marker.js';
import { MIGRATIONS } from './migrations.js';
import { LINE_DAMAGED } from './quarantine.js';
import { storeFiles } from './private-files.js';
import { headerProblem, isCorruption } from './store-file.js';

export interface LooseMode {
  file: string;
  mode: number;
  /** The mode it should have: 700 for the folder, 600 for files. */
  wanted: number;
}

export type FolderProblem =
  | { code: 'STORE_LOST'; detail: string }
  | { code: 'STORE_DAMAGED'; detail: string }
  | { code: 'STORE_REPLACED'; detail: string };

export interface StoreInspection {
  /** False when the data folder does not exist yet (made at the first start). */
  folderExists: boolean;
  storeExists: boolean;
  /** Files of the folder that group or others can reach. */
  loose: LooseMode[];
  /** What start would refuse the store for; null when it would open it. */
  problem: FolderProblem | null;
  /** `PRAGMA quick_check` rows other than "ok"; empty when it passed or did not run. */
  quickCheck: string[];
  /** PRAGMA user_version: the last migration applied; null when the store could not be read. */
  storeVersion: number | null;
  /** The newest migration this build knows. */
  buildVersion: number;
  /** Store file plus its WAL, bytes. */
  storeBytes: number;
  /** Records waiting for the platform; null when the store could not be read. */
  pending: number | null;
  /** Queued records whose line was found damaged and taken out of the queue (quarantine.ts), still to be read again. */
  damagedLines: number;
  /** The configuration bundle in effect, 0 for the local file's. */
  configVersion: number;
  /** That bundle's exact bytes (verified again by the gateway when it starts, not here); null for the local file's. */
  bundleBytes: Buffer | null;
  marker: Marker | null;
  /** Who the pid file names as holder of the folder's lock (it may be stale: check alive). */
  holder: LockHolder | null;
}

const CHECKED = process.platform !== 'win32';

export function inspectDataFolder(dir: string): StoreInspection {
  const files = dataFolderFiles(dir);
  const buildVersion = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  const folderExists = existsSync(dir);
  const storeExists = existsSync(files.store);
  const base: StoreInspection = {
    folderExists, storeExists, loose: [], problem: null, quickCheck: [], storeVersion: null, buildVersion,
    storeBytes: 0, pending: null, damagedLines: 0, configVersion: 0, bundleBytes: null, marker: null, holder: null,
  };
  if (!folderExists) return base;
  base.loose = looseModes(dir, [...storeFiles(files.store), files.marker, files.pid]);
  base.holder = readHolder(files.pid);
  base.storeBytes = [files.store, `${files.store}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
  try {
    base.marker = readMarker(files.marker);
  } catch (err) {
    return { ...base, problem: { code: 'STORE_DAMAGED', detail: `${files.marker}: ${(err as Error).message}` } };
  }
  const size = storeExists ? statSync(files.store).size : null;
  if (base.marker && (size === null || size === 0)) {
    return { ...base, problem: { code: 'STORE_LOST', detail: `${files.store} is ${size === null ? 'missing' : 'empty'}, but this folder held store ${base.marker.storeId} (seqs up to ${base.marker.highWater})` } };
  }
  if (size === null || size === 0) return base;
  const header = headerProblem(files.store);
  if (header) return { ...base, problem: { code: 'STORE_DAMAGED', detail: `${files.store}: ${header}` } };
  return { ...base, ...readStore(files.store, base.marker) };
}

/** Reads the store file read-only; SQLite's corruption errors become STORE_DAMAGED. */
function readStore(file: string, marker: Marker | null): Partial<StoreInspection> {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    const quick = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
    const storeVersion = db.pragma('user_version', { simple: true }) as number;
    if (quick.length > 0) return { quickCheck: quick, storeVersion, problem: { code: 'STORE_DAMAGED', detail: `${file}: ${quick.slice(0, 3).join('; ')}` } };
    const has = (table: string) => db!.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    const identity = has('store_identity') ? (db.prepare('SELECT id FROM store_identity').get() as { id: string } | undefined)?.id ?? null : null;
    const pending = has('outbox') ? (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n : 0;
    const damagedLines = has('rejections')
      ? (db.prepare(`SELECT count(*) AS n FROM rejections WHERE code = '${LINE_DAMAGED}' AND resolved_at IS NULL`).get() as { n: number }).n
      : 0;
    // The one in effect is the last applied and not rolled back (bundles.ts), whatever its version number.
    const bundle = has('bundles_applied')
      ? (db.prepare('SELECT version, bytes FROM bundles_applied WHERE rolled_back_at IS NULL ORDER BY outcome_id DESC LIMIT 1').get() as { version: number; bytes: Buffer } | undefined)
      : undefined;
    const problem: FolderProblem | null = marker && identity !== null && identity !== marker.storeId
      ? { code: 'STORE_REPLACED', detail: `${file} is store ${identity}, but this folder last used store ${marker.storeId}` }
      : null;
    return { storeVersion, pending, damagedLines, configVersion: bundle?.version ?? 0, bundleBytes: bundle?.bytes ?? null, problem };
  } catch (err) {
    if (isCorruption(err)) return { problem: { code: 'STORE_DAMAGED', detail: `${file}: ${(err as Error).message}` } };
    throw err;
  } finally {
    db?.close();
  }
}

function looseModes(dir: string, files: string[]): LooseMode[] {
  if (!CHECKED) return [];
  const loose: LooseMode[] = [];
  const dirMode = statSync(dir).mode & 0o777;
  if ((dirMode & 0o077) !== 0) loose.push({ file: dir, mode: dirMode, wanted: 0o700 });
  for (const file of files) {
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) loose.push({ file, mode, wanted: 0o600 });
  }
  return loose;
}
