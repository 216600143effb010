#!/usr/bin/env node
/**
 * Invariant 3 (bounded memory), measured: the first run of a job over a
 * large table — every row new — through the real source, the real job
 * runner and the real store, with no delivery (the records stay queued in
 * the store's outbox, which is where an initial load leaves them while the
 * platform drains them at its own pace; delivery holds one batch at a time
 * and is measured elsewhere). Resident memory must not grow with the
 * number of rows: peak RSS is printed at 10 000 rows (the baseline, beside
 * RSS with everything opened but nothing read yet), 100 000 and 1 000 000.
 *
 *   npm run bench:initial-load [-- --rows 1000000 --page-size 500]
 *   BENCH_MYSQL_URL=mysql://admin:pw@127.0.0.1:3306/bench npm run bench:initial-load [-- --only mysql]
 *
 * With BENCH_MYSQL_URL the same load runs against that MySQL/MariaDB
 * database too (its account must be able to create a table there). Not part
 * of `npm test`: it takes minutes and its numbers depend on the machine.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Source } from '../../connectors/contract.js';
import type { SourceOptions } from '../../connectors/options.js';
import { createSource } from '../../connectors/registry.js';
import { planIncremental } from '../../gateway/jobs/plan.js';
import { runIncremental, type MapRow } from '../../gateway/jobs/runner.js';
import type { JobMapping } from '../../gateway/mapping/types.js';
import { Store } from '../../gateway/store/store.js';
import { mapAndValidate } from '../../gateway/validation/map-and-validate.js';
import { makeCreditCode } from '../demo/make-demo-data.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'page-size': { type: 'string', default: '500' },
    only: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const PAGE_SIZE = Number(args['page-size']);
const CHECKPOINTS = [10_000, 100_000, 1_000_000].filter((n) => n <= ROWS);
if (!CHECKPOINTS.includes(ROWS)) CHECKPOINTS.push(ROWS);

const JOB: JobMapping = {
  name: 'penalties',
  category: 'P07-002',
  key: ['id'],
  subject: { kind: 'legal', name: 'party_name', code: 'credit_code' },
  fields: {
    CF_XDR_MC: 'party_name', CF_XDR_SHXYM: 'credit_code', CF_WSH: 'decision_no', CF_SY: 'facts',
    CF_NR: 'content', CF_JDRQ: { column: 'punish_date', date: 'YYYY-MM-DD' },
  },
};
const QUERY = 'SELECT * FROM t_penalty';
const CURSOR = ['updated_at', 'id'];

const mapRow: MapRow = (row, observedAt) => {
  const outcome = mapAndValidate(JOB, row, { gatewayId: 'hs-bench', observedAt });
  return outcome.ok ? { record: outcome.record } : { rejection: outcome.rejection };
};

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Row n of the table: a realistic penalty, about 400 bytes, timestamps shared by groups of rows. */
function* rows(count: number): Generator<unknown[]> {
  const random = seeded(7);
  const start = Date.UTC(2020, 0, 1);
  for (let id = 1; id <= count; id++) {
    const at = new Date(start + Math.floor(id / 5) * 1000);
    yield [
      id, `黄石测试企业${id}有限公司`, makeCreditCode(random, 'company'), `黄人社监罚〔2026〕${id}号`,
      '未按规定为劳动者办理社会保险登记，经责令限期改正逾期不改正', '罚款人民币壹万元整，并责令立即改正',
      at.toISOString().slice(0, 10), at.toISOString(),
    ];
  }
}

const COLUMNS = 'id, party_name, credit_code, decision_no, facts, content, punish_date, updated_at';

function makeSqliteTable(file: string, count: number): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE t_penalty (id INTEGER PRIMARY KEY, party_name TEXT, credit_code TEXT, decision_no TEXT,
             facts TEXT, content TEXT, punish_date TEXT, updated_at TEXT NOT NULL);
           CREATE INDEX t_penalty_cursor ON t_penalty (updated_at, id);`);
  const insert = db.prepare(`INSERT INTO t_penalty (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const row of rows(count)) insert.run(...row);
  })();
  db.close();
}

