import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up to package.json: code runs both from
 * source (tests) and from dist/ (the installed bin), at different depths.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${from}`);
    dir = parent;
  }
}

/** Data shipped in seeds/ (catalog, standards, demo data). */
export function seedsPath(...parts: string[]): string {
  return join(packageRoot(), 'seeds', ...parts);
}
