import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The data folder's evidence that a store existed (gateway.store.json beside
 * gateway.sqlite): the store's id and the highest seq that ever left in a
 * batch. It outlives the store file, so an emptied, deleted, replaced or
 * restored store is recognised at start, and a new store continues above
 * `highWater`. Written to a temp file, synced, renamed, and the folder
 * synced: a crash leaves the old marker or the new one, never half of one.
 */
export interface Marker {
  storeId: string;
  /** The highest seq handed to delivery (batched) from this data folder. */
  highWater: number;
  updatedAt: string;
}

export function readMarker(file: string): Marker | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<Marker>;
  if (typeof parsed.storeId !== 'string' || !Number.isSafeInteger(parsed.highWater)) {
    throw new Error(`${file} is not a store marker (storeId, highWater)`);
  }
  return { storeId: parsed.storeId, highWater: parsed.highWater!, updatedAt: String(parsed.updatedAt ?? '') };
}

export function writeMarker(file: string, marker: Marker): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
  const fd = openSync(temp, 'r+'); // Windows refuses to sync a handle opened read-only
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncFolder(dirname(file));
}

/** A rename is durable only once its folder is synced (not possible on Windows: skipped there). */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on platforms that cannot sync a folder.
  } finally {
    closeSync(fd);
  }
}
