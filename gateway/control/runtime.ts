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
import type { DatabaseSourceConfig, FolderSourceConfig, GatewayConfig, IncrementalJobConfig, JobConfig, ProfileConfig } from '../../config/schema.js';
import { ConfigError } from '../../config/errors.js';
import { connectorOptions, requireAllowedPath } from '../../config/source-options.js';
import type { Secrets } from '../../config/secrets.js';
import type { SecretBindings } from '../../config/secret-bindings.js';
import type { LocalPaths } from '../../config/local-paths.js';
import type { Source } from '../../connectors/contract.js';
import { fileLimits } from '../../connectors/files/limits.js';
import { createSource } from '../../connectors/registry.js';
import { frequencyToSchedule, type Catalog } from '../catalog/index.js';
import { planIncremental, planSnapshot, probeIsFresh, type CachedProbe } from '../jobs/plan.js';
import type { LastBound } from '../jobs/window.js';
import { emptySummary, runIncremental, type MapRow, type RunSummary } from '../jobs/runner.js';
import { pageMapper } from '../jobs/map-thread.js';
import { isDiskFull } from '../store/disk-pressure.js';
import { Scheduler, type JobSchedule, type Schedule, type TriggerKind } from '../jobs/scheduler.js';
import { runSnapshot } from '../jobs/snapshot.js';
import { sourceWarnings, type Warning } from '../jobs/warnings.js';
import { mapRowFor } from '../jobs/job-mapper.js';
import type { Standard, Standards } from '../standards/index.js';
import { DropFolder, type FileCategory } from '../files/index.js';
import type { Store } from '../store/store.js';
import { folderJobName } from '../files/folder-job-name.js';
import type { PageResult } from '../model.js';
import type { FileOutcome } from '../files/index.js';
import type { GatewayEvent } from '../observability/events.js';
import type { SourceHealth, WarningInfo } from '../observability/health.js';
import { describeError, GatewayError } from '../errors.js';
import { checkJobs } from './job-checks.js';
import type { RunConfig } from './runtime-diff.js';
import type { CompiledProfile } from '../profiles/compile.js';
import { compileProfiles, profileSourceProblems } from '../profiles/checks.js';

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

export interface SourceEntry {
  config: DatabaseSourceConfig;
  index: number;
  source: Source | null;
  /** Set while the source is being opened, so jobs starting together share one connection attempt. */
  opening: Promise<Source> | null;
  /** Runs using the source now: a failed run closes it only when no other run still reads it. */
  users: number;
  health: SourceHealth;
}

/** What the gateway remembers of a job between runs (not persisted: a restart probes again). */
interface JobEntry {
  config: JobConfig;
  /** The data standard of the job's category: every row is checked against it. */
  standard: Readonly<Standard>;
  probes: Partial<Record<TriggerKind, CachedProbe>>;
  warnings: Partial<Record<TriggerKind, Warning[]>>;
  /** The read bound the last incremental run took, or its failure before taking one; absent before a run, and for cursors that are not timestamps. */
  bound?: LastBound;
}

/** A drop folder: files in, records out, no job of its own. */
interface FolderEntry {
  config: FolderSourceConfig;
  folder: DropFolder;
  started: boolean;
}

export type SourceView = { name: string; kind: string } & SourceHealth;

export { folderJobName };

/** The key under which the snapshot schedule of an incremental job records its own runs (':' is not allowed in job names). */
const snapshotRunKey = (job: string) => `${job}:snapshot`;

