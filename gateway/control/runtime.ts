/**
 * The part of the gateway built from `sources` and `jobs`: source entries,
 * job entries, drop folders and the scheduler. Store, platform client,
 * deliverer, heartbeat and status server live for the whole process; a
 * runtime lives for one configuration and is swapped when a bundle is
 * applied (controller.ts). Sources and drop folders a swap leaves unchanged
 * are handed over open and running, with their health.
 */
import type { Logger } from 'pino';
import { resolvePath } from '../../config/load.js';
import type { FolderSourceConfig, GatewayConfig, JobConfig, ProfileConfig } from '../../config/schema.js';
import { ConfigError } from '../../config/errors.js';
import { requireAllowedPath } from '../../config/source-options.js';
import type { Secrets } from '../../config/secrets.js';
import type { SecretBindings } from '../../config/secret-bindings.js';
import type { LocalPaths } from '../../config/local-paths.js';
import { fileLimits } from '../../connectors/files/limits.js';
import { frequencyToSchedule, type Catalog } from '../catalog/index.js';
import type { LastBound } from '../jobs/window.js';
import type { RunSummary } from '../jobs/runner.js';
import { Scheduler, type JobSchedule, type Schedule, type TriggerKind } from '../jobs/scheduler.js';
import type { Standards } from '../standards/index.js';
import { DropFolder, type FileCategory } from '../files/index.js';
import type { Store } from '../store/store.js';
import { folderJobName } from '../files/folder-job-name.js';
import type { FileOutcome } from '../files/index.js';
import type { GatewayEvent } from '../observability/events.js';
import type { SourceHealth, WarningInfo } from '../observability/health.js';
import { checkJobs } from './job-checks.js';
import type { RunConfig } from './runtime-diff.js';
import type { CompiledProfile } from '../profiles/compile.js';
import { compileProfiles, profileSourceProblems } from '../profiles/checks.js';
import { pageCommitted, runJobOnce, snapshotRunKey, type RunJobOptions } from './job-run.js';
import type { FolderEntry, JobEntry, SourceEntry } from './runtime-entries.js';
import { databaseSourceView, folderSourceView, type SourceView } from './source-views.js';

export interface RuntimeDeps {
  gatewayId: string;
  /** Folder relative paths are resolved against (the configuration file's). */
  baseDir: string;
  /** The local secrets as last loaded: a secret set after start counts once a bundle reloaded them. */
  secrets: () => Secrets;
  /** Where the local configuration lets each secret go; checked again where a password is handed to a connector. */
  bindings: SecretBindings;
  /** Which local files and folders a source may name; checked again where a source or drop folder is opened. */
  paths: LocalPaths;
  catalog: Catalog;
  standards: Standards;
  store: Store;
  scheduling: GatewayConfig['scheduling'];
  /** The category a dropped file's name stands for (cached for the whole process). */
  fileCategory: (code: string) => FileCategory | null;
  /** Rows were queued: delivery should look. */
  wake: () => void;
  /** What happened, for logs and metrics (observability/events.ts). */
  emit: (event: GatewayEvent) => void;
  /** A drop folder finished with a file (for the status page's recent files). */
  fileOutcome: (source: string, job: string, outcome: FileOutcome) => void;
  /** The store's room on disk: reading starts no page while it is paused, and reports SQLITE_FULL to it. */
  disk?: { paused(): boolean; noteFull(): void };
  /** The local file's export profiles: they apply whatever bundle runs (a bundle's come beside them). */
  localProfiles?: readonly ProfileConfig[];
  /** The profiles of the runtime in effect for a folder, asked at each file: a folder handed over to a new runtime reads with its profiles. */
  currentProfiles?: (source: string) => readonly CompiledProfile[];
  logger: Logger;
}

export type { SourceEntry } from './runtime-entries.js';
export type { SourceView } from './source-views.js';
export type { RunJobOptions } from './job-run.js';
export { openSource } from './open-source.js';
export { folderJobName };

export class Runtime {
  readonly config: RunConfig;
  /** The bundle version this runtime runs; 0 for the local configuration file. */
  readonly version: number;
  readonly scheduler: Scheduler;
  readonly #deps: RuntimeDeps;
  readonly #sources = new Map<string, SourceEntry>();
  readonly #folders = new Map<string, FolderEntry>();
  readonly #jobs = new Map<string, JobEntry>();
  readonly #abort = new AbortController();
  readonly #running = new Set<Promise<unknown>>();
  /** Per job, the end of its last run asked for: the next waits for it. */
  readonly #lastRun = new Map<string, Promise<void>>();
  readonly #profiles: readonly CompiledProfile[];

