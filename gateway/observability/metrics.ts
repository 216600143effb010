import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CategoryCounts } from '../delivery/events.js';
import { maskIdNumbersIn } from '../identifiers/mask.js';
import type { EventBus, GatewayEvent } from './events.js';

/**
 * The Prometheus side of the typed events: every counter here moves only
 * because an event said so, the same event the log line is written from.
 * Gauges are read from the running gateway at scrape time instead.
 *
 * Each call has its own Registry (never prom-client's global one), so two
 * gateways in one process, as in tests, count apart. Label values are
 * configuration names, catalog codes and error codes only: never a record's
 * key, file name or identity number, so the number of series stays bounded.
 * Some come from outside all the same (a failure code the platform chose):
 * every label value passes the identity-number net as it is counted.
 */

/** What the gateway is like right now, read once per scrape. */
export interface GaugeReadings {
  queuePending: number;
  queueOldestAgeSecs: number;
  openBatches: number;
  sources: { name: string; up: boolean }[];
  configVersion: number;
  clockOffsetMs: number | null;
  /** Reading paused for lack of room on disk (disk full, below store.minFreeMiB, at store.maxSizeMiB). */
  readingPaused: boolean;
  /** Free bytes on the data folder's filesystem, and the store's size (used pages + WAL), at the last measurement. */
  dataFreeBytes: number;
  storeBytes: number;
}

export interface MetricsOptions {
  bus: EventBus;
  gauges: () => GaugeReadings;
}

export interface Metrics {
  contentType: string;
  /** The text exposition, gauges read now. */
  render(): Promise<string>;
}

const PREFIX = 'credit_gateway_';
const CLOCK_OFFSET = `${PREFIX}clock_offset_seconds`;

/** A government extranet: tens of milliseconds on a good day, a minute before the client gives up. */
export const DELIVERY_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];
/** A page of a small table to a full snapshot read of a large one. */
export const JOB_DURATION_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

