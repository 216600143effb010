/**
 * What the running gateway says of itself, read from its parts at the
 * moment it is asked: the status snapshot, the heartbeat body, the metrics
 * gauges and the readiness checks. The composition root (gateway.ts) hands
 * its parts over; the runtime is asked for each time, since a bundle swaps
 * it.
 */
import type { LoadedConfig } from '../config/load.js';
import type { GatewayConfig } from '../config/schema.js';
import { gatewayDepartment, type Catalog } from './catalog/index.js';
import type { Runtime } from './control/runtime.js';
import type { Deliverer } from './delivery/deliverer.js';
import type { PlatformLink } from './delivery/wire-thread.js';
import type { Heartbeat } from './delivery/heartbeat.js';
import type { RecentFiles } from './files/recent-files.js';
import type { GaugeReadings } from './observability/metrics.js';
import type { DiskGuard } from './store/disk.js';
import type { Store } from './store/store.js';
import { collectHeartbeat, collectSnapshot } from './status/collect.js';
import { computeCoverage } from './status/coverage.js';
import { coverageInput } from './status/coverage-input.js';
import type { ReadyCheck } from './status/deps.js';
import type { ConfigView, CoverageRow, StatusSnapshot } from './status/snapshot.js';

/** The running gateway's parts a report reads. */
export interface ReportParts {
  loaded: LoadedConfig;
  softwareVersion: string;
  startedAt: string;
  demo: boolean;
  catalog: Catalog;
  store: Store;
  /** The runtime in effect now. */
  runtime(): Runtime;
  deliverer: Pick<Deliverer, 'state'>;
  heartbeat: Pick<Heartbeat, 'state'>;
  client: Pick<PlatformLink, 'clock'>;
  disk: Pick<DiskGuard, 'check'>;
  recentFiles: Pick<RecentFiles, 'views'>;
  configView(): ConfigView;
}

/** The local file's configuration with `sources` and `jobs` of the runtime in effect. */
export function effectiveConfig(config: Readonly<GatewayConfig>, runtime: Runtime): Readonly<GatewayConfig> {
  const { sources, jobs } = runtime.config;
  return { ...config, sources: [...sources], jobs: [...jobs] };
}

/** Each catalog category of this department and whether this period's data arrived, from the jobs and folders in effect. */
export function coverageAt(parts: Pick<ReportParts, 'loaded' | 'catalog' | 'store' | 'runtime'>, now: Date): CoverageRow[] {
  const { config } = parts.loaded;
  const runtime = parts.runtime();
  return computeCoverage(coverageInput({
    catalog: parts.catalog,
    department: gatewayDepartment(parts.catalog, config.gateway),
    jobs: runtime.config.jobs,
    folders: runtime.config.sources.filter((s) => s.kind === 'folder'),
    store: parts.store,
    now,
  }));
}

export function gatewaySnapshot(parts: ReportParts): StatusSnapshot {
  const runtime = parts.runtime();
  const { store } = parts;
  const now = new Date();
  return collectSnapshot({
    config: effectiveConfig(parts.loaded.config, runtime),
    catalog: parts.catalog,
    store,
    scheduler: runtime.scheduler,
    delivery: parts.deliverer.state(),
    heartbeat: parts.heartbeat.state(),
    clock: parts.client.clock(),
    sources: runtime.sourceViews(),
    schedules: runtime.schedules(),
    snapshotSchedules: runtime.snapshotSchedules(),
    jobWarnings: runtime.jobWarnings(),
    jobBounds: runtime.jobBounds(),
    softwareVersion: parts.softwareVersion,
    startedAt: parts.startedAt,
    demo: parts.demo,
    configView: parts.configView(),
    coverage: coverageAt(parts, now),
    uploads: parts.recentFiles.views(store.pendingByJob()),
    disk: parts.disk.check(),
    deliveredPerMinute: Math.round((store.deliveredBetween(new Date(now.getTime() - 3_600_000).toISOString(), now.toISOString()) / 60) * 10) / 10,
    now,
  });
}

/** The heartbeat's body: the snapshot's facts, and what came of the last bundle tried. */
export function heartbeatBody(parts: ReportParts) {
  const last = parts.store.lastBundleOutcome();
  return {
    ...collectHeartbeat(gatewaySnapshot(parts), parts.store, parts.runtime().version),
    configApply: last && { version: last.version, status: last.status, message: last.message },
  };
}

export function gauges(parts: Pick<ReportParts, 'store' | 'disk' | 'runtime' | 'client'>): GaugeReadings {
  const queue = parts.store.queueStats();
  const disk = parts.disk.check();
  const runtime = parts.runtime();
  return {
    queuePending: queue.pending,
    queueOldestAgeSecs: queue.oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(queue.oldestPendingAt)) / 1000) : 0,
    openBatches: queue.openBatches,
    sources: runtime.sourceViews().map((s) => ({ name: s.name, up: s.state !== 'error' })),
    configVersion: runtime.version,
    clockOffsetMs: parts.client.clock().offsetMs,
    readingPaused: disk.paused,
    dataFreeBytes: disk.freeBytes,
    storeBytes: disk.storeBytes,
  };
}

export function readiness(parts: Pick<ReportParts, 'store' | 'disk' | 'runtime'>): ReadyCheck[] {
  let store: ReadyCheck;
  try {
    const queue = parts.store.queueStats();
    store = { name: 'store', ok: true, message: `open, ${queue.pending} records pending` };
  } catch (err) {
    store = { name: 'store', ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const disk = parts.disk.check();
  const runtime = parts.runtime();
  return [
    store,
    { name: 'disk', ok: !disk.paused, message: disk.message },
    { name: 'config', ok: true, message: runtime.version === 0 ? 'local configuration file in effect' : `bundle version ${runtime.version} in effect` },
  ];
}
