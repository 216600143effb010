import type { GatewayConfig } from '../../config/schema.js';
import type { Catalog } from '../catalog/index.js';
import type { HeartbeatBody } from '../delivery/heartbeat-body.js';
import type { PlatformClockView } from '../delivery/platform-clock.js';
import type { JobSchedule, JobScheduleState, Schedule } from '../jobs/scheduler.js';
import type { LastBound } from '../jobs/window.js';
import { boundWords } from '../probe/bound.js';
import type { Store } from '../store/store.js';
import { maskIdNumbersIn } from '../identifiers/mask.js';
import { rejectionView } from '../rejections/view.js';
import { isLoopback } from '../delivery/platform-url.js';
import { diskReason, verdict, type DiskView, type ConfigView, type CoverageRow, type ErrorInfo, type FolderCounts, type JobReadBound, type StatusSnapshot, type UploadView, type WarningInfo } from './snapshot.js';
import { text, type Said } from '../i18n/messages.js';
import type { SourceHealth } from '../observability/health.js';

export type { SourceHealth } from '../observability/health.js';

export interface DeliveryView {
  status: string;
  lastError: { code: string; message: string } | null;
  lastSuccessAt: string | null;
  nextAttemptAt: string | null;
}

export interface HeartbeatView {
  lastSuccessAt: string | null;
  clockOffsetMs: number | null;
  lastError: { code: string; message: string } | null;
}

/** A schedule in words, not yet said: the page says it in its reader's language, the API in Chinese. */
export function scheduleSaid(schedule: Schedule, fromCatalog: boolean): Said {
  const what: Said = 'cron' in schedule ? { key: 'schedule.cron', params: { cron: schedule.cron } } : { key: 'schedule.every', params: { secs: schedule.intervalSecs } };
  return fromCatalog ? { key: 'schedule.fromCatalog', params: { schedule: what } } : what;
}

const chinese = (s: Said | undefined) => (s ? text('zh', s.key, s.params) : null);
const scheduleOf = (s: JobSchedule | undefined): Said | undefined => (s ? scheduleSaid(s.schedule, s.fromCatalog) : undefined);

