#!/usr/bin/env node
/**
 * The embedded demo behind `npm start`: a department's SQLite business
 * database, the reference platform receiver as its own process, the gateway,
 * and its status page, all on loopback. Ctrl-C stops everything.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { parseConfigText } from '../../config/load.js';
import { Secrets } from '../../config/secrets.js';
import { validateConfig } from '../../config/validate.js';
import { Gateway } from '../../gateway/gateway.js';
import { createLogger } from '../../gateway/logger.js';
import { packageRoot } from '../../gateway/paths.js';
import { SOFTWARE_VERSION } from '../../gateway/version.js';
import { ensureDemoBusinessDb } from './business-db.js';
import { startReceiverProcess, type ReceiverProcess } from './receiver-process.js';

export interface Demo {
  gateway: Gateway;
  receiver: ReceiverProcess;
  businessDb: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startDemo(options: { dataDir?: string; statusPort?: number; logger: Logger }): Promise<Demo> {
  const dataDir = resolve(options.dataDir ?? join(packageRoot(), 'data', 'demo'));
  // The demo's own folder: made private as the gateway requires of a data folder (an older demo run left it 755).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const businessDb = join(dataDir, 'business.sqlite');
  ensureDemoBusinessDb(businessDb);
  // The demo's platform secret is made per run: nothing to configure, nothing to leak.
  const secret = randomBytes(24).toString('hex');
  const configFile = join(packageRoot(), 'config', 'demo.yaml');
  const doc = parseConfigText(readFileSync(configFile, 'utf8'), configFile) as Record<string, any>;
  const receiver = await startReceiverProcess({ gateways: { [doc.gateway.id]: secret } });
  try {
    doc.platform.url = receiver.url;
    doc.gateway.dataDir = dataDir;
    doc.sources[0].file = businessDb;
    if (options.statusPort !== undefined) doc.status.port = options.statusPort;
    const loaded = { config: validateConfig(doc), secrets: new Secrets({ [doc.platform.secretRef]: secret }), baseDir: dataDir };
    let gateway: Gateway;
    try {
      gateway = await Gateway.start(loaded, { logger: options.logger, softwareVersion: SOFTWARE_VERSION, demo: true });
    } catch (err) {
      // Another program on the usual port must not stop a newcomer's first run.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.statusPort !== undefined) throw err;
      doc.status.port = 0;
      gateway = await Gateway.start({ ...loaded, config: validateConfig(doc) }, { logger: options.logger, softwareVersion: SOFTWARE_VERSION, demo: true });
    }
    return {
      gateway, receiver, businessDb, dataDir,
      async stop() {
        await gateway.stop();
        await receiver.stop();
      },
    };
  } catch (err) {
    await receiver.stop();
    throw err;
  }
}

async function main(): Promise<void> {
  // Overridable so that tests (and a second demo beside a first) use their own folder and port.
  const dataDir = resolve(process.env.DEMO_DATA_DIR ?? join(packageRoot(), 'data', 'demo'));
  const statusPort = process.env.DEMO_STATUS_PORT ? Number(process.env.DEMO_STATUS_PORT) : undefined;
  const logFile = join(dataDir, 'gateway.log');
  const logger = createLogger({ destination: logFile });
  const demo = await startDemo({ dataDir, logger, statusPort });
  const url = demo.gateway.statusUrl!;
  process.stdout.write(
    [
      '',
      'credit-gateway demo is running',
      `  status page (状态页):  ${url}`,
      `  status as JSON:        ${url}api/status`,
      `  reference platform:    ${demo.receiver.url}   (what it holds: ${demo.receiver.control}/records)`,
      `  demo business db:      ${demo.businessDb}`,
      `  gateway log:           ${logFile}`,
      '',
      '  Change the department\'s data and watch it arrive within seconds:',
      '    npm run demo:change',
      '',
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n') + '\n',
  );
  let last = '';
  const progress = setInterval(() => {
    const s = demo.gateway.snapshot();
    const line = `read ${s.totals.read} rows · delivered ${s.totals.delivered} · pending ${s.queue.pending} · rejected ${s.totals.rejectedLocal + s.totals.rejectedPlatform} (reasons on the status page) · ${s.verdict.text}`;
    if (line !== last) process.stdout.write(`${new Date().toLocaleTimeString()}  ${line}\n`);
    last = line;
  }, 1000);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    process.stdout.write(`\n${signal}: stopping…\n`);
    demo.stop().then(
      () => {
        process.stdout.write('stopped.\n');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`stop failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
