/**
 * Freshness under churn: a `start`ed gateway polling every second while
 * rows are inserted and updated at a steady rate, each change marked in its
 * content (`#k`) and timed when its commit returned; the receiver notes when
 * each marked version arrived. Latency = arrival − commit, over every
 * change; a change that never arrives is counted as missing.
 */
import { penaltyRow, COLUMNS, TABLE } from './penalty-rows.js';
import { withConnection, type Login } from './database.js';
import { gatewayEnv, writeGatewayConfig, type ConfigOptions } from './gateway-config.js';
import { CLI } from './gateway-runs.js';
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
  p50: number;
  p95: number;
  max: number;
  pollSecs: number;
}

const marked = (k: number) => `罚款人民币${(k % 5) + 1}万元整（变更#${k}）`;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Inserts new rows above `firstId - 1` and updates rows inserted at least
 * half the run earlier (each at most once, so no version is superseded
 * before it could be read). Returns commit times by change number.
 */
async function churn(admin: Login, firstId: number, o: FreshnessOptions): Promise<Map<number, number>> {
  const committed = new Map<number, number>();
  const inserted: { id: number; at: number }[] = [];
  const gap = Math.floor(o.changes / 2);
  const placeholders = COLUMNS.map((c) => (c === 'updated_at' ? 'NOW(6)' : '?')).join(', ');
  await withConnection(admin, async (c) => {
    const start = Date.now();
    let nextId = firstId;
    for (let k = 0; k < o.changes; k++) {
      const due = start + (k * 1000) / o.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const old = inserted[0];
      if (k % 3 === 2 && old && k - old.at >= gap) {
        inserted.shift();
        await c.query(`UPDATE ${TABLE} SET content = ?, updated_at = NOW(6) WHERE id = ?`, [marked(k), old.id]);
      } else {
        const row = penaltyRow(nextId, marked(k)).slice(0, -1);
        await c.query(`INSERT INTO ${TABLE} (${COLUMNS.join(', ')}) VALUES (${placeholders})`, row);
        inserted.push({ id: nextId++, at: k });
      }
      committed.set(k, Date.now());
    }
  });
  return committed;
}

export async function measureFreshness(
  config: ConfigOptions, receiver: BenchReceiver, admin: Login, tableRows: number, o: FreshnessOptions,
): Promise<Freshness> {
  const file = writeGatewayConfig(config);
  const running = startMeasured([CLI, 'start', '--config', file], gatewayEnv(config.reader));
  try {
    // Running once its status line is out; then a few polls so the first (maybe long) one is behind it.
    let stderr = '';
    running.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (!(await waitFor(() => /running; status page/.test(stderr) || running.child.exitCode !== null, 120_000))) throw new Error('the gateway did not start');
    if (running.child.exitCode !== null) throw new Error(`the gateway exited: ${(await running.done).stderr}`);
    await sleep(3000);
    const committed = await churn(admin, tableRows + 1, o);
    const arrivedAt = new Map<number, number>();
    const collect = () => {
      for (const a of receiver.arrivals.splice(0)) {
        const m = /#(\d+)/.exec(String(a.v));
        if (m) arrivedAt.set(Number(m[1]), a.at);
      }
      return arrivedAt.size >= o.changes;
    };
    await waitFor(collect, 30_000, 100);
    const latencies = [...committed].filter(([k]) => arrivedAt.has(k)).map(([k, at]) => (arrivedAt.get(k)! - at) / 1000).sort((a, b) => a - b);
    return {
      changes: o.changes, arrived: latencies.length, missing: o.changes - latencies.length,
      p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies[latencies.length - 1] ?? NaN,
      pollSecs: config.pollSecs ?? 1,
    };
  } finally {
    running.child.kill('SIGTERM');
    await running.done;
    await withConnection(admin, (c) => c.query(`DELETE FROM ${TABLE} WHERE id > ?`, [tableRows]));
  }
}
