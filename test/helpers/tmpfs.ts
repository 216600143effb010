/**
 * A real small filesystem for disk-full tests: a tmpfs mounted on a folder
 * of the test's own, unmounted in teardown whatever happens. Needs root (as
 * in CI); where mount is refused the test is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';

/**
 * A fresh folder (outside the test's fixtures, which tap removes first) with
 * a tmpfs of `sizeMiB` mounted on it; null, and the test skipped, when the
 * system refuses. The teardown unmounts lazily, so it works even while a
 * process still holds files there, and then removes the folder.
 */
export function mountTmpfs(t: Test, sizeMiB: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'cg-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    t.pass(`a real small disk is needed and mount -t tmpfs was refused here (${why}); run as root, as CI does`, { skip: true });
    return null;
  }
  t.teardown(() => {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Free bytes on the filesystem holding `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

/**
 * Fills the filesystem of `dir` with one file until the kernel says ENOSPC;
 * returns its path (delete it to free the space).
 */
export function fillDisk(dir: string, name = 'filler.bin'): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  try {
    for (;;) {
      try {
        writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // The last partial chunk may still fit in smaller pieces.
        for (let n = chunk.length / 2; n >= 4096; n /= 2) {
          try {
            writeSync(fd, chunk, 0, n);
          } catch {
            // No room for this piece: try a smaller one.
          }
        }
        return path;
      }
    }
  } finally {
    closeSync(fd);
  }
}

export function freeDisk(path: string): void {
  unlinkSync(path);
}
