#!/usr/bin/env node
/**
 * The reference receiver (scripts/receiver) as the benchmark's platform, in
 * its own process: records kept without their data, so a million fit, and
 * with `--arrivals FIELD` one stdout line per stored record,
 * `{"at":ms,"v":data[FIELD]}`, for the freshness measurement.
 *
 *   node dist/scripts/bench/receiver-process.js --gateway id=secret [--arrivals CF_NR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createReceiver } from '../receiver/index.js';

export interface BenchReceiver {
  url: string;
  /** Records stored (the latest version of each id). */
  stored(): Promise<number>;
  /** Lines `{at, v}` seen so far when started with arrivals. */
  arrivals: { at: number; v: unknown }[];
  close(): Promise<void>;
}

/** Starts the receiver process; resolves once it listens. */
export async function startBenchReceiver(gatewayId: string, secret: string, arrivalsField?: string): Promise<BenchReceiver> {
  const args = [fileURLToPath(import.meta.url), '--gateway', `${gatewayId}=${secret}`, ...(arrivalsField ? ['--arrivals', arrivalsField] : [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const arrivals: { at: number; v: unknown }[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<{ url: string; control: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench receiver exited ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as { event?: string; url: string; control: string; at?: number; v?: unknown };
      if (event.event === 'listening') resolve(event);
      else if (event.at !== undefined) arrivals.push({ at: event.at, v: event.v });
    });
  });
  const { url, control } = await listening;
  return {
    url,
    arrivals,
    stored: async () => ((await (await fetch(`${control}/stats`)).json()) as { records: number }).records,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { gateway: { type: 'string' }, arrivals: { type: 'string' } } });
  const spec = values.gateway ?? '';
  const eq = spec.indexOf('=');
  const field = values.arrivals;
  const receiver = createReceiver({
    gateways: { [spec.slice(0, eq)]: spec.slice(eq + 1) },
    keepData: false,
    ...(field ? { onRecord: (r) => process.stdout.write(`${JSON.stringify({ at: Date.now(), v: (r.data as Record<string, unknown> | undefined)?.[field] })}\n`) } : {}),
  });
  const { url, control } = await receiver.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ event: 'listening', url, control })}\n`);
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
