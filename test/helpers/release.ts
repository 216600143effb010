/**
 * Release tests: build the release archive (once per version and checkout
 * state, shared by the test files: release-cache.ts), unpack it as a
 * department would, and run its installer and installed command with a
 * clean environment: a fresh HOME, a PATH of system folders only, the
 * working folder outside the checkout.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { Release } from '../../scripts/release/build-release.js';
import { cachedRelease } from './release-cache.js';

export interface UnpackedRelease extends Release {
  /** The folder the archive, SHA256SUMS and the unpacked release folder are in. */
  dir: string;
  /** The unpacked release folder (holds install.sh). */
  unpacked: string;
}

/** A temporary folder outside the checkout (tap's testdir lies inside it), removed after the test. */
export function outsideDir(t: Test, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cg-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The release of `version` (built once per checkout state: release-cache.ts) in `dir`, unpacked there beside SHA256SUMS. */
export function buildAndUnpack(dir: string, version: string): UnpackedRelease {
  const release = cachedRelease(dir, version);
  execFileSync('tar', ['-xzf', release.archive, '-C', dir]);
  return { ...release, dir, unpacked: join(dir, release.folder) };
}

/** What a department's shell has: no node of ours, no npm cache, no checkout. */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  mkdirSync(home, { recursive: true });
  return { HOME: home, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...extra };
}

export interface Run {
  status: number | null;
  output: string;
}

/**
 * The command as a department runs it: tap's process tracking adds
 * NODE_OPTIONS (--import of its own hooks, from the checkout) to every child
 * even when the environment is given, so it is taken out again at the last step.
 */
export function untracked(command: string, args: string[]): [string, string[]] {
  return ['env', ['-u', 'NODE_OPTIONS', command, ...args]];
}

export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Run {
  const r: SpawnSyncReturns<string> = spawnSync(...untracked(command, args), { cwd: options.cwd, env: options.env, input: options.input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** The installer of an unpacked release, as `sh install.sh ARGS`. */
export function install(release: UnpackedRelease, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Run {
  return run('sh', [join(release.unpacked, 'install.sh'), ...args], options);
}

/** The command a prefix install puts on (its) PATH. */
export function installedCommand(prefix: string): string {
  return join(prefix, 'usr', 'local', 'bin', 'credit-gateway');
}
