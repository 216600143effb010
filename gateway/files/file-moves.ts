/**
 * Where a finished file goes: `processed/` or `rejected/`, as
 * `<local time>_<name>` so a folder lists in drop order and the same name
 * dropped twice keeps both, with its report beside it as
 * `<local time>_<name>.errors.csv`. Moves are renames within the drop
 * folder, never copies: a file is in exactly one place at any moment.
 */
import { lstat, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { safeName } from '../../connectors/files/naming.js';

/** 20261126-163005-042: the machine's local time, which is what the clerk's clock shows. Pure. */
export function dropStamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}-${p(date.getMilliseconds(), 3)}`;
}

export interface Destination {
  /** Path of the moved file. */
  file: string;
  /** Path of its report, if it gets one. */
  report: string;
}

/** A destination in `folder` that nothing occupies yet (rename would silently replace it). */
export async function destination(folder: string, name: string, at: Date): Promise<Destination> {
  const base = `${dropStamp(at)}_${safeName(name)}`;
  for (let n = 1; ; n++) {
    const stem = n === 1 ? base : `${dropStamp(at)}-${n}_${safeName(name)}`;
    const file = join(folder, stem);
    const report = `${file}.errors.csv`;
    if (!(await exists(file)) && !(await exists(report))) return { file, report };
  }
}

export async function moveFile(from: string, to: string): Promise<void> {
  await rename(from, to);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
