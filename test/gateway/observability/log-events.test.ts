import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../../gateway/logger.js';
import { EventBus, type GatewayEvent } from '../../../gateway/observability/events.js';
import { logEvents } from '../../../gateway/observability/log-events.js';
import { containsIdNumber } from '../../../gateway/identifiers/mask.js';

/**
 * One structured line per event, through the gateway's real logger into a
 * file: the level says how much it matters, the fields are the facts the
 * metrics count.
 */

const LEVEL = { debug: 20, info: 30, warn: 40 } as const;

function setup(t: Test, level = 'debug') {
  const file = join(t.testdir({}), 'gateway.log');
  const bus = new EventBus((err) => {
    throw err;
  });
  const unsubscribe = logEvents(bus, createLogger({ level, destination: file }));
  const lines = () => {
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  return { bus, lines, unsubscribe, text: () => readFileSync(file, 'utf8') };
}

const page: GatewayEvent = { type: 'page_committed', job: 'penalties', source: 'rsj', category: 'P07-002', read: 10, queued: 8, unchanged: 0, rejected: 2, deleted: 0 };

t.test('each event gives one line at its level, with its facts as fields', async (t) => {
  const { bus, lines } = setup(t);
  const cases: [GatewayEvent, number, string][] = [
    [page, LEVEL.debug, 'page committed'],
    // Runs, bundle outcomes and heartbeats are logged at info/warn by their own components, with reasons: here only at debug.
    [{ type: 'job_finished', job: 'penalties', source: 'rsj', ok: true, durationMs: 1500 }, LEVEL.debug, 'job run finished'],
    [{ type: 'job_finished', job: 'penalties', source: 'rsj', ok: false, durationMs: 40, code: 'JOB_SOURCE_FAILED' }, LEVEL.debug, 'job run failed'],
    [{ type: 'source_error', source: 'rsj', code: 'SOURCE_UNREACHABLE' }, LEVEL.debug, 'source error'],
    [{ type: 'file_processed', source: 'drop', file: 'a.xlsx', status: 'processed' }, LEVEL.info, 'file processed'],
    [{ type: 'file_processed', source: 'drop', file: 'b.csv', status: 'rejected', code: 'FILE_HEADER_UNKNOWN' }, LEVEL.warn, 'file rejected'],
    [{ type: 'config_outcome', version: 3, status: 'applied', via: 'platform' }, LEVEL.debug, 'configuration applied'],
    [{ type: 'config_outcome', version: 4, status: 'rejected', via: 'admin' }, LEVEL.debug, 'configuration rejected'],
    [{ type: 'config_outcome', version: 3, status: 'rolled_back', via: 'admin' }, LEVEL.debug, 'configuration rolled_back'],
    [{ type: 'heartbeat', ok: true, clockOffsetMs: 1200 }, LEVEL.debug, 'heartbeat answered'],
    [{ type: 'heartbeat', ok: false, clockOffsetMs: null }, LEVEL.debug, 'heartbeat failed'],
    // Someone must act on a pause (free space): a warning; the resume is worth a line too.
    [{ type: 'disk_pressure', paused: true, reason: 'disk_full', was: null, code: 'STORE_DISK_FULL', freeBytes: 0, storeBytes: 9e6 }, LEVEL.warn, 'reading paused: not enough room on disk for the store; delivery and acknowledgements go on'],
    [{ type: 'disk_pressure', paused: false, reason: null, was: 'disk_full', code: null, freeBytes: 9e9, storeBytes: 9e6 }, LEVEL.info, 'reading resumed: there is room on disk again'],
    [
      { type: 'batch_delivered', batchId: 'B1', records: 3, accepted: 2, rejected: 1, duplicate: false, attempts: 1, durationMs: 200, categories: { 'P07-002': { accepted: 2, rejected: 1 } } },
      LEVEL.debug, 'batch delivered',
    ],
    [{ type: 'batch_rejected', batchId: 'B2', records: 2, code: 'BATCH_MALFORMED', message: 'line 1', categories: { 'P07-002': { accepted: 0, rejected: 2 } } }, LEVEL.debug, 'batch rejected by the platform'],
    [{ type: 'batch_split', batchId: 'B3', records: 10, into: ['B4', 'B5'] }, LEVEL.debug, 'batch split'],
    [{ type: 'attempt_failed', batchId: 'B6', records: 1, attempt: 2, reason: { code: 'DELIVERY_TIMEOUT', message: 'x' }, next: 'retry', delayMs: 4000 }, LEVEL.debug, 'delivery attempt failed'],
  ];
  for (const [event] of cases) bus.emit(event);
  const got = lines();
  t.equal(got.length, cases.length, 'one line per event');
  cases.forEach(([event, level, msg], i) => {
    const { type, ...facts } = event;
    t.match(got[i], { level, msg, event: type, ...facts }, `${type}: ${msg}`);
  });
});

t.test('at the default info level a page is not a line, a rejected file is', async (t) => {
  const { bus, lines } = setup(t, 'info');
  for (let i = 0; i < 5; i++) bus.emit(page);
  bus.emit({ type: 'file_processed', source: 'drop', file: 'b.csv', status: 'rejected', code: 'FILE_HEADER_UNKNOWN' });
  t.match(lines(), [{ level: LEVEL.warn, msg: 'file rejected', source: 'drop', code: 'FILE_HEADER_UNKNOWN' }]);
  t.equal(lines().length, 1);
});

t.test('a file named after a person is logged with the identity number masked', async (t) => {
  const { bus, lines, text } = setup(t);
  bus.emit({ type: 'file_processed', source: 'drop', file: '处罚_420202198001011237.xlsx', status: 'rejected', code: 'FILE_HEADER_UNKNOWN' });
  t.match(lines(), [{ file: '处罚_420202********1237.xlsx' }]);
  t.notOk(containsIdNumber(text()));
});

t.test('after unsubscribing nothing more is written', async (t) => {
  const { bus, lines, unsubscribe } = setup(t);
  bus.emit(page);
  unsubscribe();
  bus.emit(page);
  t.equal(lines().length, 1);
});
