import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAUNCH_ENV, LAUNCH_NODE_FLAGS } from '../../../../gateway/heap.js';
import { packageRoot } from '../../../../gateway/paths.js';

const LAUNCHER = join(packageRoot(), 'scripts', 'release', 'files', 'credit-gateway');

/** A release folder whose node only reports how it was started. */
function fakeRelease(t: Test): { bin: string } {
  const home = mkdtempSync(join(tmpdir(), 'launcher-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const release = join(home, '1.0.0');
  mkdirSync(join(release, 'bin'), { recursive: true });
  mkdirSync(join(release, 'node', 'bin'), { recursive: true });
  copyFileSync(LAUNCHER, join(release, 'bin', 'credit-gateway'));
  chmodSync(join(release, 'bin', 'credit-gateway'), 0o755);
  writeFileSync(join(release, 'node', 'bin', 'node'), '#!/bin/sh\necho "ARGS $*"\necho "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"\necho "MALLOC_MMAP_THRESHOLD_=$MALLOC_MMAP_THRESHOLD_"\n', { mode: 0o755 });
  symlinkSync(release, join(home, 'current'));
  return { bin: join(home, 'current', 'bin', 'credit-gateway') };
}

t.test("the launcher starts node with the heap's launch flags and environment, before the command's own arguments", async (t) => {
  const { bin } = fakeRelease(t);
  const env = { ...process.env };
  for (const name of Object.keys(LAUNCH_ENV)) delete env[name];
  const out = execFileSync(bin, ['run', 'penalties'], { env, encoding: 'utf8' });
  const args = /^ARGS (.*)$/m.exec(out)![1]!.split(' ');
  t.same(args.slice(0, LAUNCH_NODE_FLAGS.length), LAUNCH_NODE_FLAGS);
  t.match(args[LAUNCH_NODE_FLAGS.length], /\/app\/dist\/gateway\/cli\.js$/);
  t.same(args.slice(LAUNCH_NODE_FLAGS.length + 1), ['run', 'penalties']);
  for (const [name, value] of Object.entries(LAUNCH_ENV)) t.match(out, `${name}=${value}\n`);
});

t.test("an operator's own MALLOC_ARENA_MAX and MALLOC_MMAP_THRESHOLD_ are kept", async (t) => {
  const { bin } = fakeRelease(t);
  const out = execFileSync(bin, ['start'], { env: { ...process.env, MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '65536' }, encoding: 'utf8' });
  t.match(out, 'MALLOC_ARENA_MAX=4\n');
  t.match(out, 'MALLOC_MMAP_THRESHOLD_=65536\n');
});
