/**
 * Freshness under churn: a `start`ed gateway polling every second while
 * rows are inserted and updated at a steady rate, each change marked in its
 * content (`#k`) and timed when its commit returned; the receiver notes when
 * each marked version arrived. Latency = arrival − commit, over every
 * change; a change that never arrives is counted as missing.
 */
import { penaltyRow, COLUMNS, TABLE } from './penalty-rows.js';
import { withConnection, type Login } from './database.js';
import Database from 'better-sqlite3';
import { gatewayEnv, JOB, writeGatewayConfig, type ConfigOptions } from './gateway-config.js';
import { gatewayArgs, storeFile } from './gateway-runs.js';
import { sleep, startMeasured, waitFor } from './processes.js';
import type { BenchReceiver } from './receiver-process.js';

export interface FreshnessOptions {
  /** Changes made in all (at least 200 for a p95 worth the name). */
  changes: number;
  /** Changes a second. */
  rate: number;
}

export interface Freshness {
  changes: number;
  arrived: number;
  missing: number;
  /** Which changes never arrived, `insert #k` or `update #k`, so a miss can be looked into. */
  missed: string[];
  p50: number;
  p95: number;
  max: number;
  pollSecs: number;
  /** Changes a second. */
  rate: number;
  /** Which read bound the gateway had: the open transactions, or the fixed lag. */
  bound?: string;
}

const UPDATE_AFTER_SECS = 12;

const marked = (k: number) => `罚款人民币${(k % 5) + 1}万元整（变更#${k}）`;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Inserts new rows from `firstId` and updates rows inserted at least
 * UPDATE_AFTER_SECS earlier, each at most once. Returns commit times by
 * change number.
 */
async function churn(admin: Login, firstId: number, o: FreshnessOptions): Promise<Map<number, { at: number; what: string }>> {
  const committed = new Map<number, { at: number; what: string }>();
  const inserted: { id: number; at: number }[] = [];
  // A version updated before the gateway read it is rightly never sent: update only rows far older than any latency seen.
  const gap = UPDATE_AFTER_SECS * o.rate;
  const placeholders = COLUMNS.map((c) => (c === 'updated_at' ? 'NOW(6)' : '?')).join(', ');
  await withConnection(admin, async (c) => {
    const start = Date.now();
    let nextId = firstId;
    for (let k = 0; k < o.changes; k++) {
      const due = start + (k * 1000) / o.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const old = inserted[0];
      let what: string;
      if (k % 3 === 2 && old && k - old.at >= gap) {
        inserted.shift();
        await c.query(`UPDATE ${TABLE} SET content = ?, updated_at = NOW(6) WHERE id = ?`, [marked(k), old.id]);
        what = `update #${k} (id ${old.id})`;
      } else {
        const row = penaltyRow(nextId, marked(k)).slice(0, -1);
        await c.query(`INSERT INTO ${TABLE} (${COLUMNS.join(', ')}) VALUES (${placeholders})`, row);
        what = `insert #${k} (id ${nextId})`;
        inserted.push({ id: nextId++, at: k });
      }
      committed.set(k, { at: Date.now(), what });
    }
  });
  return committed;
}

const pollsSeen = new Map<string, { last: string | null; count: number }>();

/** How many polls of the job the store has recorded since we started watching it (job_runs). */
function polls(config: ConfigOptions): number {
  const seen = pollsSeen.get(config.dir) ?? { last: null, count: 0 };
  pollsSeen.set(config.dir, seen);
  try {
    const db = new Database(storeFile(config.dir), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT last_run_started_at AS at FROM job_runs WHERE job = ?').get(JOB) as { at: string } | undefined;
      if (row && row.at !== seen.last) {
        seen.last = row.at;
        seen.count += 1;
      }
    } finally {
      db.close();
    }
  } catch {
    // Not created yet.
  }
  return seen.count;
}

export async function measureFreshness(
  config: ConfigOptions, receiver: BenchReceiver, admin: Login, tableRows: number, o: FreshnessOptions,
): Promise<Freshness> {
  const file = writeGatewayConfig(config);
  const running = startMeasured(gatewayArgs('start', '--config', file), gatewayEnv(config.reader));
  try {
    // Running once its status line is out; then a few polls so the first (maybe long) one is behind it.
    let stderr = '';
    running.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (!(await waitFor(() => /running; status page/.test(stderr) || running.child.exitCode !== null, 120_000))) throw new Error('the gateway did not start');
    if (running.child.exitCode !== null) throw new Error(`the gateway exited: ${(await running.done).stderr}`);
    // Steady state: the first polls after a start are not what a running gateway does every second.
    if (!(await waitFor(() => polls(config) >= 3, 120_000, 200))) throw new Error('the gateway did not poll three times in two minutes');
    // A first row, awaited: changes are then timed against a job that has a cursor, as a running gateway's job has.
    await withConnection(admin, (c) => c.query(
      `INSERT INTO ${TABLE} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((col) => (col === 'updated_at' ? 'NOW(6)' : '?')).join(', ')})`,
      penaltyRow(tableRows + 1, marked(-1)).slice(0, -1)));
    if (!(await waitFor(() => receiver.arrivals.some((a) => String(a.v).endsWith('#-1）')), 60_000, 100))) throw new Error('the first churn row did not arrive in a minute');
    receiver.arrivals.splice(0);
    const committed = await churn(admin, tableRows + 2, o);
    const arrivedAt = new Map<number, number>();
    const collect = () => {
      for (const a of receiver.arrivals.splice(0)) {
        const m = /#(\d+)/.exec(String(a.v));
        if (m) arrivedAt.set(Number(m[1]), a.at);
      }
      return arrivedAt.size >= o.changes;
    };
    await waitFor(collect, 30_000, 100);
    const latencies = [...committed].filter(([k]) => arrivedAt.has(k)).map(([k, c]) => (arrivedAt.get(k)! - c.at) / 1000).sort((a, b) => a - b);
    return {
      changes: o.changes, arrived: latencies.length, missing: o.changes - latencies.length,
      missed: [...committed].filter(([k]) => !arrivedAt.has(k)).map(([, c]) => c.what),
      p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies[latencies.length - 1] ?? NaN,
      pollSecs: config.pollSecs ?? 1, rate: o.rate,
    };
  } finally {
    running.child.kill('SIGTERM');
    await running.done;
    await withConnection(admin, (c) => c.query(`DELETE FROM ${TABLE} WHERE id > ?`, [tableRows]));
  }
}
