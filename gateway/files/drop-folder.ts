/**
 * A drop-folder source at work: the folder watcher hands each ready file to
 * the drop-folder job, one at a time, for as long as it runs. Built once by
 * the composition root; start() once, stop() once.
 *
 * Health, for the status page: 'watching' from start until the first file
 * (a folder nobody has used yet is working, not "not run"), 'ok' after a file was processed, 'attention'
 * after one was rejected (the clerk has a report to read), 'failing' while
 * files are left in incoming/ for a fault of the gateway's (store, disk),
 * or the folder itself cannot be watched.
 */
import { pino, type Logger } from 'pino';
import { FolderWatcher, type FolderWatcherOptions } from '../../connectors/files/folder-watcher.js';
import { describeError } from '../errors.js';
import { DropFolderJob, type DropFolderJobOptions, type FileOutcome } from './drop-folder-job.js';
import { sweepTempReports } from './file-turn.js';

export interface DropFolderHealth {
  state: 'unknown' | 'watching' | 'ok' | 'attention' | 'failing';
  /** When watching began; null before start(). */
  watchingSince: string | null;
  /** Files in incoming/ not finished yet. */
  waiting: number;
  lastFileAt: string | null;
  lastOutcome: FileOutcome | null;
  lastError: { code: string; message: string; at: string } | null;
  counts: { processed: number; rejected: number; left: number };
}

export interface DropFolderOptions extends Omit<DropFolderJobOptions, 'folders' | 'logger'> {
  /** The folder holding incoming/, processed/ and rejected/ (created if missing). */
  root: string;
  watch?: Pick<FolderWatcherOptions, 'stableMs' | 'pollMs' | 'rescanMs' | 'usePolling'>;
  logger?: Logger;
  /** Every file's outcome, after it is carried out. */
  onOutcome?: (outcome: FileOutcome) => void;
  /** True while no file may be read (no room on disk): files wait in incoming/ for a later rescan. */
  paused?: () => boolean;
  /** A file was left because the store's disk is full (its pages rolled back). */
  onDiskFull?: () => void;
}

export class DropFolder {
  readonly #watcher: FolderWatcher;
  readonly #job: DropFolderJob;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #onOutcome: (outcome: FileOutcome) => void;
  readonly #paused: () => boolean;
  readonly #onDiskFull: () => void;
  #health: DropFolderHealth = { state: 'unknown', watchingSince: null, waiting: 0, lastFileAt: null, lastOutcome: null, lastError: null, counts: { processed: 0, rejected: 0, left: 0 } };

  constructor(options: DropFolderOptions) {
    this.#log = (options.logger ?? pino({ enabled: false })).child({ component: 'drop-folder', folder: options.root });
    this.#now = options.now ?? (() => new Date());
    this.#onOutcome = options.onOutcome ?? (() => undefined);
    this.#paused = options.paused ?? (() => false);
    this.#onDiskFull = options.onDiskFull ?? (() => undefined);
    this.#watcher = new FolderWatcher({
      root: options.root,
      ...options.watch,
      onFile: (name) => this.#turn(name),
      onError: (err) => this.#failed(err),
    });
    this.#job = new DropFolderJob({ ...options, folders: this.#watcher.folders, logger: options.logger });
  }

  get folders() {
    return this.#watcher.folders;
  }

  get health(): DropFolderHealth {
    return { ...structuredClone(this.#health), waiting: this.#watcher.pending };
  }

  async start(): Promise<void> {
    await this.#watcher.start();
    this.#health.watchingSince = this.#now().toISOString();
    if (this.#health.state === 'unknown') this.#health.state = 'watching';
    const swept = await sweepTempReports(this.#watcher.folders);
    this.#log.info({ incoming: this.#watcher.folders.incoming, sweptTempReports: swept }, 'drop folder watched');
  }

  async stop(): Promise<void> {
    await this.#watcher.stop();
  }

  async #turn(name: string): Promise<void> {
    if (this.#paused()) return;
    const outcome = await this.#job.process(name);
    if (outcome.status === 'ignored' || outcome.status === 'gone') return;
    const at = this.#now().toISOString();
    const h = this.#health;
    h.lastFileAt = at;
    h.lastOutcome = outcome;
    if (outcome.status === 'processed') {
      h.counts.processed += 1;
      h.state = 'ok';
    } else if (outcome.status === 'rejected') {
      h.counts.rejected += 1;
      h.state = 'attention';
    } else if (outcome.status === 'left') {
      h.counts.left += 1;
      // A full disk is the store's pause, shown as such, not this folder failing.
      if (outcome.code === 'SQLITE_FULL') this.#onDiskFull();
      else if (outcome.code !== 'FILE_CHANGED_WHILE_READING') {
        h.state = 'failing';
        h.lastError = { code: outcome.code, message: outcome.message, at };
      }
    }
    this.#onOutcome(outcome);
  }

  #failed(err: unknown): void {
    const { code, message } = describeError(err);
    this.#log.error({ err, code }, 'drop folder watch failed');
    this.#health.state = 'failing';
    this.#health.lastError = { code, message, at: this.#now().toISOString() };
  }
}
