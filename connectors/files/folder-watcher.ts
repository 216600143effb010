/**
 * The drop folder: `incoming/` where files are dropped, `processed/` and
 * `rejected/` where they go after their turn (moving them is the caller's
 * business). The watcher creates the three folders, watches `incoming/`
 * with chokidar (top level only, never following a symbolic link), waits
 * until each file is complete (stable-file.ts), and hands ready names to
 * `onFile` one at a time, in the order they became ready.
 *
 * Files already there at start are picked up like new ones. A file still in
 * `incoming/` after its turn (left there on purpose, e.g. because the store
 * was busy, or because it changed while being read) is looked at again on
 * the next rescan, which also catches events a network share never
 * delivered. Names that mean "still being written" (naming.ts) are never
 * handed out. An error thrown by onFile is reported and the watcher goes on.
 */
import { mkdir, lstat, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { FileError } from './file-error.js';
import { classifyName } from './naming.js';
import { StabilityTracker, type FileStat } from './stable-file.js';

export interface DropFolders {
  root: string;
  incoming: string;
  processed: string;
  rejected: string;
}

export function dropFolders(root: string): DropFolders {
  const r = resolve(root);
  return { root: r, incoming: join(r, 'incoming'), processed: join(r, 'processed'), rejected: join(r, 'rejected') };
}

export interface FolderWatcherOptions {
  root: string;
  /** How long size and mtime must stay the same (default 2000 ms). */
  stableMs?: number;
  /** How often files waiting to become stable are looked at (default 500 ms). */
  pollMs?: number;
  /** How often the whole folder is listed again (default 60 s). */
  rescanMs?: number;
  /** Poll instead of OS events: for network shares that deliver none. */
  usePolling?: boolean;
  /** Called with a file name in `incoming/`, one call at a time. */
  onFile: (name: string) => Promise<void>;
  onError?: (err: unknown) => void;
  now?: () => number;
}

export class FolderWatcher {
  readonly folders: DropFolders;
  readonly #options: FolderWatcherOptions;
  readonly #tracker: StabilityTracker;
  readonly #now: () => number;
  readonly #waiting = new Set<string>();
  /** Names judged complete, in order, with what they looked like then. */
  readonly #ready: { name: string; stat: FileStat }[] = [];
  #watcher: FSWatcher | null = null;
  #pollTimer: NodeJS.Timeout | null = null;
  #rescanTimer: NodeJS.Timeout | null = null;
  #current: Promise<void> | null = null;
  #looking = false;
  #stopped = false;

  constructor(options: FolderWatcherOptions) {
    this.folders = dropFolders(options.root);
    this.#options = options;
    this.#tracker = new StabilityTracker(options.stableMs ?? 2000);
    this.#now = options.now ?? Date.now;
  }

  /** Creates the folders and starts watching; resolves once files already present are queued for their stability check. */
  async start(): Promise<void> {
    const { incoming, processed, rejected } = this.folders;
    try {
      for (const dir of [incoming, processed, rejected]) await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new FileError('FILE_FOLDER_UNAVAILABLE', { folder: this.folders.root }, { cause: err });
    }
    this.#stopped = false;
    const watcher = watch(incoming, {
      depth: 0,
      followSymlinks: false,
      ignoreInitial: false,
      usePolling: this.#options.usePolling ?? false,
      interval: this.#options.pollMs ?? 500,
      ignored: (path: string) => path !== incoming && classifyName(basename(path)).kind === 'ignored',
    });
    this.#watcher = watcher;
    watcher.on('add', (path) => this.#note(path));
    watcher.on('change', (path) => this.#note(path));
    watcher.on('unlink', (path) => this.#drop(basename(path)));
    watcher.on('error', (err) => this.#options.onError?.(err));
    await new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));
    this.#pollTimer = setInterval(() => void this.#look(), this.#options.pollMs ?? 500);
    this.#rescanTimer = setInterval(() => void this.#rescan(), this.#options.rescanMs ?? 60_000);
  }

  /** Files in incoming/ not finished yet: still being written, ready, or in their turn. */
  get pending(): number {
    return this.#waiting.size + this.#ready.length + (this.#current ? 1 : 0);
  }

  /** Stops watching and waits for the file in hand, if any, to finish its turn. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    if (this.#rescanTimer) clearInterval(this.#rescanTimer);
    this.#pollTimer = this.#rescanTimer = null;
    await this.#watcher?.close();
    this.#watcher = null;
    await this.#current;
  }

  #note(path: string): void {
    const name = basename(path);
    if (path !== join(this.folders.incoming, name)) return;
    if (!this.#ready.some((r) => r.name === name)) this.#waiting.add(name);
  }

  #drop(name: string): void {
    this.#waiting.delete(name);
    this.#tracker.forget(name);
  }

  async #rescan(): Promise<void> {
    try {
      for (const name of await readdir(this.folders.incoming)) {
        if (classifyName(name).kind !== 'ignored') this.#note(join(this.folders.incoming, name));
      }
    } catch (err) {
      this.#options.onError?.(new FileError('FILE_FOLDER_UNAVAILABLE', { folder: this.folders.incoming }, { cause: err }));
    }
  }

  async #look(): Promise<void> {
    if (this.#looking || this.#stopped) return;
    this.#looking = true;
    try {
      for (const name of [...this.#waiting]) {
        let stat;
        try {
          // lstat: a symbolic link is judged as the link, and refused when its turn comes.
          stat = await lstat(join(this.folders.incoming, name));
        } catch {
          this.#drop(name);
          continue;
        }
        const seen = { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
        if (this.#tracker.look(name, seen, this.#now())) {
          this.#drop(name);
          this.#ready.push({ name, stat: seen });
        }
      }
    } finally {
      this.#looking = false;
    }
    this.#next();
  }

  #next(): void {
    if (this.#current || this.#stopped) return;
    const ready = this.#ready.shift();
    if (ready === undefined) return;
    this.#current = this.#turn(ready)
      .catch((err) => this.#options.onError?.(err))
      .finally(() => {
        this.#current = null;
        this.#next();
      });
  }

  /** A file that changed while it waited for its turn (a writer that paused) goes back to waiting. */
  async #turn(ready: { name: string; stat: FileStat }): Promise<void> {
    let now;
    try {
      now = await lstat(join(this.folders.incoming, ready.name));
    } catch {
      return;
    }
    if (now.size !== ready.stat.size || now.mtimeMs !== ready.stat.mtimeMs || now.ino !== ready.stat.ino) {
      this.#waiting.add(ready.name);
      return;
    }
    await this.#options.onFile(ready.name);
  }
}
