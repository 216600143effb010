/**
 * One run of one job of a runtime: plan it (the probe, the read window),
 * read its pages into the store, then record the run and the source's
 * health. The runtime (runtime.ts) holds the entries between runs and keeps
 * to one run of a job at a time.
 */
import type { IncrementalJobConfig } from '../../config/schema.js';
import type { Source } from '../../connectors/contract.js';
import { planIncremental, planSnapshot, probeIsFresh } from '../jobs/plan.js';
import { emptySummary, runIncremental, type MapRow, type RunSummary } from '../jobs/runner.js';
import { pageMapper } from '../jobs/map-thread.js';
import { isDiskFull } from '../store/disk-pressure.js';
import type { TriggerKind } from '../jobs/scheduler.js';
import { runSnapshot } from '../jobs/snapshot.js';
import { sourceWarnings } from '../jobs/warnings.js';
import { mapRowFor } from '../jobs/job-mapper.js';
import type { PageResult } from '../model.js';
import { describeError, GatewayError } from '../errors.js';
import { openSourceEntry } from './open-source.js';
import { connectorOptions } from '../../config/source-options.js';
import type { SourceOptions } from '../../connectors/options.js';
import type { JobEntry, SourceEntry } from './runtime-entries.js';
import type { RuntimeDeps } from './runtime.js';

/** What a one-shot run (`credit-gateway run`) asks for besides the run itself. */
export interface RunJobOptions {
  /**
   * Count the rows this run will read before reading them (Source.count, a
   * scan of the job query: only when asked) and say how many; not called
   * when the source cannot count.
   */
  onTotal?: (rows: number) => void;
}

/** The key under which the snapshot schedule of an incremental job records its own runs (':' is not allowed in job names). */
export const snapshotRunKey = (job: string) => `${job}:snapshot`;

/** One run asked for: the job, the source it reads, and the runtime's signal that stops it after the page it is writing. */
export interface JobRun {
  job: JobEntry;
  source: SourceEntry;
  kind: TriggerKind;
  options: RunJobOptions;
  signal: AbortSignal;
}

/**
 * An incremental run reads keyset pages from its cursor up to the
 * database's clock minus the safety lag; a snapshot run (a snapshot job, or
 * `kind` 'snapshot' for an incremental job's snapshot schedule) reads
 * everything and then sends deletes. A failure puts the source in error
 * with the reason and leaves the cursor at the last committed page.
 */
export async function runJobOnce(run: JobRun, deps: RuntimeDeps): Promise<RunSummary> {
  const { job: jobEntry, source: entry, kind, options } = run;
  const { store, logger } = deps;
  const job = jobEntry.config;
  const snapshot = job.mode === 'snapshot' || kind === 'snapshot';
  const runKeys = job.mode === 'incremental' && kind === 'snapshot' ? [job.name, snapshotRunKey(job.name)] : [job.name];
  const startedAt = new Date().toISOString();
  const disk = deps.disk;
  // Not a run, and no failure: the job waits for room on disk (the status page says so) and its next tick tries again.
  if (disk?.paused()) return emptySummary(store.getCursor(job.name));
  entry.users += 1;
  const progress = { planned: false };
  try {
    const source = await openSourceEntry(entry, deps);
    const summary = snapshot ? await snapshotRun(run, source, deps) : await incrementalRun(run, job as IncrementalJobConfig, source, deps, progress);
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
    deps.emit({ type: 'job_finished', job: job.name, source: job.source, ok: true, durationMs: Date.parse(finishedAt) - Date.parse(startedAt) });
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
    deps.emit({ type: 'job_finished', job: job.name, source: job.source, ok: false, durationMs: Date.parse(at) - Date.parse(startedAt), code: error.code });
    deps.emit({ type: 'source_error', source: job.source, code: error.code });
    throw err;
  } finally {
    entry.users -= 1;
  }
}

