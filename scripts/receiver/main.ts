#!/usr/bin/env node
/**
 * The reference platform receiver as a process, for demos and for tests that
 * drive a gateway end to end. stdout carries JSON lines only: one
 * `{"event":"listening",…}` when ready, then one `{"event":"batch",…}` per
 * batch request; a supervisor can wait for the first line and parse the rest.
 */
import { parseCli, USAGE } from './cli-args.js';
import { createReceiver } from './receiver.js';

function line(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const receiver = createReceiver({ ...config.options, onBatch: (entry) => line({ event: 'batch', ...entry }) });
  const { url, control } = await receiver.listen(config.port, config.host);
  line({ event: 'listening', url, control });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    receiver.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`close failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