  /** Throws ConfigError when a job names a category or field code the catalog and standards do not have. */
  constructor(config: RunConfig, version: number, deps: RuntimeDeps) {
    this.config = config;
    this.version = version;
    this.#deps = deps;
    const standards = checkJobs(config.jobs, deps.catalog, deps.standards, deps.logger);
    this.#profiles = compileProfiles([...(deps.localProfiles ?? []), ...(config.profiles ?? [])], { catalog: deps.catalog, standards: deps.standards, folders: null });
    // The folders in effect are this configuration's: a profile naming another reads nothing until one comes back (checked, not refused: a bundle's trial refused its own).
    const folders = config.sources.filter((s) => s.kind === 'folder').map((s) => s.name);
    for (const p of [...profileSourceProblems(deps.localProfiles ?? [], folders), ...profileSourceProblems(config.profiles ?? [], folders, 'bundle.profiles')]) {
      deps.logger.warn({ path: p.path, folder: p.given }, `export profile names a folder source not in the configuration in effect: ${p.message}`);
    }
    config.sources.forEach((source, index) => {
      if (source.kind === 'folder') {
        // Before the folder exists for anyone: a drop folder moves and ships what it finds.
        requireAllowedPath(source, index, deps.paths);
        this.#folders.set(source.name, { config: source, folder: this.#dropFolder(source), started: false });
        return;
      }
      this.#sources.set(source.name, {
        config: source, index, source: null, opening: null, users: 0,
        health: { state: 'unknown', lastSuccessAt: null, lastError: null, warnings: [] },
      });
    });
    config.jobs.forEach((job, i) => this.#jobs.set(job.name, { config: job, standard: standards[i]!, probes: {}, warnings: {} }));

    const lastSuccess = new Map(deps.store.jobStates().map((s) => [s.job, s.lastSuccessAt]));
    this.scheduler = new Scheduler({
      jobs: config.jobs
        .filter((j) => j.enabled)
        .map((job) => {
          const since = (key: string) => (lastSuccess.get(key) ? new Date(lastSuccess.get(key)!) : null);
          const snapshot = job.mode === 'incremental' ? job.snapshotSchedule : undefined;
          return {
            name: job.name,
            schedule: this.scheduleOf(job),
            run: async () => {
              await this.runJob(job.name);
            },
            lastSuccessAt: since(job.name),
            ...(snapshot
              ? { snapshot: { schedule: snapshot, run: async () => { await this.runJob(job.name, 'snapshot'); }, lastSuccessAt: since(snapshotRunKey(job.name)) } }
              : {}),
          };
        }),
      logger: deps.logger.child({ component: 'scheduler' }),
      retryBaseSecs: deps.scheduling.retryBaseSecs,
      retryMaxSecs: deps.scheduling.retryMaxSecs,
    });
  }

  /** Starts schedules and the drop folders not already running (a folder handed over keeps running). */
  async start(schedule: boolean): Promise<void> {
    if (!schedule) return;
    this.scheduler.start();
    for (const entry of this.#folders.values()) {
      if (entry.started) continue;
      // Again right before the folder is created and watched: a link may have changed since the runtime was built.
      requireAllowedPath(entry.config, this.config.sources.indexOf(entry.config), this.#deps.paths);
      await entry.folder.start();
      entry.started = true;
    }
  }

  /**
   * Stops schedules and drop folders (except those in `keepFolders`, handed
   * over running) and waits for runs in progress: a run stops after the page
   * it is writing, whose transaction commits with its cursor.
   */
  async stop(keepFolders: ReadonlySet<string> = new Set()): Promise<void> {
    this.#abort.abort();
    await this.scheduler.stop().catch(() => undefined);
    for (const [name, entry] of this.#folders) {
      if (keepFolders.has(name) || !entry.started) continue;
      await entry.folder.stop().catch(() => undefined);
      entry.started = false;
    }
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Closes every open source except those handed over. */
  async closeSources(keep: ReadonlySet<string> = new Set()): Promise<void> {
    for (const [name, entry] of this.#sources) {
      if (keep.has(name)) continue;
      await entry.source?.close().catch(() => undefined);
      entry.source = null;
    }
  }

  /** Takes over the open sources and running folders of `previous` named in `names` (their configuration is the same). */
  adopt(previous: Runtime, names: ReadonlySet<string>): void {
    for (const name of names) {
      const source = previous.#sources.get(name);
      if (source && this.#sources.has(name)) this.#sources.set(name, { ...source, index: this.#sources.get(name)!.index, users: 0, opening: null });
      const folder = previous.#folders.get(name);
      if (folder && this.#folders.has(name)) this.#folders.set(name, folder);
    }
  }

  hasJob(name: string): boolean {
    return this.#jobs.has(name);
  }

  /** Health of every source by name, database sources and drop folders alike. */
  sourceStates(): Map<string, SourceHealth['state']> {
    return new Map(this.sourceViews().map((s) => [s.name, s.state]));
  }

  /** A source's last error, for the rollback message. */
  sourceView(name: string): SourceView | undefined {
    return this.sourceViews().find((s) => s.name === name);
  }

  /**
   * One run of a job: an incremental run reads keyset pages from its cursor
   * up to the database's clock minus the safety lag; a snapshot run (a
   * snapshot job, or `kind` 'snapshot' for an incremental job's snapshot
   * schedule) reads everything and then sends deletes. A failure puts the
   * source in error with the reason and leaves the cursor at the last
   * committed page; the scheduler retries with back-off.
   */
  runJob(name: string, kind: TriggerKind = 'regular', options: RunJobOptions = {}): Promise<RunSummary> {
    // One run of a job at a time, whoever asks (its schedule, a bundle's swap, `run`, the status page):
    // two runs from the same cursor would read every row twice, and the slower could move the cursor back.
    const before = this.#lastRun.get(name);
    const run = before ? before.then(() => this.#runJob(name, kind, options)) : this.#runJob(name, kind, options);
    const settled = run.then(() => undefined, () => undefined);
    this.#lastRun.set(name, settled);
    void settled.then(() => {
      if (this.#lastRun.get(name) === settled) this.#lastRun.delete(name);
    });
    this.#running.add(run);
    void run.catch(() => undefined).finally(() => this.#running.delete(run));
    return run;
  }

  async #runJob(name: string, kind: TriggerKind, options: RunJobOptions): Promise<RunSummary> {
    const job = this.#jobs.get(name);
    if (!job) throw new ConfigError('CONFIG_REFERENCE', [{ path: 'jobs', message: `no job named "${name}"` }]);
    return runJobOnce({ job, source: this.#sources.get(job.config.source)!, kind, options, signal: this.#abort.signal }, this.#deps);
  }

  scheduleOf(job: JobConfig): Schedule {
    if (job.schedule) return job.schedule;
    const category = this.#deps.catalog.byCode(job.category)!;
    return frequencyToSchedule(category.frequency, this.#deps.scheduling.realtimePollSecs);
  }

  #dropFolder(source: FolderSourceConfig): DropFolder {
    const { baseDir, gatewayId, store, logger } = this.#deps;
    return new DropFolder({
      root: resolvePath(baseDir, source.path),
      job: folderJobName(source.name),
      gatewayId,
      category: (code) => this.#deps.fileCategory(code),
      profiles: () => this.#deps.currentProfiles?.(source.name) ?? this.profilesFor(source.name),
      store,
      ...(source.maxFileBytes !== undefined ? { limits: fileLimits({ maxFileBytes: source.maxFileBytes }) } : {}),
      watch: { stableMs: source.stableMs, usePolling: source.usePolling },
      logger: logger.child({ source: source.name }),
      onPage: (r) => pageCommitted(r, folderJobName(source.name), source.name, this.#deps),
      paused: () => this.#deps.disk?.paused() ?? false,
      onDiskFull: () => this.#deps.disk?.noteFull(),
      onOutcome: (outcome) => {
        this.#deps.fileOutcome(source.name, folderJobName(source.name), outcome);
        if (outcome.status === 'processed') this.#deps.emit({ type: 'file_processed', source: source.name, file: outcome.file, status: 'processed' });
        if (outcome.status === 'rejected') this.#deps.emit({ type: 'file_processed', source: source.name, file: outcome.file, status: 'rejected', code: outcome.code });
      },
    });
  }

  /** The profiles a folder source reads with: those naming it, and those naming no source. */
  profilesFor(source: string): readonly CompiledProfile[] {
    return this.#profiles.filter((p) => p.sources === undefined || p.sources.includes(source));
  }

  /** Every source as the status page shows it, database sources first. */
  sourceViews(): SourceView[] {
    return [
      ...[...this.#sources.values()].map(databaseSourceView),
      ...[...this.#folders.values()].map((e) => folderSourceView(e, this.#deps.store)),
    ];
  }

  /** Each job's schedule, and whether it is the catalog's (no `schedule` configured): the page puts it in words. */
  schedules(): Map<string, JobSchedule> {
    return new Map(this.config.jobs.map((j) => [j.name, { schedule: this.scheduleOf(j), fromCatalog: !j.schedule }]));
  }

  snapshotSchedules(): Map<string, JobSchedule> {
    return new Map(
      this.config.jobs.flatMap((j) => (j.mode === 'incremental' && j.snapshotSchedule ? [[j.name, { schedule: j.snapshotSchedule, fromCatalog: false }] as const] : [])),
    );
  }

  jobWarnings(): Map<string, WarningInfo[]> {
    return new Map([...this.#jobs.values()].map((j) => [j.config.name, [...(j.warnings.regular ?? []), ...(j.warnings.snapshot ?? [])]]));
  }

  /** Each incremental job's read bound as its last run took it (the status page says it, with the grant that would make reads fresher). */
  jobBounds(): Map<string, LastBound> {
    return new Map([...this.#jobs.values()].flatMap((j) => (j.bound ? [[j.config.name, j.bound] as const] : [])));
  }

  get folderCount(): number {
    return this.#folders.size;
  }
}