async function incrementalRun({ job: jobEntry, source: entry, options, signal }: JobRun, job: IncrementalJobConfig, source: Source, deps: RuntimeDeps, progress: { planned: boolean }): Promise<RunSummary> {
  const cached = jobEntry.probes.regular;
  const plan = await planIncremental(
    source,
    {
      query: job.query, cursor: job.cursor, safetyLagSecs: job.safetyLagSecs, cursorClock: job.cursorClock, lookbackSecs: job.lookbackSecs, snapshotScheduled: job.snapshotSchedule !== undefined,
      ...(entry.config.timeZone ? { timeZone: entry.config.timeZone } : {}),
    },
    deps.store.getCursor(job.name),
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
  const mapRow = mapRowOf(jobEntry, deps);
  const pageSize = job.pageSize ?? entry.config.pageSize;
  const mapper = pageMapper(
    mapRow,
    { job, standard: jobEntry.standard, gatewayId: deps.gatewayId, codeTables: deps.standards.codeTables },
    {
      pageSize,
      source: () => (jobEntry.threadReadsOff ? undefined : threadSourceOptions(entry, deps)),
      onThreadFailed: (err) => {
        // A page it read went with it: the next runs read on the main thread, as they map there after a failure.
        jobEntry.threadReadsOff = true;
        deps.logger.warn({ job: job.name, code: 'JOB_MAPPING_THREAD_FAILED', err }, 'the mapping thread stopped; this run maps its pages on the main thread');
      },
      onThreadReadsOff: (err) => deps.logger.warn({ job: job.name, err }, 'the mapping thread cannot open a session of its own to the source; this run reads its pages on the main thread'),
    },
  );
  try {
    return await runIncremental(
      { name: job.name, query: job.query, cursor: job.cursor, pageSize, mapRow, mapPage: mapper.mapPage, readPage: mapper.readPage },
      runDeps(source, job.name, job.source, signal, deps),
      plan.window,
    );
  } finally {
    await mapper.close();
  }
}

async function snapshotRun({ job: jobEntry, source: entry, options, signal }: JobRun, source: Source, deps: RuntimeDeps): Promise<RunSummary> {
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
    { name: job.name, query: job.query, key: job.key, pageSize: job.pageSize ?? entry.config.pageSize, mapRow: mapRowOf(jobEntry, deps) },
    runDeps(source, job.name, job.source, signal, deps),
  );
}

/**
 * The source's options for the mapping thread's own session, or undefined where its pages are read on
 * the main thread: kinds not tried in a thread (SQL Server, Oracle, whose thick client is one per
 * process), and a source with a read rate cap (one pace for the job's reads, kept by one session).
 */
function threadSourceOptions(entry: SourceEntry, deps: RuntimeDeps): SourceOptions | undefined {
  const config = entry.config;
  if (!THREAD_READ_KINDS.has(config.kind) || config.rowsPerSecond !== undefined) return undefined;
  try {
    return connectorOptions(config, entry.index, { baseDir: deps.baseDir, secrets: deps.secrets(), bindings: deps.bindings, paths: deps.paths });
  } catch {
    // The main thread's session opened with these options a moment ago; if they no longer resolve, it reads alone.
    return undefined;
  }
}

const THREAD_READ_KINDS = new Set<string>(['mysql', 'postgres', 'sqlite']);

function mapRowOf({ config: job, standard }: JobEntry, deps: RuntimeDeps): MapRow {
  return mapRowFor(job, standard, deps);
}

function runDeps(source: Source, job: string, sourceName: string, signal: AbortSignal, deps: RuntimeDeps) {
  return {
    source,
    store: deps.store,
    signal,
    paused: () => deps.disk?.paused() ?? false,
    onPage: (r: PageResult) => pageCommitted(r, job, sourceName, deps),
  };
}

/** A page is in the store: delivery looks when it queued rows, and logs and metrics count it per category. */
export function pageCommitted(r: PageResult, job: string, source: string, deps: Pick<RuntimeDeps, 'wake' | 'emit'>): void {
  if (r.queued > 0) deps.wake();
  for (const [category, c] of Object.entries(r.categories ?? {})) {
    deps.emit({ type: 'page_committed', job, source, category, read: c.read, queued: c.queued, unchanged: c.unchanged, rejected: c.rejected, deleted: c.deleted });
  }
}
