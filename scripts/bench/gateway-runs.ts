/**
 * credit-gateway as a department runs it, the real CLI in its own process:
 * `run` into an empty store delivering to the receiver, `run --no-deliver`,
 * and the drain of what that queued by a `start`ed gateway. Wall time and
 * peak RSS of the gateway process; the store's bytes per record afterwards.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Login } from './database.js';
import { LAUNCH_NODE_FLAGS } from '../../gateway/heap.js';
import { gatewayEnv, JOB, writeGatewayConfig, type ConfigOptions } from './gateway-config.js';
import { runMeasured, startMeasured, waitFor } from './processes.js';
import type { BenchReceiver } from './receiver-process.js';

export const CLI = fileURLToPath(new URL('../../gateway/cli.js', import.meta.url));

/**
 * node's arguments for a gateway command as the release's launcher starts it (gateway/heap.ts),
 * plus BENCH_GATEWAY_FLAGS when set: flags for profiling the gateway alone (`--cpu-prof` is not
 * allowed in NODE_OPTIONS, which would reach the receiver and the naive script too).
 */
export function gatewayArgs(...args: string[]): string[] {
  const extra = process.env.BENCH_GATEWAY_FLAGS?.split(' ').filter(Boolean) ?? [];
  return [...LAUNCH_NODE_FLAGS, ...extra, CLI, ...args];
}

export interface GatewayRun {
  rows: number;
  queued: number;
  seconds: number;
  peakRss: number | null;
  /** Peak RSS once 100,000 rows were read (when the run read that many). */
  peakRssAt100k: number | null;
  /** Store file and WAL after a checkpoint, bytes. */
  storeBytes: number;
}

export interface Drain {
  records: number;
  seconds: number;
  peakRss: number | null;
}

export function storeFile(dir: string): string {
  return join(dir, 'data', 'gateway.sqlite');
}

/** The store's size once its WAL is checkpointed into the file, as a stopped gateway leaves it. */
export function storeBytes(dir: string): number {
  const file = storeFile(dir);
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const wal = `${file}-wal`;
  return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
}

function counts(stdout: string): { rows: number; queued: number } {
  const m = /read (\d+) rows in \d+ pages, queued (\d+)/.exec(stdout);
  if (!m) throw new Error(`no summary in the run's output:\n${stdout}`);
  return { rows: Number(m[1]), queued: Number(m[2]) };
}

/** `credit-gateway run penalties` once, into the store under `o.dir` (empty the first time). */
export async function runGateway(o: ConfigOptions, deliver: boolean): Promise<GatewayRun> {
  const config = writeGatewayConfig(o);
  const args = gatewayArgs('run', JOB, '--config', config, '--progress-secs', '0', ...(deliver ? [] : ['--no-deliver']));
  const measured = await runMeasured(args, gatewayEnv(o.reader), [100_000]);
  process.stderr.write(`${measured.stdout.trimEnd().replace(/^/gm, '  gateway: ')}\n`);
  if (deliver && !measured.stdout.includes('delivered: queue empty')) throw new Error(`run did not deliver everything:\n${measured.stdout}`);
  return {
    ...counts(measured.stdout),
    seconds: measured.seconds,
    peakRss: measured.peakRss,
    peakRssAt100k: measured.rssAt[100_000] ?? null,
    storeBytes: storeBytes(o.dir),
  };
}

/**
 * A `start`ed gateway over a store holding `queued` undelivered records,
 * timed from its start until the receiver holds them all; then stopped.
 */
export async function drainQueue(o: ConfigOptions, receiver: BenchReceiver, queued: number, reader: Login): Promise<Drain> {
  const config = writeGatewayConfig(o);
  const running = startMeasured(gatewayArgs('start', '--config', config), gatewayEnv(reader));
  const started = process.hrtime.bigint();
  const before = await receiver.stored();
  let exited = false;
  void running.done.then(() => (exited = true));
  const all = await waitFor(async () => exited || (await receiver.stored()) - before >= queued, 24 * 3600_000, 200);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRss = running.peak();
  running.child.kill('SIGTERM');
  const measured = await running.done;
  if (!all || (await receiver.stored()) - before < queued) {
    throw new Error(`the drain stopped short of ${queued} records:\n${measured.stderr.slice(-3000)}`);
  }
  return { records: queued, seconds, peakRss };
}