export function collectSnapshot(input: {
  config: Readonly<GatewayConfig>;
  catalog: Catalog;
  store: Store;
  scheduler: { states(): JobScheduleState[] };
  delivery: DeliveryView;
  heartbeat: HeartbeatView;
  /** The platform's clock as every answer told it; the page shows its offset rather than the last heartbeat's. */
  clock?: PlatformClockView;
  sources: ({ name: string; kind: string } & SourceHealth)[];
  schedules: Map<string, JobSchedule>;
  /** Snapshot schedules of incremental jobs, in words. */
  snapshotSchedules?: Map<string, JobSchedule>;
  jobWarnings?: Map<string, WarningInfo[]>;
  /** The read bound each incremental job's last run took (runtime state: none until a job has run since start). */
  jobBounds?: Map<string, LastBound>;
  softwareVersion: string;
  startedAt: string;
  demo: boolean;
  /** The configuration in effect and the bundles tried (control); the local file's when absent. */
  configView?: ConfigView;
  coverage?: CoverageRow[];
  uploads?: UploadView[];
  /** Records the platform accepted in the last hour, per minute. */
  deliveredPerMinute?: number;
  /** The store's room on disk, as last measured. */
  disk?: DiskView;
  now?: Date;
}): StatusSnapshot {
  const { config, store } = input;
  const now = input.now ?? new Date();
  const schedule = new Map(input.scheduler.states().map((s) => [s.name, s]));
  const stats = new Map(store.jobStats().map((s) => [s.job, s]));
  const runs = new Map(store.jobStates().map((s) => [s.job, s]));
  const totals = store.totals();
  const queue = store.queueStats();
  const base: Omit<StatusSnapshot, 'verdict'> = {
    generatedAt: now.toISOString(),
    gateway: { id: config.gateway.id, department: config.gateway.department, provider: providerLabel(config.gateway.provider), softwareVersion: input.softwareVersion, startedAt: input.startedAt, demo: input.demo },
    platform: {
      url: config.platform.url,
      delivery: input.delivery,
      heartbeat: input.clock ? { ...input.heartbeat, clockOffsetMs: input.clock.offsetMs } : input.heartbeat,
      ...(input.clock ? { clock: input.clock } : {}),
    },
    queue: {
      pending: queue.pending, oldestPendingAt: queue.oldestPendingAt, openBatches: queue.openBatches,
      deliveredPerMinute: input.deliveredPerMinute ?? 0, delivered24h: totals.last24h.delivered, lastError: queue.lastAttemptError,
    },
    totals: {
      read: totals.total.rowsRead,
      queued: totals.total.queued,
      delivered: totals.total.delivered,
      rejectedLocal: totals.total.rejectedLocal,
      rejectedPlatform: totals.total.rejectedPlatform,
    },
    sources: input.sources.map((s) => ({
      name: s.name, kind: s.kind, state: isDisabled(s, config.jobs) ? 'disabled' as const : s.state, lastSuccessAt: s.lastSuccessAt, lastError: s.lastError, warnings: s.warnings,
      ...(s.files ? { files: s.files } : {}),
    })),
    jobs: config.jobs.map((job) => {
      const st = stats.get(job.name)?.total;
      const day = stats.get(job.name)?.today;
      const run = runs.get(job.name);
      const sched = schedule.get(job.name);
      return {
        name: job.name,
        source: job.source,
        category: job.category,
        categoryName: input.catalog.byCode(job.category)?.name ?? job.category,
        mode: job.mode,
        schedule: chinese(scheduleOf(input.schedules.get(job.name))) ?? '',
        snapshotSchedule: chinese(scheduleOf(input.snapshotSchedules?.get(job.name))),
        ...(input.schedules.has(job.name) ? { scheduleSaid: scheduleOf(input.schedules.get(job.name))! } : {}),
        ...(input.snapshotSchedules?.has(job.name) ? { snapshotScheduleSaid: scheduleOf(input.snapshotSchedules.get(job.name))! } : {}),
        snapshotNextRunAt: sched?.snapshot?.nextRunAt ?? null,
        running: (sched?.running ?? false) || (sched?.snapshot?.running ?? false),
        nextRunAt: sched?.nextRunAt ?? null,
        lastRunAt: run?.lastRunAt ?? null,
        lastSuccessAt: run?.lastSuccessAt ?? null,
        lastError: run?.lastError ?? null,
        rowsRead: st?.rowsRead ?? 0,
        queued: st?.queued ?? 0,
        unchanged: st?.unchanged ?? 0,
        rejected: st?.rejectedLocal ?? 0,
        today: { rowsRead: day?.rowsRead ?? 0, queued: day?.queued ?? 0, rejected: day?.rejectedLocal ?? 0 },
        warnings: input.jobWarnings?.get(job.name) ?? [],
        readBound: job.mode === 'incremental' ? readBoundView(input.jobBounds?.get(job.name)) : null,
        pausedFor: input.disk?.paused ? ('disk' as const) : null,
      };
    }),
    rejections: {
      total: store.countRejections({}),
      recent: store.listRejections({ limit: 20 }).map((r) => rejectionView(r)),
    },
    config: input.configView ?? { version: 0, source: 'file', appliedAt: null, issuedAt: null, publicKey: false, lastOutcome: null, history: [] },
    contacts: config.gateway.contacts,
    coverage: input.coverage ?? [],
    uploads: input.uploads ?? [],
    statusPage: { https: Boolean(config.status.tls), plainHttpExposed: !config.status.tls && config.status.allowPlainHttp && !isLoopback(config.status.host) },
    ...(input.disk ? { disk: diskView(input.disk) } : {}),
  };
  return { ...base, verdict: verdict(base, now) };
}

/** The last run's bound as data, with its sentence in Chinese for the API (the page says it again in its reader's language). */
export function readBoundView(last: LastBound | undefined): JobReadBound | null {
  if (!last) return null;
  const { said, grant } = boundWords(last);
  return { ...last, grant, text: text('zh', said.key, said.params) };
}