/** What a one-shot run (`credit-gateway run`) asks for besides the run itself. */
export interface RunJobOptions {
  /**
   * Count the rows this run will read before reading them (Source.count, a
   * scan of the job query: only when asked) and say how many; not called
   * when the source cannot count.
   */
  onTotal?: (rows: number) => void;
}

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
    const jobEntry = this.#jobs.get(name);
    if (!jobEntry) throw new ConfigError('CONFIG_REFERENCE', [{ path: 'jobs', message: `no job named "${name}"` }]);
    const { store, logger } = this.#deps;
    const job = jobEntry.config;
    const snapshot = job.mode === 'snapshot' || kind === 'snapshot';
    const runKeys = job.mode === 'incremental' && kind === 'snapshot' ? [job.name, snapshotRunKey(job.name)] : [job.name];
    const entry = this.#sources.get(job.source)!;
    const startedAt = new Date().toISOString();
    const disk = this.#deps.disk;
    // Not a run, and no failure: the job waits for room on disk (the status page says so) and its next tick tries again.
    if (disk?.paused()) return emptySummary(store.getCursor(job.name));
    entry.users += 1;
    const progress = { planned: false };
    try {
      const source = await this.#openSource(entry);
      const summary = snapshot ? await this.#snapshotRun(jobEntry, source, entry, options) : await this.#incrementalRun(jobEntry, job as IncrementalJobConfig, source, entry, options, progress);
      if (!summary.complete && disk?.paused()) {
        logger.info({ job: job.name, snapshot, pages: summary.pages }, 'job run paused: no room on disk; it resumes from its last committed page');
        return summary;
      }
      const finishedAt = new Date().toISOString();
      entry.health = { ...entry.health, state: 'ok', lastSuccessAt: finishedAt, lastError: null };
      if (snapshot && !summary.complete) {
        // Stopped between pages (the gateway is stopping): not a success, or a missed snapshot would look done.
        const error = describeError(new GatewayError('JOB_SNAPSHOT_INCOMPLETE', `${summary.rowsRead} rows read`));
        for (const key of runKeys) store.recordRun(key, { startedAt, finishedAt, ok: false, error: { code: error.code, message: error.message } });
      } else {
        for (const key of runKeys) store.recordRun(key, { startedAt, finishedAt, ok: true, error: null });
      }
      logger.info({ job: job.name, snapshot, ...summary, cursor: undefined }, 'job run finished');
      this.#deps.emit({ type: 'job_finished', job: job.name, source: job.source, ok: true, durationMs: Date.parse(finishedAt) - Date.parse(startedAt) });
      return summary;
    } catch (err) {
      if (disk && isDiskFull(err)) {
        // The page was rolled back whole; the cursor stays at the last committed one. The source did nothing wrong.
        disk.noteFull();
        logger.warn({ job: job.name, snapshot }, 'job run paused: the store\'s disk is full; the page was rolled back and is read again later');
        return emptySummary(store.getCursor(job.name));
      }
      const at = new Date().toISOString();
      const error = describeError(err);
      entry.health = { ...entry.health, state: 'error', lastError: { ...error, at } };
      // The last run's bound would go on claiming how the job reads; this run read nothing, under no bound.
      if (!snapshot && !progress.planned) jobEntry.bound = { bound: null, lagSecs: null, failed: { code: error.code, message: error.message }, at };
      // The probe is repeated after a failure: the table or the query may have changed.
      jobEntry.probes = {};
      // A broken connection is not reused: the next run reopens the source, unless another run still reads it.
      if (entry.users === 1) {
        await entry.source?.close().catch(() => undefined);
        entry.source = null;
      }
      for (const key of runKeys) store.recordRun(key, { startedAt, finishedAt: at, ok: false, error: { code: error.code, message: error.message } });
      logger.warn({ job: job.name, snapshot, code: error.code, err }, 'job run failed');
      this.#deps.emit({ type: 'job_finished', job: job.name, source: job.source, ok: false, durationMs: Date.parse(at) - Date.parse(startedAt), code: error.code });
      this.#deps.emit({ type: 'source_error', source: job.source, code: error.code });
      throw err;
    } finally {
      entry.users -= 1;
    }
  }

  async #incrementalRun(jobEntry: JobEntry, job: IncrementalJobConfig, source: Source, entry: SourceEntry, options: RunJobOptions, progress: { planned: boolean }): Promise<RunSummary> {
    const cached = jobEntry.probes.regular;
    const plan = await planIncremental(
      source,
      {
        query: job.query, cursor: job.cursor, safetyLagSecs: job.safetyLagSecs, cursorClock: job.cursorClock, lookbackSecs: job.lookbackSecs, snapshotScheduled: job.snapshotSchedule !== undefined,
        ...(entry.config.timeZone ? { timeZone: entry.config.timeZone } : {}),
      },
      this.#deps.store.getCursor(job.name),
      probeIsFresh(cached, Date.now()) ? cached : undefined,
    );
    if (plan.probe !== cached?.probe) jobEntry.probes.regular = { probe: plan.probe, atMs: Date.now() };
    jobEntry.warnings.regular = plan.warnings;
    const { bound, lagSecs } = plan.window;
    jobEntry.bound = bound ? { bound, lagSecs, at: new Date().toISOString() } : undefined;
    progress.planned = true;
    entry.health = { ...entry.health, warnings: sourceWarnings({ facts: plan.facts }) };
    if (options.onTotal && source.count) {
      options.onTotal(await source.count({ query: job.query, cursorColumns: job.cursor, after: plan.window.after, ...(plan.window.through !== undefined ? { through: plan.window.through } : {}) }));
    }
    const mapRow = this.#mapRow(jobEntry);
    const mapper = pageMapper(
      mapRow,
      { job, standard: jobEntry.standard, gatewayId: this.#deps.gatewayId, codeTables: this.#deps.standards.codeTables },
      (err) => this.#deps.logger.warn({ job: job.name, code: 'JOB_MAPPING_THREAD_FAILED', err }, 'the mapping thread stopped; this run maps its pages on the main thread'),
    );
    try {
      return await runIncremental(
        { name: job.name, query: job.query, cursor: job.cursor, pageSize: job.pageSize ?? entry.config.pageSize, mapRow, mapPage: mapper.mapPage },
        this.#runDeps(source, job.name, job.source),
        plan.window,
      );
    } finally {
      await mapper.close();
    }
  }

  async #snapshotRun(jobEntry: JobEntry, source: Source, entry: SourceEntry, options: RunJobOptions): Promise<RunSummary> {
    const job = jobEntry.config;
    const cached = jobEntry.probes.snapshot;
    const plan = await planSnapshot(
      source,
      { query: job.query, key: job.key, ...(entry.config.timeZone ? { timeZone: entry.config.timeZone } : {}) },
      probeIsFresh(cached, Date.now()) ? cached : undefined,
    );
    if (plan.probe !== cached?.probe) jobEntry.probes.snapshot = { probe: plan.probe, atMs: Date.now() };
    jobEntry.warnings.snapshot = plan.warnings;
    entry.health = { ...entry.health, warnings: sourceWarnings({ facts: plan.facts }) };
    if (options.onTotal && source.count) options.onTotal(await source.count({ query: job.query, cursorColumns: job.key, after: null }));
    return runSnapshot(
      { name: job.name, query: job.query, key: job.key, pageSize: job.pageSize ?? entry.config.pageSize, mapRow: this.#mapRow(jobEntry) },
      this.#runDeps(source, job.name, job.source),
    );
  }

  #mapRow({ config: job, standard }: JobEntry): MapRow {
    return mapRowFor(job, standard, this.#deps);
  }

  #runDeps(source: Source, job: string, sourceName: string) {
    return {
      source,
      store: this.#deps.store,
      signal: this.#abort.signal,
      paused: () => this.#deps.disk?.paused() ?? false,
      onPage: (r: PageResult) => this.#pageCommitted(r, job, sourceName),
    };
  }

  #pageCommitted(r: PageResult, job: string, source: string): void {
    if (r.queued > 0) this.#deps.wake();
    for (const [category, c] of Object.entries(r.categories ?? {})) {
      this.#deps.emit({ type: 'page_committed', job, source, category, read: c.read, queued: c.queued, unchanged: c.unchanged, rejected: c.rejected, deleted: c.deleted });
    }
  }

  scheduleOf(job: JobConfig): Schedule {
    if (job.schedule) return job.schedule;
    const category = this.#deps.catalog.byCode(job.category)!;
    return frequencyToSchedule(category.frequency, this.#deps.scheduling.realtimePollSecs);
  }

  /** The source, opened (open() again on a kept source lets a connector reconnect a dropped session). */
  async #openSource(entry: SourceEntry): Promise<Source> {
    if (entry.source) {
      await entry.source.open();
      return entry.source;
    }
    entry.opening ??= (async () => {
      const source = await openSource(entry.config, entry.index, this.#deps);
      entry.source = source;
      return source;
    })().finally(() => {
      entry.opening = null;
    });
    return entry.opening;
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
      onPage: (r) => this.#pageCommitted(r, folderJobName(source.name), source.name),
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
      ...[...this.#sources.values()].map((e) => ({ name: e.config.name, kind: e.config.kind, ...e.health })),
      ...[...this.#folders.values()].map((e) => this.#folderStatus(e)),
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

  #folderStatus({ config, folder }: FolderEntry): SourceView {
    const h = folder.health;
    const rows = this.#deps.store.jobStats().find((s) => s.job === folderJobName(config.name))?.total;
    const last = h.lastOutcome;
    const refused = h.state === 'attention' && last?.status === 'rejected'
      ? [refusedWarning(last.file, last.code, last.report.split(/[\\/]/).pop() ?? '')]
      : [];
    return {
      name: config.name,
      kind: config.kind,
      state: h.state === 'failing' ? ('error' as const) : h.state,
      lastSuccessAt: h.lastFileAt,
      lastError: h.lastError,
      warnings: refused,
      files: {
        path: folder.folders.root, watchingSince: h.watchingSince, waiting: h.waiting,
        processed: h.counts.processed, rejected: h.counts.rejected, left: h.counts.left, lastFileAt: h.lastFileAt,
        rowsRead: rows?.rowsRead ?? 0, queued: rows?.queued ?? 0, rejectedRows: rows?.rejectedLocal ?? 0,
      },
    };
  }
}

/** A drop folder's last file refused whole, in Chinese for the heartbeat and the API, with its values for the page. */
function refusedWarning(file: string, code: string, report: string): WarningInfo {
  return {
    code, key: 'FOLDER_FILE_REFUSED', params: { file, code, report },
    message: `文件 ${file} 被整体拒收（${code}）`, action: `查看 rejected/ 中的错误报告 ${report}，修正后重新放入 incoming/`,
  };
}

/** Creates and opens a database source; closes it again when open fails. */
export async function openSource(config: DatabaseSourceConfig, index: number, deps: Pick<RuntimeDeps, 'baseDir' | 'secrets' | 'bindings' | 'paths'>): Promise<Source> {
  const source = await createSource(connectorOptions(config, index, { baseDir: deps.baseDir, secrets: deps.secrets(), bindings: deps.bindings, paths: deps.paths }));
  try {
    await source.open();
  } catch (err) {
    await source.close().catch(() => undefined);
    throw err;
  }
  return source;
}
