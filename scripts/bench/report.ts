/**
 * The benchmark's results as the issue's table (what | rows/s | vs keyset
 * read), the memory, store and freshness lines under it, and the machine.
 */
import { cpus, totalmem, platform, release } from 'node:os';
import type { Freshness } from './freshness.js';
import type { Drain, GatewayRun } from './gateway-runs.js';
import type { ReadResult } from './reads.js';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  os: string;
  node: string;
  database: string;
}

export interface Results {
  date: string;
  machine: Machine;
  rows: number;
  pageSize: number;
  loadSeconds: number | null;
  client?: ReadResult | null;
  keyset?: ReadResult;
  naive?: ReadResult;
  run?: GatewayRun;
  noDeliver?: GatewayRun;
  drain?: Drain;
  freshness?: Freshness;
}

export function machine(database: string): Machine {
  return {
    cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`, node: process.version, database,
  };
}

const n = (v: number) => v.toLocaleString('en-US');
const mb = (bytes: number | null | undefined) => (bytes == null ? '–' : `${Math.round(bytes / 2 ** 20)} MB`);

function rate(perSecond: number): string {
  if (perSecond >= 100_000) return `${Math.round(perSecond / 1000)}k`;
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k`;
  return `${Math.round(perSecond)}`;
}

function ratio(value: number, base: number | undefined): string {
  if (!base) return '';
  const r = value / base;
  if (r >= 0.995) return r < 1.005 ? '1.00' : `${r.toFixed(2)}×`;
  return r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
}

export function formatReport(r: Results): string {
  const base = r.keyset ? r.keyset.rows / r.keyset.seconds : undefined;
  const lines: string[] = [];
  const row = (what: string, perSecond: number, unit = '') => lines.push(`| ${what} | ${rate(perSecond)}${unit} | ${ratio(perSecond, base)} |`);
  lines.push(`${n(r.rows)} 行政处罚 rows (15 columns, ~600 bytes of Chinese text a row) in ${r.machine.database}, gateway pages of ${n(r.pageSize)}, one run:`, '');
  lines.push('| what | rows/s | vs keyset read |', '|---|---|---|');
  if (r.client) row('`mysql --quick` (C client)', r.client.rows / r.client.seconds);
  if (r.client === null) lines.push('| `mysql --quick` (C client) | not installed | |');
  if (r.keyset) row('mysql2 keyset pages of 5,000 (the gateway\'s read pattern)', base!);
  if (r.naive) row('a naive department script: stream → rename fields → sha256 → gzip 5,000 → signed POST, no durability, no validation', r.naive.rows / r.naive.seconds);
  if (r.run) row('**credit-gateway `run`, empty store, delivering**', r.run.rows / r.run.seconds);
  if (r.noDeliver) row('credit-gateway `run --no-deliver`', r.noDeliver.rows / r.noDeliver.seconds);
  if (r.drain) row(`drain of ${n(r.drain.records)} queued records`, r.drain.records / r.drain.seconds, ' rec/s');
  lines.push('');
  const at = (g: GatewayRun) => `${mb(g.peakRssAt100k)} at 100k rows, ${mb(g.peakRss)} at ${n(g.rows)}`;
  if (r.run) lines.push(`Peak RSS of the gateway, \`run\` delivering: ${at(r.run)}.`);
  if (r.noDeliver) lines.push(`Peak RSS, \`run --no-deliver\`: ${at(r.noDeliver)}.`);
  if (r.drain) lines.push(`Peak RSS, draining (\`start\`): ${mb(r.drain.peakRss)}.`);
  if (r.run) lines.push(`Store after delivery: ${mb(r.run.storeBytes)}, ${n(Math.round(r.run.storeBytes / Math.max(1, r.run.queued)))} bytes per record.`);
  if (r.noDeliver) lines.push(`Store with ${n(r.noDeliver.queued)} records queued: ${mb(r.noDeliver.storeBytes)}, ${n(Math.round(r.noDeliver.storeBytes / Math.max(1, r.noDeliver.queued)))} bytes per record.`);
  if (r.freshness) {
    const f = r.freshness;
    lines.push(`Freshness under churn (row committed → at the platform, ${f.pollSecs} s poll, ${f.changes} inserts and updates at ${f.rate}/s${f.bound ? `, read bound: ${f.bound}` : ''}): p50 ${f.p50.toFixed(1)} s, p95 ${f.p95.toFixed(1)} s, max ${f.max.toFixed(1)} s${f.missing ? `, ${f.missing} never arrived (${f.missed.slice(0, 5).join(', ')}${f.missing > 5 ? ' …' : ''})` : ''}.`);
  }
  const m = r.machine;
  lines.push('', `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, ${m.os}; node ${m.node}; ${m.database}. ${r.date}.`);
  if (r.loadSeconds) lines.push(`(table loaded in ${r.loadSeconds.toFixed(1)} s, not part of the table)`);
  return lines.join('\n');
}