async function makeMysqlTable(url: URL, count: number): Promise<void> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ uri: url.toString() });
  try {
    await conn.query('DROP TABLE IF EXISTS t_penalty');
    await conn.query(`CREATE TABLE t_penalty (id BIGINT PRIMARY KEY, party_name VARCHAR(200), credit_code CHAR(18), decision_no VARCHAR(100),
                        facts VARCHAR(500), content VARCHAR(500), punish_date DATE, updated_at DATETIME(3) NOT NULL,
                        KEY t_penalty_cursor (updated_at, id)) DEFAULT CHARSET = utf8mb4`);
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await conn.query(`INSERT INTO t_penalty (${COLUMNS}) VALUES ?`, [batch]);
      batch = [];
    };
    for (const row of rows(count)) {
      // DATETIME is naive: written as UTC wall time, read back with timeZone UTC.
      row[7] = (row[7] as string).replace('T', ' ').replace('Z', '');
      batch.push(row);
      if (batch.length === 2000) await flush();
    }
    await flush();
  } finally {
    await conn.end();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const thousands = (n: number) => n.toLocaleString('en-US');

interface Checkpoint {
  rows: number;
  peakRss: number;
  seconds: number;
}

/** One initial load into a fresh store; peak RSS sampled after every page and every 20 ms in between. */
async function load(label: string, options: SourceOptions, dir: string): Promise<void> {
  const store = Store.open({ file: join(dir, `gateway-${options.kind}.sqlite`) });
  const source: Source = await createSource(options);
  await source.open();
  const plan = await planIncremental(source, { query: QUERY, cursor: CURSOR, safetyLagSecs: 5, lookbackSecs: 0, snapshotScheduled: false }, null);
  const opened = process.memoryUsage.rss();

  let peak = opened;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 20);
  const checkpoints: Checkpoint[] = [];
  const pending = [...CHECKPOINTS];
  let read = 0;
  const started = process.hrtime.bigint();
  const summary = await runIncremental(
    { name: 'penalties', query: QUERY, cursor: CURSOR, pageSize: PAGE_SIZE, mapRow },
    {
      source, store,
      onPage: (result) => {
        sample();
        read += result.queued + result.unchanged + result.rejected;
        while (pending.length > 0 && read >= pending[0]!) {
          checkpoints.push({ rows: pending.shift()!, peakRss: peak, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
        }
      },
    },
    plan.window,
  );
  clearInterval(timer);
  await source.close();
  const queued = store.queueStats().pending;
  store.close();

  const base = checkpoints[0]!;
  console.log(`\n${label}: ${thousands(summary.rowsRead)} rows read in ${summary.pages} pages of ${PAGE_SIZE}, ${thousands(queued)} records queued, ${summary.rejected} rejected`);
  console.log('  rows read        peak RSS   vs 10k     rows/s (cumulative)');
  console.log(`  ${'0 (opened)'.padEnd(14)} ${mb(opened).padStart(9)}`);
  for (const c of checkpoints) {
    const growth = c.peakRss - base.peakRss;
    console.log(`  ${thousands(c.rows).padEnd(14)} ${mb(c.peakRss).padStart(9)}   ${`${growth >= 0 ? '+' : ''}${mb(growth)}`.padStart(7)}   ${thousands(Math.round(c.rows / c.seconds)).padStart(9)}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credit-gateway-bench-'));
  try {
    console.log(`initial load of ${thousands(ROWS)} rows: real source, job runner and store; no delivery (records stay queued)`);
    console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
    if (!args.only || args.only === 'sqlite') {
      const file = join(dir, 'business.sqlite');
      const t0 = Date.now();
      makeSqliteTable(file, ROWS);
      console.log(`SQLite table written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await load('SQLite', { kind: 'sqlite', name: 'bench', file }, dir);
    }

    const mysqlUrl = process.env.BENCH_MYSQL_URL;
    if (mysqlUrl && (!args.only || args.only === 'mysql')) {
      const url = new URL(mysqlUrl);
      const t0 = Date.now();
      await makeMysqlTable(url, ROWS);
      console.log(`\nMySQL table written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await load('MySQL/MariaDB', {
        kind: 'mysql', name: 'bench', host: url.hostname, port: url.port ? Number(url.port) : 3306,
        database: url.pathname.slice(1), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), timeZone: 'UTC',
      }, dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
