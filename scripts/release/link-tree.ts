/**
 * Staging the release's big, unchanged files by hard link rather than copy.
 * The staged tree only lives until tar has packed it, and nothing writes to
 * its files: a link costs a directory entry, where a copy of node_modules
 * and the 95 MB runtime wrote (and deleting it then freed) ~200 MB each
 * build. Where a link is impossible (another file system, a refusing one)
 * the file is copied.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Places `from` at `to` (a new path): linked when the file system allows, copied otherwise. */
export function placeFile(from: string, to: string): void {
  try {
    linkSync(realpathSync(from), to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * Places the tree at `src` under `dest`, following symbolic links, keeping
 * only what `keep(inside, isFolder)` accepts (`inside` relative to `src`; a
 * refused folder is not entered).
 */
export function placeTree(src: string, dest: string, keep: (inside: string, isFolder: boolean) => boolean): void {
  const walk = (dir: string): void => {
    const to = join(dest, relative(src, dir));
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const isFolder = statSync(path).isDirectory();
      if (!keep(relative(src, path), isFolder)) continue;
      if (isFolder) walk(path);
      else placeFile(path, join(to, name));
    }
  };
  walk(src);
}