/** Nothing reads a database source that no enabled job names; a drop folder is watched for as long as it is configured. */
function isDisabled(source: { name: string; kind: string }, jobs: GatewayConfig['jobs']): boolean {
  return source.kind !== 'folder' && !jobs.some((j) => j.source === source.name && j.enabled);
}

/**
 * A source as the heartbeat reports it, from the same facts as the page
 * (spec section 3 knows ok, error and disabled): a source the page shows
 * failing or needing attention (a drop folder whose last file was refused
 * whole) is `error`, with what is wrong in `lastError`; one no enabled job
 * reads is `disabled`. Warnings that do not stop reading (an account that
 * can write, a cursor column in whole seconds …) leave it `ok` and travel
 * in `warnings`, an optional member added compatibly to the interface, so
 * the center sees what makes the department's page say 需关注.
 */
export function heartbeatSource(s: StatusSnapshot['sources'][number], disk?: DiskView): HeartbeatBody['sources'][number] {
  const reported: HeartbeatBody['sources'][number] = {
    name: s.name,
    state: s.state === 'disabled' ? 'disabled' : s.state === 'error' || s.state === 'attention' ? 'error' : 'ok',
    lastSuccessAt: s.lastSuccessAt,
    lastError: nullable(lastErrorOf(s)),
  };
  // Through the net like every output: a driver's message or a file name may quote a value.
  if (s.warnings.length > 0) reported.warnings = s.warnings.map((w) => ({ code: w.code, message: maskIdNumbersIn(w.message) }));
  // Reading from it is paused for lack of room on disk: not the source's fault, but the center sees it, as the page says it.
  const paused = disk && s.state !== 'disabled' ? diskReason(disk) : null;
  if (paused) reported.warnings = [...(reported.warnings ?? []), { code: disk!.code ?? 'STORE_DISK_FULL', message: paused }];
  return reported;
}

/** `gateway.provider` as the page shows it beside the department: `P07`, or `P09、P17` for a list. */
function providerLabel(provider: string | readonly string[] | undefined): string | null {
  if (provider === undefined) return null;
  return typeof provider === 'string' ? provider : provider.join('、');
}

function nullable(text: string | null): string | null {
  return text === null ? null : maskIdNumbersIn(text);
}

function lastErrorOf(s: StatusSnapshot['sources'][number]): string | null {
  if (s.lastError) return `${s.lastError.code}: ${s.lastError.message}`;
  const refused = s.state === 'attention' ? s.warnings[0] : undefined;
  if (refused) return `${refused.code}: ${refused.message}；${refused.action}`;
  return s.state === 'attention' ? 'ATTENTION: 数据源需关注，请查看网关状态页' : null;
}

/** Only what the page shows of a measurement (no paths, no English message). */
function diskView(d: DiskView): DiskView {
  return { paused: d.paused, reason: d.reason, code: d.code, freeBytes: d.freeBytes, storeBytes: d.storeBytes, minFreeBytes: d.minFreeBytes, maxStoreBytes: d.maxStoreBytes };
}

/** The heartbeat body of spec section 3, from the same snapshot the page shows. */
export function collectHeartbeat(snapshot: StatusSnapshot, store: Store, configVersion: number): HeartbeatBody {
  return {
    gatewayId: snapshot.gateway.id,
    softwareVersion: snapshot.gateway.softwareVersion,
    configVersion,
    startedAt: snapshot.gateway.startedAt,
    queue: {
      pending: snapshot.queue.pending,
      oldestPendingAt: snapshot.queue.oldestPendingAt,
      rejected: snapshot.totals.rejectedLocal + snapshot.totals.rejectedPlatform,
    },
    sources: snapshot.sources.map((s) => heartbeatSource(s, snapshot.disk)),
    categories: store.categoryStats().map((c) => ({
      code: c.category,
      lastDeliveredAt: c.lastDeliveredAt,
      delivered24h: c.last24h.delivered,
      rejected24h: c.last24h.rejected,
    })),
    configApply: null,
  };
}
