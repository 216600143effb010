import t from 'tap';
import { EventBus } from '../../../gateway/observability/events.js';
import { createMetrics, type GaugeReadings } from '../../../gateway/observability/metrics.js';

/**
 * The metrics count what the typed events say: events go through a real
 * EventBus, and the assertions read the text exposition a Prometheus server
 * would scrape.
 */

const readings = (over: Partial<GaugeReadings> = {}): GaugeReadings => ({
  queuePending: 0,
  queueOldestAgeSecs: 0,
  openBatches: 0,
  sources: [],
  configVersion: 0,
  clockOffsetMs: null,
  readingPaused: false,
  dataFreeBytes: 0,
  storeBytes: 0,
  ...over,
});

/** One sample line per series: `name{a="1",b="2"}` (labels in the order written) → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** The value of a series whatever the order of its labels; undefined when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const [series, v] of samples(text)) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(series)!;
    if (m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    const want = Object.entries(labels);
    if (want.length === Object.keys(got).length && want.every(([k, val]) => got[k] === val)) return v;
  }
  return undefined;
}

function setup(gauges: () => GaugeReadings = () => readings()) {
  const bus = new EventBus((err) => {
    throw err;
  });
  return { bus, metrics: createMetrics({ bus, gauges }) };
}

const P = 'credit_gateway_';

t.test('a committed page counts rows read, queued, unchanged, deleted and refused locally, by category and source', async (t) => {
  const { bus, metrics } = setup();
  bus.emit({ type: 'page_committed', job: 'penalties', source: 'rsj', category: 'P07-002', read: 10, queued: 8, unchanged: 0, rejected: 2, deleted: 0 });
  bus.emit({ type: 'page_committed', job: 'penalties', source: 'rsj', category: 'P07-002', read: 5, queued: 1, unchanged: 3, rejected: 0, deleted: 1 });
  bus.emit({ type: 'page_committed', job: 'licences', source: 'drop', category: 'P05-001', read: 4, queued: 4, unchanged: 0, rejected: 0, deleted: 0 });
  const text = await metrics.render();
  const rsj = { category: 'P07-002', source: 'rsj' };
  t.equal(value(text, `${P}records_read_total`, rsj), 15);
  t.equal(value(text, `${P}records_committed_total`, rsj), 9);
  t.equal(value(text, `${P}records_unchanged_total`, rsj), 3);
  t.equal(value(text, `${P}records_deleted_total`, rsj), 1);
  t.equal(value(text, `${P}records_rejected_total`, { ...rsj, stage: 'local' }), 2);
  t.equal(value(text, `${P}records_read_total`, { category: 'P05-001', source: 'drop' }), 4, 'each category and source apart');
  t.equal(value(text, `${P}records_rejected_total`, { category: 'P05-001', source: 'drop', stage: 'local' }), 0, 'a series shows 0 before its first refusal');
});

t.test('delivery: batches by outcome, records delivered and refused by the platform, retries by reason', async (t) => {
  const { bus, metrics } = setup();
  bus.emit({
    type: 'batch_delivered', batchId: 'B1', records: 5, accepted: 4, rejected: 1, duplicate: false, attempts: 1, durationMs: 200,
    categories: { 'P07-002': { accepted: 3, rejected: 1 }, 'P05-001': { accepted: 1, rejected: 0 } },
  });
  bus.emit({
    type: 'batch_delivered', batchId: 'B2', records: 2, accepted: 2, rejected: 0, duplicate: true, attempts: 2, durationMs: 3000,
    categories: { 'P07-002': { accepted: 2, rejected: 0 } },
  });
  bus.emit({ type: 'batch_rejected', batchId: 'B3', records: 3, code: 'BATCH_MALFORMED', message: 'line 1', categories: { 'P07-002': { accepted: 0, rejected: 3 } } });
  bus.emit({ type: 'batch_split', batchId: 'B4', records: 10, into: ['B5', 'B6'] });
  for (const code of ['DELIVERY_UNREACHABLE', 'DELIVERY_UNREACHABLE', 'DELIVERY_TIMEOUT']) {
    bus.emit({ type: 'attempt_failed', batchId: 'B7', records: 1, attempt: 1, reason: { code, message: 'x' }, next: 'retry', delayMs: 1000 });
  }
  const text = await metrics.render();

  t.equal(value(text, `${P}batches_total`, { outcome: 'delivered' }), 1);
  t.equal(value(text, `${P}batches_total`, { outcome: 'duplicate' }), 1);
  t.equal(value(text, `${P}batches_total`, { outcome: 'rejected' }), 1);
  t.equal(value(text, `${P}batches_total`, { outcome: 'split' }), 1);
  t.equal(value(text, `${P}records_delivered_total`, { category: 'P07-002' }), 5);
  t.equal(value(text, `${P}records_delivered_total`, { category: 'P05-001' }), 1);
  t.equal(value(text, `${P}records_rejected_total`, { category: 'P07-002', stage: 'platform' }), 4, 'per-record refusals and the refused batch');
  t.equal(value(text, `${P}delivery_retries_total`, { reason: 'DELIVERY_UNREACHABLE' }), 2);
  t.equal(value(text, `${P}delivery_retries_total`, { reason: 'DELIVERY_TIMEOUT' }), 1);
});

t.test('the latency histogram puts a 0.2 s round trip in the buckets from 0.25 s up', async (t) => {
  const { bus, metrics } = setup();
  bus.emit({ type: 'batch_delivered', batchId: 'B1', records: 1, accepted: 1, rejected: 0, duplicate: false, attempts: 1, durationMs: 200, categories: { 'P07-002': { accepted: 1, rejected: 0 } } });
  const text = await metrics.render();
  const bucket = (le: string) => value(text, `${P}delivery_latency_seconds_bucket`, { le });
  t.equal(bucket('0.05'), 0);
  t.equal(bucket('0.1'), 0);
  t.equal(bucket('0.25'), 1);
  t.equal(bucket('60'), 1);
  t.equal(bucket('+Inf'), 1);
  t.equal(value(text, `${P}delivery_latency_seconds_count`), 1);
  t.equal(value(text, `${P}delivery_latency_seconds_sum`), 0.2);
});

t.test('jobs, source errors, files, configuration outcomes and heartbeats', async (t) => {
  const { bus, metrics } = setup();
  bus.emit({ type: 'job_finished', job: 'penalties', source: 'rsj', ok: true, durationMs: 1500 });
  bus.emit({ type: 'job_finished', job: 'penalties', source: 'rsj', ok: false, durationMs: 40, code: 'SOURCE_UNREACHABLE' });
  bus.emit({ type: 'source_error', source: 'rsj', code: 'SOURCE_UNREACHABLE' });
  bus.emit({ type: 'file_processed', source: 'drop', file: '黄石市某某.xlsx', status: 'processed' });
  bus.emit({ type: 'file_processed', source: 'drop', file: 'wrong.csv', status: 'rejected', code: 'FILE_HEADER_UNKNOWN' });
  bus.emit({ type: 'config_outcome', version: 3, status: 'applied', via: 'platform' });
  bus.emit({ type: 'config_outcome', version: 4, status: 'rejected', via: 'admin' });
  bus.emit({ type: 'heartbeat', ok: true, clockOffsetMs: 1200 });
  bus.emit({ type: 'heartbeat', ok: false, clockOffsetMs: null });
  const text = await metrics.render();

  t.equal(value(text, `${P}job_runs_total`, { job: 'penalties', outcome: 'ok' }), 1);
  t.equal(value(text, `${P}job_runs_total`, { job: 'penalties', outcome: 'failed' }), 1);
  t.equal(value(text, `${P}job_duration_seconds_count`, { job: 'penalties' }), 2);
  t.equal(value(text, `${P}job_duration_seconds_bucket`, { job: 'penalties', le: '1' }), 1, 'the 40 ms run');
  t.equal(value(text, `${P}job_duration_seconds_bucket`, { job: 'penalties', le: '5' }), 2, 'and the 1.5 s one');
  t.equal(value(text, `${P}source_errors_total`, { source: 'rsj', code: 'SOURCE_UNREACHABLE' }), 1);
  t.equal(value(text, `${P}files_total`, { source: 'drop', status: 'processed' }), 1);
  t.equal(value(text, `${P}files_total`, { source: 'drop', status: 'rejected' }), 1);
  t.equal(value(text, `${P}config_outcomes_total`, { status: 'applied' }), 1);
  t.equal(value(text, `${P}config_outcomes_total`, { status: 'rejected' }), 1);
  t.equal(value(text, `${P}heartbeats_total`, { outcome: 'ok' }), 1);
  t.equal(value(text, `${P}heartbeats_total`, { outcome: 'failed' }), 1);
  t.notMatch(text, /黄石市某某|wrong\.csv/, 'file names are never label values');
});

t.test('gauges are read when the page is rendered, not when events come', async (t) => {
  let now = readings({ queuePending: 12, queueOldestAgeSecs: 90, openBatches: 1, sources: [{ name: 'rsj', up: true }, { name: 'drop', up: false }], configVersion: 3 });
  const { metrics } = setup(() => now);
  let text = await metrics.render();
  t.equal(value(text, `${P}queue_pending_records`), 12);
  t.equal(value(text, `${P}queue_oldest_pending_age_seconds`), 90);
  t.equal(value(text, `${P}queue_open_batches`), 1);
  t.equal(value(text, `${P}source_up`, { source: 'rsj' }), 1);
  t.equal(value(text, `${P}source_up`, { source: 'drop' }), 0);
  t.equal(value(text, `${P}config_version`), 3);
  t.equal(value(text, `${P}clock_offset_seconds`), undefined, 'no offset before a heartbeat measured one');

  now = readings({ queuePending: 0, sources: [{ name: 'rsj', up: false }], configVersion: 4, clockOffsetMs: -1500 });
  text = await metrics.render();
  t.equal(value(text, `${P}queue_pending_records`), 0);
  t.equal(value(text, `${P}source_up`, { source: 'rsj' }), 0);
  t.equal(value(text, `${P}source_up`, { source: 'drop' }), undefined, 'a source no longer configured is no longer reported');
  t.equal(value(text, `${P}config_version`), 4);
  t.equal(value(text, `${P}clock_offset_seconds`), -1.5);

  now = readings({ clockOffsetMs: null });
  text = await metrics.render();
  t.equal(value(text, `${P}clock_offset_seconds`), undefined, 'unknown again, absent again');
});

t.test('two gateways in one process count apart, each with its own process metrics', async (t) => {
  const a = setup();
  const b = setup();
  a.bus.emit({ type: 'source_error', source: 'rsj', code: 'SOURCE_UNREACHABLE' });
  const [ta, tb] = [await a.metrics.render(), await b.metrics.render()];
  t.equal(value(ta, `${P}source_errors_total`, { source: 'rsj', code: 'SOURCE_UNREACHABLE' }), 1);
  t.equal(value(tb, `${P}source_errors_total`, { source: 'rsj', code: 'SOURCE_UNREACHABLE' }), undefined);
  t.match(ta, /^process_cpu_seconds_total /m, 'default process metrics');
  t.match(tb, /^process_cpu_seconds_total /m);
  t.match(a.metrics.contentType, /^text\/plain; version=0\.0\.4/);
});

t.test('the exposition is well formed: every sample line parses and every metric has HELP and TYPE', async (t) => {
  const { bus, metrics } = setup(() => readings({ sources: [{ name: 'rsj', up: true }], clockOffsetMs: 10 }));
  bus.emit({ type: 'page_committed', job: 'penalties', source: 'rsj', category: 'P07-002', read: 1, queued: 1, unchanged: 0, rejected: 0, deleted: 0 });
  const text = await metrics.render();
  t.ok(samples(text).size > 0);
  const ours = [...text.matchAll(/^# TYPE (credit_gateway_\w+) (\w+)$/gm)].map((m) => m[1]);
  t.equal(ours.length, 25, 'every credit_gateway_ metric is declared');
  for (const name of ours) t.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'), `${name} is explained`);
});

t.test('a label value from outside (a failure code quoting a record) is counted with identity numbers masked', async (t) => {
  const { bus, metrics } = setup();
  bus.emit({ type: 'attempt_failed', batchId: 'b1', records: 1, attempt: 1, reason: { code: 'REFUSED_ID420202199002154568', message: 'x' }, next: 'retry', delayMs: 10 });
  bus.emit({ type: 'source_error', source: 'rsj', code: 'BAD_KEY_420202900215456' });
  const text = await metrics.render();
  t.equal(value(text, `${P}delivery_retries_total`, { reason: 'REFUSED_ID420202********4568' }), 1);
  t.equal(value(text, `${P}source_errors_total`, { source: 'rsj', code: 'BAD_KEY_420202******456' }), 1);
  t.notOk(text.includes('420202199002154568') || text.includes('420202900215456'), 'no whole identity number in the exposition');
});

t.test('disk pressure: reading paused, free bytes and store size are gauges; each pause is counted by its reason', async (t) => {
  let now = readings({ readingPaused: false, dataFreeBytes: 5e9, storeBytes: 12e6 });
  const { bus, metrics } = setup(() => now);
  let text = await metrics.render();
  t.equal(value(text, `${P}reading_paused`), 0);
  t.equal(value(text, `${P}data_free_bytes`), 5e9);
  t.equal(value(text, `${P}store_bytes`), 12e6);
  bus.emit({ type: 'disk_pressure', paused: true, reason: 'low_space', was: null, code: 'STORE_LOW_SPACE', freeBytes: 1e6, storeBytes: 12e6 });
  bus.emit({ type: 'disk_pressure', paused: true, reason: 'disk_full', was: 'low_space', code: 'STORE_DISK_FULL', freeBytes: 0, storeBytes: 12e6 });
  bus.emit({ type: 'disk_pressure', paused: false, reason: null, was: 'disk_full', code: null, freeBytes: 5e9, storeBytes: 12e6 });
  now = readings({ readingPaused: true, dataFreeBytes: 0, storeBytes: 13e6 });
  text = await metrics.render();
  t.equal(value(text, `${P}reading_paused`), 1);
  t.equal(value(text, `${P}data_free_bytes`), 0);
  t.equal(value(text, `${P}disk_pauses_total`, { reason: 'low_space' }), 1);
  t.equal(value(text, `${P}disk_pauses_total`, { reason: 'disk_full' }), 1);
  t.equal(value(text, `${P}disk_pauses_total`, { reason: 'size_cap' }), undefined, 'a resume is not a pause');
});
