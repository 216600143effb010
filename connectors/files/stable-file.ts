/**
 * When a dropped file is complete. A clerk's copy over a network share, a
 * program writing a large export, Excel saving: none says when it is done.
 * A file counts as complete once its size and modification time (and the
 * file itself: same inode) have stayed the same for stableMs. A file written
 * under a temporary name (ignored by naming.ts) and renamed into place is
 * complete the moment it appears, and passes the same test one window
 * later. chokidar's own awaitWriteFinish watches the size only; a file
 * rewritten in place to the same length would slip through it.
 *
 * Pure: observations in, a decision out; the watcher supplies stat and clock.
 */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface Observation extends FileStat {
  /** When this size, mtime and inode were first seen together. */
  since: number;
}

export function observe(previous: Observation | undefined, stat: FileStat, now: number): Observation {
  const same = previous !== undefined && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs && previous.ino === stat.ino;
  return { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, since: same ? previous.since : now };
}

export function isStable(observation: Observation, now: number, stableMs: number): boolean {
  return now - observation.since >= stableMs;
}

/** Per name: observe on every look, ready once stable. */
export class StabilityTracker {
  readonly #stableMs: number;
  readonly #seen = new Map<string, Observation>();

  constructor(stableMs: number) {
    this.#stableMs = stableMs;
  }

  /** Records a look at `name`; true when it has now been unchanged long enough. */
  look(name: string, stat: FileStat, now: number): boolean {
    const observation = observe(this.#seen.get(name), stat, now);
    this.#seen.set(name, observation);
    return isStable(observation, now, this.#stableMs);
  }

  forget(name: string): void {
    this.#seen.delete(name);
  }
}
