/**
 * The conservation check every fault test ends with: the platform (the
 * reference receiver) holds exactly the source's valid rows at their latest
 * versions, nothing invented, no version accepted twice, every seq unique.
 *
 * And the gateway as the operator runs it: `credit-gateway start` as a child
 * process on the built CLI, so a fault test can kill -9 it, start a second
 * one, or restart it on a damaged data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type Database from 'better-sqlite3';
import type { Test } from 'tap';
import { recordId } from '../../gateway/records/record-id.js';
import type { Receiver } from '../../scripts/receiver/index.js';
import { readRows, TEST_SECRET } from './business-db.js';
import { until } from './wait.js';

export { CLI } from './cli.js';
import { CLI } from './cli.js';

export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  /** stdout and stderr so far, for failure messages and "which process holds it" checks. */
  output(): string;
}

/** `credit-gateway start --config FILE` on the built CLI, with the test platform secret. */
export function startGatewayProcess(configFile: string, options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): GatewayProcess {
  const child = spawn(process.execPath, [CLI, 'start', '--config', configFile, ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET, LOG_LEVEL: 'warn', ...options.env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

export interface ConservationOptions {
  receiver: Receiver;
  /** The penalty table of test/helpers/business-db.ts. */
  business: Database.Database;
  /** Row ids the gateway must reject (broken identifiers): never at the platform. */
  invalid?: number[];
  gatewayId?: string;
  category?: string;
  /** How long the gateway may take to deliver everything. */
  timeoutMs?: number;
}

/**
 * Waits until the receiver holds what the source holds, then asserts it:
 * every valid row, each at its latest content, nothing else, no stale
 * version, unique seqs.
 */
export async function expectConserved(t: Test, o: ConservationOptions): Promise<void> {
  const gatewayId = o.gatewayId ?? 'hs-test';
  const category = o.category ?? 'P07-002';
  const invalid = new Set(o.invalid ?? []);
  const valid = readRows(o.business).filter((r) => !invalid.has(r.id));
  const expected = new Map(valid.map((r) => [recordId(gatewayId, category, String(r.id)), r.content]));
  const settled = () => {
    const held = o.receiver.records();
    return held.length === expected.size && held.every((r) => expected.get(r.id) === r.data?.CF_NR);
  };
  await until(settled, (ok) => ok, o.timeoutMs ?? 90_000);

  const held = o.receiver.records();
  t.equal(held.length, expected.size, 'the platform holds every valid source row');
  t.same(held.filter((r) => !expected.has(r.id)).map((r) => r.id), [], 'and nothing the source does not have');
  t.same(held.filter((r) => expected.has(r.id) && expected.get(r.id) !== r.data?.CF_NR).map((r) => r.id), [], 'each with the latest version of its row');
  t.equal(o.receiver.stats().stale, 0, 'no version arrived with a seq at or below one the platform already held');
  t.equal(new Set(held.map((r) => r.seq)).size, held.length, 'seqs are unique');
}