export function createMetrics(options: MetricsOptions): Metrics {
  const register = new Registry();
  collectDefaultMetrics({ register });
  const registers = [register];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    maskedLabels(new Counter<L>({ name: PREFIX + name, help, labelNames, registers }));
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: PREFIX + name, help, labelNames, registers });

  const read = counter('records_read_total', 'Rows read from sources, by catalog category and source.', ['category', 'source']);
  const committed = counter('records_committed_total', 'Records queued for the platform (new, changed or deleted at the source), by category and source.', ['category', 'source']);
  const unchanged = counter('records_unchanged_total', 'Records read again unchanged, so not queued, by category and source.', ['category', 'source']);
  const rejected = counter(
    'records_rejected_total',
    'Records refused: by this gateway\'s checks (stage="local") or by the platform (stage="platform", no source label: the platform answers per batch).',
    ['category', 'source', 'stage'],
  );
  const delivered = counter('records_delivered_total', 'Records the platform accepted, by category.', ['category']);
  const deleted = counter('records_deleted_total', 'Of the records queued, the deletions, by category and source.', ['category', 'source']);
  const batches = counter('batches_total', 'Batches answered by the platform: delivered, duplicate (stored before), rejected (whole batch) or split (too large).', ['outcome']);
  const retries = counter('delivery_retries_total', 'Failed delivery attempts that will be retried or paused on, by failure code.', ['reason']);
  const latency = new Histogram({
    name: `${PREFIX}delivery_latency_seconds`,
    help: 'Round trip of a batch POST the platform answered.',
    buckets: DELIVERY_LATENCY_BUCKETS,
    registers,
  });
  const sourceErrors = counter('source_errors_total', 'Errors reading a source, by source and error code.', ['source', 'code']);
  const jobRuns = counter('job_runs_total', 'Job runs finished, by job and outcome (ok or failed).', ['job', 'outcome']);
  const jobDuration = new Histogram<'job'>({
    name: `${PREFIX}job_duration_seconds`,
    help: 'How long a job run took, by job.',
    labelNames: ['job'],
    buckets: JOB_DURATION_BUCKETS,
    registers,
  });
  const files = counter('files_total', 'Drop-folder files handled, by source and status (processed or rejected).', ['source', 'status']);
  const configOutcomes = counter('config_outcomes_total', 'Configuration bundles applied, rejected or rolled back.', ['status']);
  const heartbeats = counter('heartbeats_total', 'Heartbeats sent, by outcome (ok or failed).', ['outcome']);

  const pending = gauge('queue_pending_records', 'Records queued and not yet answered by the platform.');
  const oldestAge = gauge('queue_oldest_pending_age_seconds', 'Age of the oldest record still waiting for the platform (0 when none).');
  const openBatches = gauge('queue_open_batches', 'Batches formed and not yet answered.');
  const sourceUp = gauge('source_up', '1 when the source\'s last contact succeeded, else 0.', ['source']);
  const configVersion = gauge('config_version', 'Version of the configuration bundle in force (0 for local configuration only).');
  const readingPaused = gauge('reading_paused', '1 while reading is paused for lack of room on disk (delivery goes on), else 0.');
  const dataFree = gauge('data_free_bytes', 'Free bytes on the filesystem of the data folder, at the last measurement.');
  const storeSize = gauge('store_bytes', 'Bytes the local store occupies: database pages in use plus the WAL.');
  const diskPauses = counter('disk_pauses_total', 'Times reading paused for lack of room on disk, by reason (disk_full, low_space, size_cap).', ['reason']);
  const clockOffset = gauge(CLOCK_OFFSET.slice(PREFIX.length), 'Platform clock minus this host\'s clock, learnt from every platform answer that carries time; absent until one did.');

  const platformRejections = (counts: CategoryCounts) => {
    for (const [category, c] of Object.entries(counts)) rejected.inc({ category, stage: 'platform' }, c.rejected);
  };

  options.bus.subscribe((event: GatewayEvent) => {
    switch (event.type) {
      case 'page_committed': {
        const labels = { category: event.category, source: event.source };
        read.inc(labels, event.read);
        committed.inc(labels, event.queued);
        unchanged.inc(labels, event.unchanged);
        rejected.inc({ ...labels, stage: 'local' }, event.rejected);
        deleted.inc(labels, event.deleted);
        return;
      }
      case 'job_finished':
        jobRuns.inc({ job: event.job, outcome: event.ok ? 'ok' : 'failed' });
        jobDuration.observe({ job: event.job }, event.durationMs / 1000);
        return;
      case 'source_error':
        sourceErrors.inc({ source: event.source, code: event.code });
        return;
      case 'file_processed':
        files.inc({ source: event.source, status: event.status });
        return;
      case 'config_outcome':
        configOutcomes.inc({ status: event.status });
        return;
      case 'heartbeat':
        heartbeats.inc({ outcome: event.ok ? 'ok' : 'failed' });
        return;
      case 'disk_pressure':
        if (event.paused && event.reason) diskPauses.inc({ reason: event.reason });
        return;
      case 'batch_delivered':
        batches.inc({ outcome: event.duplicate ? 'duplicate' : 'delivered' });
        latency.observe(event.durationMs / 1000);
        for (const [category, c] of Object.entries(event.categories)) delivered.inc({ category }, c.accepted);
        platformRejections(event.categories);
        return;
      case 'batch_rejected':
        batches.inc({ outcome: 'rejected' });
        platformRejections(event.categories);
        return;
      case 'batch_split':
        batches.inc({ outcome: 'split' });
        return;
      case 'attempt_failed':
        retries.inc({ reason: event.reason.code });
        return;
      default:
        return unknownEvent(event);
    }
  });

  return {
    contentType: register.contentType,
    async render() {
      const g = options.gauges();
      pending.set(g.queuePending);
      oldestAge.set(g.queueOldestAgeSecs);
      openBatches.set(g.openBatches);
      // Reset first, so a source removed from the configuration stops being reported.
      sourceUp.reset();
      for (const s of g.sources) sourceUp.set({ source: s.name }, s.up ? 1 : 0);
      configVersion.set(g.configVersion);
      readingPaused.set(g.readingPaused ? 1 : 0);
      dataFree.set(g.dataFreeBytes);
      storeSize.set(g.storeBytes);
      // Unknown is not 0 (a clock in step): the series is left out until a heartbeat measured it.
      if (g.clockOffsetMs === null) {
        if (register.getSingleMetric(CLOCK_OFFSET)) register.removeSingleMetric(CLOCK_OFFSET);
      } else {
        if (!register.getSingleMetric(CLOCK_OFFSET)) register.registerMetric(clockOffset);
        clockOffset.set(g.clockOffsetMs / 1000);
      }
      return register.metrics();
    },
  };
}

/** The counter, its label values masked each time it moves. */
function maskedLabels<L extends string>(counter: Counter<L>): Counter<L> {
  const inc = counter.inc.bind(counter) as (...args: unknown[]) => void;
  counter.inc = ((labels?: unknown, value?: number) => {
    if (typeof labels !== 'object' || labels === null) return inc(labels);
    const masked = Object.entries(labels).map(([k, v]) => [k, typeof v === 'string' ? maskIdNumbersIn(v) : v]);
    return inc(Object.fromEntries(masked), value);
  }) as Counter<L>['inc'];
  return counter;
}

/** A new event type must be counted here (or deliberately not): the compiler says where. */
function unknownEvent(event: never): void {
  void event;
}
