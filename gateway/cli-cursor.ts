/**
 * `credit-gateway cursor show|reset`: where each incremental job's next run
 * starts. Opens the store alone (no job, no delivery), beside a running
 * gateway too: it reads the cursor when each run starts.
 */
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { ConfigError } from '../config/errors.js';
import type { GatewayConfig, JobConfig } from '../config/schema.js';
import type { Store } from './store/store.js';
import { maskIdNumbersIn } from './identifiers/mask.js';

/** The configuration's jobs as a running gateway would take them: the stored bundle's when one is in effect. */
async function jobsInEffect(config: Readonly<GatewayConfig>, store: Store): Promise<{ jobs: readonly JobConfig[]; from: string }> {
  const stored = store.currentBundle();
  if (stored) {
    const { contentProblems, parseBundleBytes } = await import('./control/verify.js');
    // Read for names only, not verified: the gateway verifies it again when it starts.
    const parsed = parseBundleBytes(stored.bytes);
    const bundle = 'doc' in parsed ? contentProblems(parsed.doc).bundle : null;
    if (bundle) return { jobs: bundle.jobs, from: `configuration bundle version ${stored.version} (applied ${stored.appliedAt})` };
  }
  return { jobs: config.jobs, from: 'the configuration file' };
}

/** Whether a gateway answers on the configured status address (a running `start` serves /healthz there). */
async function gatewayAnswers(statusUrl: string | null): Promise<boolean> {
  if (!statusUrl) return false;
  const url = new URL('healthz', statusUrl);
  const healthy = async (reply: { ok: boolean; json(): Promise<unknown> }) => reply.ok && ((await reply.json()) as { status?: unknown }).status === 'ok';
  try {
    if (url.protocol === 'http:') return await healthy(await fetch(url, { signal: AbortSignal.timeout(2000) }));
    // Only asks whether it runs, sending nothing: the certificate (issued for the page's public name) need not verify.
    const { Agent, fetch: get } = await import('undici');
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      return await healthy(await get(url, { dispatcher, signal: AbortSignal.timeout(2000) }));
    } finally {
      await dispatcher.close();
    }
  } catch {
    return false;
  }
}

function findJob(jobs: readonly JobConfig[], name: string, from: string): JobConfig {
  const job = jobs.find((j) => j.name === name);
  if (!job) {
    throw new ConfigError('CONFIG_REFERENCE', [{ path: 'jobs', message: `no job named "${name}" in ${from}; jobs: ${jobs.map((j) => j.name).join(', ') || 'none'}` }]);
  }
  return job;
}

/** One job's cursor and runs, as `cursor show` prints them; cursor values are masked like everything the gateway shows. */
function describeCursor(job: JobConfig, store: Store): string {
  const runs = new Map(store.jobStates().map((s) => [s.job, s]));
  const runLine = (label: string, key: string) => {
    const run = runs.get(key);
    if (!run) return `  ${label}: never`;
    const failed = run.lastRunOk ? '' : `, failed: ${run.lastError?.code ?? ''}: ${maskIdNumbersIn(run.lastError?.message ?? '')}`;
    return `  ${label}: ${run.lastRunAt}${run.lastRunOk ? ', ok' : failed}`;
  };
  const lines: string[] = [];
  if (job.mode === 'snapshot') {
    lines.push(`${job.name} (snapshot): no cursor, every run reads everything`);
  } else {
    const cursor = store.cursors().find((c) => c.job === job.name);
    lines.push(`${job.name} (incremental, cursor [${job.cursor.join(', ')}])`);
    lines.push(cursor
      ? `  position: ${maskIdNumbersIn(JSON.stringify(cursor.position))}, set ${cursor.setAt}`
      : '  position: none, the next run reads from the beginning');
  }
  lines.push(runLine('last run', job.name));
  if (job.mode === 'incremental' && job.snapshotSchedule) lines.push(runLine('last complete read', `${job.name}:snapshot`));
  lines.push(`  first run: ${store.firstRunAt(job.name) ?? 'never'}`);
  return lines.join('\n');
}

function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return rl.question(question).then((answer) => /^y(es)?$/i.test(answer.trim()), () => false).finally(() => rl.close());
}

export function registerCursorCommands(program: Command, fail: (err: unknown) => never): void {
  const cursor = program.command('cursor').description("where each incremental job's next run starts");

  cursor
    .command('show')
    .description("each job's cursor position and when it was set, its last and first run (opens the store only)")
    .argument('[job]', 'only this job')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .action(async (name: string | undefined, opts: { config: string }) => {
      let store: Store | null = null;
      try {
        const { openStoreOf } = await import('./cli-open-store.js');
        const opened = openStoreOf(opts.config);
        store = opened.store;
        const { jobs, from } = await jobsInEffect(opened.config, store);
        const shown = name === undefined ? jobs : [findJob(jobs, name, from)];
        process.stdout.write(`jobs of ${from}\n${shown.map((j) => describeCursor(j, store!)).join('\n')}\n`);
        store.close();
      } catch (err) {
        store?.close();
        fail(err);
      }
    });

  cursor
    .command('reset')
    .description("forget a job's cursor: its next run re-reads everything, and only rows that changed are sent")
    .argument('<job>', 'job name')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .option('-y, --yes', 'do not ask (needed when not on a terminal)')
    .action(async (name: string, opts: { config: string; yes?: boolean }) => {
      let store: Store | null = null;
      try {
        const { openStoreOf } = await import('./cli-open-store.js');
        const opened = openStoreOf(opts.config);
        store = opened.store;
        const { jobs, from } = await jobsInEffect(opened.config, store);
        const job = findJob(jobs, name, from);
        if (job.mode === 'snapshot') {
          process.stdout.write(`${name} is a snapshot job: it has no cursor, every run already reads everything; nothing reset\n`);
          store.close();
          return;
        }
        const current = store.getCursor(name);
        if (current === null) {
          process.stdout.write(`${name} has no cursor: its next run already reads from the beginning; nothing reset\n`);
          store.close();
          return;
        }
        if (await gatewayAnswers(opened.statusUrl)) {
          process.stderr.write(
            `warning: a gateway is running on this store (its status page answers at ${opened.statusUrl}).\n`
            + '  It reads the cursor when each run starts, so the reset takes effect at its next run of this job;\n'
            + `  a run of ${name} in progress now keeps its own position and stores it again with its next page:\n`
            + '  if the status page shows it running, reset again after it has finished.\n',
          );
        }
        if (!opts.yes) {
          if (!process.stdin.isTTY) {
            throw new ConfigError('CONFIG_INVALID', [{ path: '--yes', message: 'not on a terminal, so nobody can confirm: give --yes to reset the cursor' }]);
          }
          const question = `${name}: forget position ${maskIdNumbersIn(JSON.stringify(current))}? Its next run re-reads every row of the query [y/N] `;
          if (!(await confirm(question))) {
            process.stdout.write('nothing reset\n');
            store.close();
            return;
          }
        }
        store.resetCursor(name);
        store.close();
        process.stdout.write(`${name}: cursor reset. The next run re-reads everything from the beginning; only rows that changed since they were sent are queued, unchanged ones are not sent again.\n`);
      } catch (err) {
        store?.close();
        fail(err);
      }
    });
}
