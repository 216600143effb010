/**
 * Files beside a test. `npm test` runs the tests compiled under dist/test,
 * while fixtures, sources and the README stay in the checkout; a test run
 * from its source (`npx tap test/x.test.ts`) finds them where it is.
 */
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../gateway/paths.js';

const root = packageRoot();
const dist = join(root, 'dist') + sep;

/** The checkout's file at `path` relative to the test (or helper) at `url`. */
export function besideTest(url: string, path: string): string {
  const file = fileURLToPath(new URL(path, url));
  return file.startsWith(dist) ? join(root, file.slice(dist.length)) : file;
}

/**
 * A program (`x.ts`) relative to the test at `url`, as this run can start it:
 * compiled beside a compiled test, its source beside a test run from source
 * (whose children load the TypeScript loader through test-process.mjs).
 */
export function programBesideTest(url: string, path: string): string {
  const file = fileURLToPath(new URL(path, url));
  return url.endsWith('.js') ? file.replace(/\.ts$/, '.js') : file;
}
