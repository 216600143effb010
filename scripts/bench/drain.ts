#!/usr/bin/env node
/**
 * The drain of a queued backlog (issue 14: ≥ 50,000 records/s), alone and
 * quick: N realistic 行政处罚 records (the full bench's rows and job) are
 * queued in a real store, then delivered by the real Deliverer and
 * PlatformClient to the reference receiver in its own process (records kept
 * without their data). Beside it, measured in the same run against the same
 * receiver, the floor: the same lines read raw from a plain SQLite table,
 * gzipped 5,000 at a time, signed and POSTed, with no bookkeeping.
 *
 *   npm run bench:drain [-- --rows 100000] [--cipher aes-256-gcm|sm4] [--gzip false]
 *
 * Body bytes per record are printed for both: the gateway's and a
 * whole-batch gzip of the same lines. So is the gateway's CPU per record,
 * its main thread's and its whole process's: on a shared machine the rates
 * move with the neighbours, the CPU spent per record much less. A benchmark, not a test: it asserts
 * nothing, and its numbers depend on the machine and on what else runs on it.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { monotonicFactory } from 'ulid';
import { request } from 'undici';
import type { Row } from '../../connectors/contract.js';
import { loadCatalog } from '../../gateway/catalog/index.js';
import { BODY_GZIP_LEVEL } from '../../gateway/delivery/batch-body.js';
import { PlatformClient } from '../../gateway/delivery/client.js';
import type { DeliveryLogger } from '../../gateway/delivery/contract.js';
import { Deliverer } from '../../gateway/delivery/deliverer.js';
import { signRequest } from '../../gateway/delivery/signing.js';
import { THREAD_MIN_ROWS } from '../../gateway/jobs/map-thread.js';
import { queuedForm } from '../../gateway/jobs/queued-form.js';
import { mapRows, type MapRow } from '../../gateway/jobs/runner.js';
import type { JobMapping } from '../../gateway/mapping/types.js';
import { loadStandards } from '../../gateway/standards/index.js';
import { OutboxChunks } from '../../gateway/store/outbox-chunks.js';
import { Outbox } from '../../gateway/store/outbox.js';
import { parseKey, PayloadCipher, type PayloadAlgorithm } from '../../gateway/store/payload-crypto.js';
import { Store } from '../../gateway/store/store.js';
import { mapAndValidate } from '../../gateway/validation/map-and-validate.js';
import { CATEGORY, GATEWAY_ID, PLATFORM_SECRET } from './gateway-config.js';
import { COLUMNS, CONSTANT_FIELDS, FIELD_COLUMNS, penaltyRow } from './penalty-rows.js';
import { startBenchReceiver, type BenchReceiver } from './receiver-process.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    'page-size': { type: 'string', default: '5000' },
    cipher: { type: 'string' },
    gzip: { type: 'string', default: 'true' },
  },
});
const ROWS = Number(args.rows);
const PAGE_SIZE = Number(args['page-size']);
const BATCH = 5000;
const GZIP = args.gzip !== 'false';
const OBSERVED_AT = '2026-12-01T02:00:00.000Z';

const JOB: JobMapping = {
  name: 'penalties',
  category: CATEGORY,
  key: ['id'],
  subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
  fields: {
    ...Object.fromEntries(Object.entries(CONSTANT_FIELDS).map(([field, value]) => [field, { const: value }])),
    ...Object.fromEntries(Object.entries(FIELD_COLUMNS).map(([field, column]) =>
      [field, column === 'punish_date' || column === 'publish_until' ? { column, date: 'YYYY-MM-DD' } : column])),
  } as JobMapping['fields'],
};

const standards = loadStandards();
const STANDARD = standards.standardFor(loadCatalog().byCode(CATEGORY)!);
const mapRow: MapRow = (row, observedAt) => {
  const outcome = mapAndValidate(JOB, row, { gatewayId: GATEWAY_ID, observedAt, codeTables: standards.codeTables }, { standard: STANDARD });
  return outcome.ok ? { record: outcome.record } : { rejection: outcome.rejection };
};

function rowOf(id: number): Row {
  const values = penaltyRow(id);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, values[i]!])) as Row;
}

function cipherOf(name: string | undefined): PayloadCipher | undefined {
  return name ? new PayloadCipher(parseKey('11'.repeat(32)), name as PayloadAlgorithm) : undefined;
}

/**
 * Queues ROWS records in a fresh store as a bulk run does: a page of THREAD_MIN_ROWS or more in the
 * form a mapping thread sends it (its lines a page at a time), a smaller one mapped here (lines one by
 * one). Returns the seconds it took (the page transactions, mapping included).
 */
