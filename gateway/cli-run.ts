/**
 * `credit-gateway run JOB`: one job once, from its cursor, then delivery of
 * what it queued, and an exit status that tells a script or a scheduler
 * whether that happened (exit-status.ts, run/verdict.ts). Progress goes to
 * stderr while it reads; the summary, the top rejection reasons and where to
 * see them all go to stdout; a failure is one line on stderr with its code
 * and what to do.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import type { FolderSourceConfig, GatewayConfig } from '../config/schema.js';
import { folderJobName } from './files/folder-job-name.js';
import type { Gateway } from './gateway.js';
import type { RunSummary } from './jobs/runner.js';
import { formatReasons } from './rejections/reasons.js';
import { showProgress } from './run/progress-output.js';
import { RunProgress } from './run/progress.js';
import { runVerdict, verdictLine, type RunFacts } from './run/verdict.js';
import { SOFTWARE_VERSION } from './version.js';

/** How many reasons the summary lists. */
const TOP_REASONS = 5;

interface RunOptions {
  config: string;
  deliver: boolean;
  snapshot?: boolean;
  count?: boolean;
  progressSecs: string;
}

export function registerRunCommand(program: Command, fail: (err: unknown) => never): void {
  program
    .command('run')
    .description('run one job once, from its cursor, then deliver what it queued; exit 0 only when it was all delivered (statuses: README, "Exit statuses")')
    .argument('<job>', 'job name')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .option('--snapshot', 'a complete read instead: everything is read, only what changed is sent, and rows gone from the source are sent as deletes after a complete pass')
    .option('--no-deliver', 'only read and queue; leave delivery to the running gateway')
    .option('--count', 'count the rows the run will read first, for a percentage and the time left (a COUNT over the job\'s query: a full scan on big tables)')
    .option('--progress-secs <n>', 'seconds between progress lines on stderr when not on a terminal (0: a line per page)', '10')
    .action(async (job: string, opts: RunOptions) => {
      const { createLogger } = await import('./logger.js');
      const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', destination: 2 });
      let gateway: Gateway | null = null;
      try {
        const { loadCheckedConfig } = await import('./preflight/preflight.js');
        const { statusUrlOf } = await import('./cli-open-store.js');
        const everySecs = Number(opts.progressSecs);
        if (!Number.isFinite(everySecs) || everySecs < 0) {
          throw new ConfigError('CONFIG_OPTION_INVALID', [{ path: '--progress-secs', message: `"${opts.progressSecs}" is not a number of seconds (0 or more)` }]);
        }
        // Everything start would refuse but the status page (run serves none), all at once (gateway/preflight).
        const loaded = await loadCheckedConfig(opts.config, { serveStatus: false });
        refuseFolder(loaded.config, job);
        const { Gateway } = await import('./gateway.js');
        gateway = await Gateway.start(loaded, {
          logger, softwareVersion: SOFTWARE_VERSION, schedule: false, serveStatus: false, deliver: opts.deliver,
        });
        const verdict = await runAndDeliver(gateway, job, opts, { everyMs: everySecs * 1000, configFile: opts.config, statusUrl: statusUrlOf(loaded.config) });
        await gateway.stop();
        if (!verdict.ok) {
          process.stderr.write(verdictLine(job, verdict));
          process.exit(verdict.status);
        }
      } catch (err) {
        await gateway?.stop().catch(() => undefined);
        fail(err);
      }
    });
}

async function runAndDeliver(gateway: Gateway, job: string, opts: RunOptions, out: { everyMs: number; configFile: string; statusUrl: string | null }) {
  const startedAt = new Date();
  const progress = new RunProgress(job, startedAt.getTime());
  const output = showProgress(progress, process.stderr, out.everyMs);
  let batchesRefused = 0;
  const unsubscribe = gateway.subscribe((e) => {
    if (e.type === 'page_committed' && e.job === job) {
      progress.page(e);
      output.pageCommitted();
    }
    if (e.type === 'batch_rejected') batchesRefused += 1;
  });
  const onTotal = (rows: number) => {
    progress.setTotal(rows);
    // On a terminal the live line shows it.
    if (!process.stderr.isTTY) process.stderr.write(`${job}: ${rows} rows to read\n`);
  };
  try {
    let summary: RunSummary;
    try {
      summary = await gateway.runJob(job, opts.snapshot ? 'snapshot' : 'regular', opts.count ? { onTotal } : {});
    } finally {
      output.stop();
    }
    process.stdout.write(`${job}: read ${summary.rowsRead} rows in ${summary.pages} pages, queued ${summary.queued}, unchanged ${summary.unchanged}, rejected ${summary.rejected}, deleted ${summary.deleted}\n`);
    if (opts.snapshot && !summary.complete) process.stdout.write('the complete read stopped early: no deletes were sent; the next complete read starts over\n');
    const disk = gateway.diskState();
    const readingPaused = disk.paused && !summary.complete ? { code: disk.code ?? 'STORE_LOW_SPACE', message: disk.message } : null;
    if (disk.paused) process.stdout.write(`${disk.message}\n`);
    let delivery: RunFacts['delivery'] = null;
    if (opts.deliver) {
      const left = await gateway.deliverOnce();
      process.stdout.write(left.failure ? `${left.pending} records still queued: ${left.failure.code}: ${left.failure.message}\n` : 'delivered: queue empty\n');
      delivery = { ...left, batchesRefused };
    }
    // This run's rejections, its own rows' and (after delivery) the platform's.
    const since = { job, from: startedAt.toISOString() };
    const total = gateway.store.countRejections(since);
    if (total > 0) {
      const seeAll = [`credit-gateway rejections -c ${out.configFile} --job ${job}`];
      if (out.statusUrl) seeAll.push(`${out.statusUrl}rejections?job=${encodeURIComponent(job)}`);
      process.stdout.write(formatReasons(gateway.store.rejectionReasons(since, TOP_REASONS), total, seeAll));
    }
    return runVerdict({ read: summary, readingPaused, delivery });
  } finally {
    unsubscribe();
  }
}

/** A drop folder's name given as a job: say where its files are read instead of "no job named". */
function refuseFolder(config: Readonly<GatewayConfig>, name: string): void {
  const index = config.sources.findIndex((s) => s.kind === 'folder' && (s.name === name || folderJobName(s.name) === name));
  if (index < 0 || config.jobs.some((j) => j.name === name)) return;
  const folder = config.sources[index] as FolderSourceConfig;
  throw new ConfigError('CONFIG_REFERENCE', [{
    path: `sources[${index}]`,
    message: `"${name}" is a drop folder, not a job: \`credit-gateway start\` reads its files as they arrive in ${join(folder.path, 'incoming')}/ (\`run\` runs database jobs only)`,
  }]);
}
