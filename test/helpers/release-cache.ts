/**
 * One release build per version and checkout state, shared by the test
 * files that need it (tap runs them side by side, in separate processes).
 * A build is keyed by a hash of everything that goes into it (the compiled
 * gateway and the build script, seeds, examples, the release's files,
 * package.json and package-lock.json, the runtime, the version); a lock
 * folder makes concurrent files build it once, the others waiting for it.
 * Each caller gets its own copy of the archive and SHA256SUMS: the tests
 * sign and change what they are given.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packageRoot } from '../../gateway/paths.js';
import { buildRelease, filesUnder, type Release } from '../../scripts/release/build-release.js';

/** What a build reads, relative to the checkout. */
const INPUTS = ['dist/gateway', 'dist/config', 'dist/connectors', 'dist/scripts/release', 'seeds', 'config/examples', 'scripts/release/files', 'README.md', 'package.json', 'package-lock.json',
  // What npm last installed, and the native module it built for this runtime.
  'node_modules/.package-lock.json', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'];

function inputHash(root: string, version: string): string {
  const hash = createHash('sha256').update(`${process.execPath}\0${process.version}\0${version}\0`);
  for (const input of INPUTS) {
    const path = join(root, input);
    const files = statSync(path).isDirectory() ? filesUnder(path).sort().map((f) => join(input, f)) : [input];
    for (const f of files) {
      if (f.endsWith('.map')) continue;
      hash.update(`${f}\0`).update(readFileSync(join(root, f)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` holding the lock folder `lock`; a lock whose holder died is taken over. */
function withLock<T>(lock: string, fn: () => T): T {
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }), 10);
      if (Number.isInteger(holder) && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The release of `version` built from this checkout as it is now, its archive and SHA256SUMS copied into `out`. */
export function cachedRelease(out: string, version: string): Release {
  const root = packageRoot();
  const cache = join(tmpdir(), `cg-release-cache-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`);
  mkdirSync(cache, { recursive: true });
  const key = inputHash(root, version);
  const entry = join(cache, key);
  mkdirSync(out, { recursive: true });
  // Copied while the lock is held: a build of a changed checkout removes the older entries of its version.
  const built = withLock(join(cache, `${version}.lock`), () => {
    if (!existsSync(join(entry, 'release.json'))) {
      const staging = join(cache, `${key}.building`);
      rmSync(staging, { recursive: true, force: true });
      const r = buildRelease({ out: staging, version });
      writeFileSync(join(staging, 'release.json'), JSON.stringify({ archive: basename(r.archive), folder: r.folder, version: r.version }));
      // Older builds of this version (the checkout changed since) are of no more use.
      for (const old of readdirSync(cache)) {
        const meta = join(cache, old, 'release.json');
        if (old !== key && old !== basename(staging) && existsSync(meta) && (JSON.parse(readFileSync(meta, 'utf8')) as { version: string }).version === version) rmSync(join(cache, old), { recursive: true, force: true });
      }
      renameSync(staging, entry);
    }
    const meta = JSON.parse(readFileSync(join(entry, 'release.json'), 'utf8')) as { archive: string; folder: string; version: string };
    copyFileSync(join(entry, meta.archive), join(out, meta.archive));
    copyFileSync(join(entry, 'SHA256SUMS'), join(out, 'SHA256SUMS'));
    return meta;
  });
  return { archive: join(out, built.archive), sums: join(out, 'SHA256SUMS'), signature: null, version: built.version, folder: built.folder };
}