function fill(file: string, cipher: PayloadCipher | undefined): number {
  const store = Store.open({ file, cipher });
  const started = performance.now();
  for (let first = 1; first <= ROWS; first += PAGE_SIZE) {
    const rows = Array.from({ length: Math.min(PAGE_SIZE, ROWS - first + 1) }, (_, i) => rowOf(first + i));
    const mapped = mapRows(mapRow, rows, OBSERVED_AT);
    const page = rows.length >= THREAD_MIN_ROWS ? { ...mapped, ...queuedForm(mapped.records) } : mapped;
    store.commitPage({ job: JOB.name, ...page, cursor: [String(rows.at(-1)!.id)], rowsRead: rows.length });
  }
  const seconds = (performance.now() - started) / 1000;
  store.close();
  return seconds;
}

/** The baseline's input: the queued lines as plain TEXT in a table of their own (not timed). */
function copyLinesRaw(storeFile: string, rawFile: string, cipher: PayloadCipher | undefined): number {
  const from = new Database(storeFile, { readonly: true });
  const outbox = new Outbox(from, new OutboxChunks(from, cipher ?? null), cipher ?? null);
  const to = new Database(rawFile);
  to.pragma('journal_mode = WAL');
  to.exec('CREATE TABLE lines (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)');
  const insert = to.prepare('INSERT INTO lines (seq, line) VALUES (?, ?)');
  let n = 0;
  to.transaction(() => {
    for (const row of from.prepare('SELECT seq, line, form FROM outbox ORDER BY seq').iterate() as Iterable<{ seq: number; line: Buffer | string; form: number }>) {
      insert.run(row.seq, outbox.line(row));
      n++;
    }
  })();
  from.close();
  to.close();
  return n;
}

interface Sent {
  seconds: number;
  bodyBytes: number;
  rawBytes: number;
}

