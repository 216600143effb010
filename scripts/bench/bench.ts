#!/usr/bin/env node
/**
 * Issue 14's measurement, in one run on one MariaDB table: the C client and
 * mysql2 keyset reads, a naive department script, and credit-gateway (`run`
 * delivering, `run --no-deliver`, the drain of that backlog, peak RSS, store
 * bytes per record, freshness under churn), printed as one table with each
 * rate's ratio to the keyset read.
 *
 *   npm run bench [-- --rows 1000000] [--only read,naive,run,drain,fresh] [--keep] [--json out.json] [--no-process]
 *
 * The reader of the benchmark's own server holds PROCESS, so the gateway
 * bounds its reads by the open transactions; --no-process measures the
 * fixed safetyLagSecs instead (an account that cannot see them).
 *   BENCH_MYSQL_URL=mysql://user:pw@127.0.0.1:3306/db npm run bench   # a server of your own
 *
 * Without BENCH_MYSQL_URL a MariaDB server is started in a temp dir; with
 * --keep its data dir is $TMPDIR/credit-gateway-bench-mariadb and a table that
 * already holds --rows rows is reused. A benchmark, never a test: it asserts
 * nothing and its numbers depend on the machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureTable, openDatabase } from './database.js';
import { measureFreshness } from './freshness.js';
import { GATEWAY_ID, PLATFORM_SECRET, type ConfigOptions } from './gateway-config.js';
import { drainQueue, runGateway } from './gateway-runs.js';
import { runMeasured } from './processes.js';
import { mysqlClient, readKeyset, readWithClient } from './reads.js';
import { startBenchReceiver } from './receiver-process.js';
import { formatReport, machine, type Results } from './report.js';

const PARTS = ['read', 'naive', 'run', 'drain', 'fresh'] as const;
const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
    'page-size': { type: 'string', default: '5000' },
    changes: { type: 'string', default: '300' },
    'churn-rate': { type: 'string', default: '10' },
    'no-process': { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const only = new Set(args.only ? args.only.split(',').map((s) => s.trim()) : PARTS);
for (const part of only) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only takes ${PARTS.join(',')}`);
const log = (line: string) => process.stderr.write(`${line}\n`);
const NAIVE = fileURLToPath(new URL('./naive-department-script.js', import.meta.url));

async function main(): Promise<void> {
  const db = await openDatabase(args.keep, !args['no-process']);
  const work = mkdtempSync(join(tmpdir(), 'credit-gateway-bench-'));
  const receivers: { close(): Promise<void> }[] = [];
  const receiver = async (arrivals?: string) => {
    const r = await startBenchReceiver(GATEWAY_ID, PLATFORM_SECRET, arrivals);
    receivers.push(r);
    return r;
  };
  try {
    log(`database ${db.version} at ${db.admin.host}:${db.admin.port}`);
    const loadSeconds = await ensureTable(db.admin, ROWS, args.keep, log);
    const results: Results = { date: new Date().toISOString(), machine: machine(`MariaDB/MySQL ${db.version}`), rows: ROWS, pageSize: Number(args['page-size']), loadSeconds };
    const gateway = (dir: string, platformUrl: string, more: Partial<ConfigOptions> = {}): ConfigOptions => ({
      dir: join(work, dir), platformUrl, reader: db.reader, timeZone: db.timeZone, pageSize: results.pageSize, ...more,
    });

    if (only.has('read')) {
      const client = mysqlClient();
      log(`reading with ${client ?? 'no C client'} …`);
      results.client = client ? await readWithClient(client, db.reader, ROWS) : null;
      log('reading with mysql2 keyset pages …');
      results.keyset = await readKeyset(db.reader);
    }
    if (only.has('naive')) {
      log('naive department script …');
      const platform = await receiver();
      const naive = await runMeasured(
        [NAIVE, '--host', db.reader.host, '--port', String(db.reader.port), '--user', db.reader.user, '--database', db.reader.database,
          '--url', platform.url, '--gateway', GATEWAY_ID, '--secret', PLATFORM_SECRET],
        { DB_PASSWORD: db.reader.password },
      );
      results.naive = { rows: await platform.stored(), seconds: naive.seconds };
      await platform.close();
    }
    if (only.has('run')) {
      log('credit-gateway run, empty store, delivering …');
      const platform = await receiver();
      results.run = await runGateway(gateway('run', platform.url), true);
      await platform.close();
    }
    let drained: ConfigOptions | null = null;
    if (only.has('drain')) {
      log('credit-gateway run --no-deliver …');
      const platform = await receiver();
      const backlog = gateway('backlog', platform.url);
      results.noDeliver = await runGateway(backlog, false);
      log(`draining ${results.noDeliver.queued.toLocaleString('en-US')} queued records …`);
      results.drain = await drainQueue(backlog, platform, results.noDeliver.queued, db.reader);
      await platform.close();
      drained = backlog;
    }
    if (only.has('fresh')) {
      log('freshness under churn …');
      const platform = await receiver('CF_NR');
      // A drained store holds the whole table; without one, only the churn's rows are read.
      const config = drained ? { ...drained, platformUrl: platform.url, pollSecs: 1 } : gateway('fresh', platform.url, { pollSecs: 1, aboveId: ROWS });
      results.freshness = await measureFreshness(config, platform, db.admin, ROWS, { changes: Number(args.changes), rate: Number(args['churn-rate']) });
      // BENCH_MYSQL_URL's account is what it is: the probe (config check --probe) tells.
      if (!process.env.BENCH_MYSQL_URL) results.freshness.bound = args['no-process'] ? 'fixed lag 5 s (reader without PROCESS)' : 'open transactions (reader with PROCESS)';
      await platform.close();
    }
    process.stdout.write(`${formatReport(results)}\n`);
    if (args.json) writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    for (const r of receivers) await r.close().catch(() => undefined);
    // BENCH_KEEP_WORK=1 leaves the gateways' configurations and stores for a look afterwards.
    if (process.env.BENCH_KEEP_WORK) log(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
