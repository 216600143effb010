/**
 * Which store version a file is at, against the migrations this gateway
 * knows: read without opening the store for writing, so a store a newer
 * release migrated is refused before anything touches it.
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { GatewayError } from '../errors.js';
import { SOFTWARE_VERSION } from '../version.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export function newestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}

/** The version of an existing store file, or null when there is none (or it is empty: a new store). */
export function storeVersionOf(file: string): number | null {
  if (!existsSync(file) || statSync(file).size === 0) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/**
 * The migrations this gateway would run on the store: null when none (a new
 * store is made at the newest version in one go, nothing to copy first).
 * Throws STORE_NEWER_THAN_GATEWAY for a store a newer release migrated.
 */
export function pendingMigration(file: string, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } | null {
  let from: number | null;
  try {
    from = storeVersionOf(file);
  } catch {
    // Not readable as SQLite: data-folder.ts names the damage (STORE_DAMAGED).
    return null;
  }
  const to = newestVersion(migrations);
  if (from === null || from === 0 || from === to) return null;
  if (from > to) {
    throw new GatewayError('STORE_NEWER_THAN_GATEWAY', `${file} is store version ${from}; this gateway (${SOFTWARE_VERSION}) knows store versions up to ${to}`);
  }
  return { from, to };
}