/** The floor: lines read raw, NDJSON gzipped whole per 5,000, signed and POSTed one batch at a time; nothing settled. */
async function baseline(rawFile: string, url: string): Promise<Sent> {
  const db = new Database(rawFile, { readonly: true });
  const page = db.prepare('SELECT seq, line FROM lines WHERE seq > ? ORDER BY seq LIMIT ?');
  const newId = monotonicFactory();
  const path = `${new URL(url).pathname.replace(/\/$/, '')}/v1/batches`;
  let bodyBytes = 0;
  let rawBytes = 0;
  let after = 0;
  const started = performance.now();
  for (;;) {
    const rows = page.all(after, BATCH) as { seq: number; line: string }[];
    if (rows.length === 0) break;
    after = rows.at(-1)!.seq;
    const raw = Buffer.from(rows.map((r) => `${r.line}\n`).join(''), 'utf8');
    const body = GZIP ? gzipSync(raw, { level: BODY_GZIP_LEVEL }) : raw;
    const signed = signRequest({
      method: 'POST', path, body, secret: PLATFORM_SECRET, algorithm: 'sha256',
      timestamp: Date.now(), nonce: randomBytes(16).toString('hex'), gatewayId: GATEWAY_ID,
    });
    const res = await request(new URL(path, url), {
      method: 'POST', body,
      headers: { 'Content-Type': 'application/x-ndjson', 'X-Batch-Id': newId(), ...(GZIP ? { 'Content-Encoding': 'gzip' } : {}), ...signed },
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`baseline batch answered ${res.statusCode}`);
    bodyBytes += body.length;
    rawBytes += raw.length;
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { seconds, bodyBytes, rawBytes };
}

/** The gateway's drain: Deliverer.drain() over the store, as `credit-gateway run` ends and `start` delivers. */
async function drain(storeFile: string, url: string, cipher: PayloadCipher | undefined): Promise<Sent & { pending: number; mainMs: number | null; processMs: number }> {
  const store = Store.open({ file: storeFile, cipher });
  let bodyBytes = 0;
  let rawBytes = 0;
  const logger: DeliveryLogger = {
    debug: (o) => {
      const posted = o as { bytes?: number; rawBytes?: number };
      bodyBytes += posted.bytes ?? 0;
      rawBytes += posted.rawBytes ?? 0;
    },
    info: () => undefined,
    warn: (o, m) => console.error('warn', m, o),
    error: (o, m) => console.error('error', m, o),
  };
  const client = new PlatformClient({ url, gatewayId: GATEWAY_ID, secret: PLATFORM_SECRET, gzip: GZIP, logger });
  const deliverer = new Deliverer({
    store, client, logger,
    limits: { maxRecords: BATCH, maxBytes: 8 * 1024 * 1024 },
    backoff: { baseMs: 100, maxMs: 1000 },
  });
  const started = performance.now();
  const mainBefore = mainThreadCpuMs();
  const allBefore = process.cpuUsage();
  const { pending } = await deliverer.drain();
  const seconds = (performance.now() - started) / 1000;
  const mainMs = mainBefore === null ? null : mainThreadCpuMs()! - mainBefore;
  const all = process.cpuUsage(allBefore);
  await client.close();
  store.close();
  return { seconds, bodyBytes, rawBytes, pending, mainMs, processMs: (all.user + all.system) / 1000 };
}

/**
 * CPU time of this process's main thread so far, in ms (Linux: /proc, in clock ticks of 10 ms), null elsewhere.
 * On a busy shared machine the rate moves with the neighbours; the CPU spent per record much less.
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-drain-'));
  let receiver: BenchReceiver | null = null;
  try {
    const cipher = cipherOf(args.cipher);
    const storeFile = join(dir, 'gateway.sqlite');
    const rawFile = join(dir, 'lines.sqlite');
    receiver = await startBenchReceiver(GATEWAY_ID, PLATFORM_SECRET);
    console.log(`drain of ${thousands(ROWS)} queued records, batches of ${BATCH}, gzip ${GZIP ? 'on' : 'off'}${cipher ? `, store.encryption ${args.cipher}` : ''}; node ${process.version}`);
    const filled = fill(storeFile, cipher);
    const queued = copyLinesRaw(storeFile, rawFile, cipher);
    console.log(`queued ${thousands(queued)} records in ${filled.toFixed(1)} s (${thousands(queued / filled)}/s, mapping included)`);

    // The gateway first, into an empty receiver: the baseline then resends records it holds, which it stores no more.
    const gateway = await drain(storeFile, receiver.url, cipher);
    const delivered = await receiver.stored();
    if (gateway.pending !== 0) throw new Error(`${gateway.pending} records still queued after the drain`);
    const base = await baseline(rawFile, receiver.url);

    const line = (label: string, s: Sent) =>
      `${label.padEnd(44)}${thousands(queued / s.seconds).padStart(10)}${(s.seconds).toFixed(2).padStart(9)}${(s.bodyBytes / queued).toFixed(0).padStart(10)}${(s.rawBytes / queued).toFixed(0).padStart(9)}`;
    console.log(`\n${'what'.padEnd(44)}${'rec/s'.padStart(10)}${'s'.padStart(9)}${'body B/rec'.padStart(10)}${'raw B/rec'.padStart(9)}`);
    console.log(line('baseline: raw lines, whole-batch gzip, POST', base));
    console.log(line('gateway drain (Deliverer → receiver)', gateway));
    const perRecord = (ms: number) => `${((ms * 1000) / queued).toFixed(0)} µs/record`;
    console.log(`gateway CPU: main thread ${gateway.mainMs === null ? 'n/a' : perRecord(gateway.mainMs)}, whole process (threads included) ${perRecord(gateway.processMs)}`);
    console.log(`\ndrain ${(base.seconds / gateway.seconds).toFixed(2)}× the baseline's rate; body ${(gateway.bodyBytes / base.bodyBytes).toFixed(2)}× the baseline's bytes; receiver stored ${thousands(delivered)} of ${thousands(queued)}`);
  } finally {
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
