#!/usr/bin/env node
/**
 * The command line: `credit-gateway start|run|rejections|cursor|store|doctor|catalog|template|config`, the
 * credit center's `keys` and `bundle` tools, and `secrets set`. Output for
 * people on stdout, errors with their code on stderr, exit code 0 only on
 * success and the others from one catalogue (exit-status.ts).
 */
import { Command } from 'commander';
import { parseConfigText } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { formatCatalog, loadCatalog } from './catalog/index.js';
import { standardFor } from './standards/index.js';
// The daemon and the template writer pull in fastify, the drivers and exceljs: loaded only by the commands that use them, so the credit center's tools start quickly.
import type { Gateway } from './gateway.js';
import { createLogger } from './logger.js';
import { SOFTWARE_VERSION } from './version.js';
import { describeError } from './errors.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateConfig } from '../config/validate.js';
import { SECRET_NAME, Secrets, writeSecret } from '../config/secrets.js';
import { SecretBindings } from '../config/secret-bindings.js';
import { LocalPaths } from '../config/local-paths.js';
import type { GatewayConfig, JobConfig, SourceConfig } from '../config/schema.js';
import { createInterface } from 'node:readline/promises';
import type { Store } from './store/store.js';
import { registerStoreCommands } from './cli-store.js';
import { registerRunCommand } from './cli-run.js';
import { registerRejectionsCommand } from './cli-rejections.js';
import { openStoreOf } from './cli-open-store.js';
import { EXIT, exitStatusFor } from './exit-status.js';
import { registerDoctorCommand } from './cli-doctor.js';
import { registerRollbackCommand } from './cli-rollback.js';
import { registerConfigCommands } from './cli-config.js';
import { ConfigCheckError } from './preflight/problem.js';
import { loadCheckedConfig } from './preflight/preflight.js';
import { maskIdNumbersIn } from './identifiers/mask.js';
import type { Bundle, BundleEnvelope, BundleProblem } from './control/contract.js';
import { describeBundleChange } from './control/diff.js';
import { envelopeBytes, readEnvelopeFile, writeEnvelopeFile } from './control/envelope.js';
import { actionOf, ControlError } from './control/errors.js';
import { envelopeFor, generateKeys, keyFingerprint, privateKeyFrom, publicKeyFrom, publicKeyPemOf, verifyBytes } from './control/keys.js';
import { contentProblems, envelopeProblem, parseBundleBytes, verifyEnvelope } from './control/verify.js';
import { PromptAborted, readHidden } from './cli-prompt.js';
import { hashPassword } from './status/security/password.js';

/** The error with its code and what to do on stderr; the exit status says its kind (exit-status.ts). */
function fail(err: unknown): never {
  const e = describeError(err);
  if (err instanceof ConfigError || err instanceof ConfigCheckError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`${e.code}: ${e.message}${e.action ? `\n  what to do: ${e.action}` : ''}\n`);
  }
  // A refused configuration is a setup problem whatever layer its first problem's code comes from.
  process.exit(err instanceof ConfigCheckError ? EXIT.SETUP : exitStatusFor(e.code));
}

const program = new Command()
  .name('credit-gateway')
  .description('Front-end exchange gateway (前置交换网关) of the public credit information platform')
  .version(SOFTWARE_VERSION);

program
  .command('start')
  .description('run the gateway: jobs on their schedules, delivery, heartbeat, status page')
  .option('-c, --config <file>', 'configuration file (YAML)')
  .action(async (opts: { config?: string }) => {
    if (!opts.config) {
      fail(new ConfigError('CONFIG_FILE_UNREADABLE', [
        { path: '', message: 'no --config FILE given. For the embedded demo (sample database, bundled reference platform) run: npm start' },
      ]));
    }
    const logger = createLogger();
    let gateway: Gateway;
    try {
      const { Gateway } = await import('./gateway.js');
      gateway = await Gateway.start(await loadCheckedConfig(opts.config), { logger, softwareVersion: SOFTWARE_VERSION });
    } catch (err) {
      fail(err);
    }
    process.stderr.write(`credit-gateway ${SOFTWARE_VERSION} running; status page ${gateway.statusUrl}\n`);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      gateway.stop().then(() => process.exit(0), (err: unknown) => fail(err));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

// --- cursors: where each incremental job's next run starts ---

/** The configuration's jobs as a running gateway would take them: the stored bundle's when one is in effect. */
function jobsInEffect(config: Readonly<GatewayConfig>, store: Store): { jobs: readonly JobConfig[]; from: string } {
  const stored = store.currentBundle();
  if (stored) {
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

const cursor = program.command('cursor').description("where each incremental job's next run starts");

cursor
  .command('show')
  .description("each job's cursor position and when it was set, its last and first run (opens the store only)")
  .argument('[job]', 'only this job')
  .requiredOption('-c, --config <file>', 'configuration file (YAML)')
  .action((name: string | undefined, opts: { config: string }) => {
    let store: Store | null = null;
    try {
      const opened = openStoreOf(opts.config);
      store = opened.store;
      const { jobs, from } = jobsInEffect(opened.config, store);
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
      const opened = openStoreOf(opts.config);
      store = opened.store;
      const { jobs, from } = jobsInEffect(opened.config, store);
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

program
  .command('catalog')
  .description('print the information catalog (附件3)')
  .option('-p, --provider <name>', 'only this provider (name, short name or code)')
  .option('--json', 'print JSON')
  .action((opts: { provider?: string; json?: boolean }) => {
    try {
      process.stdout.write(formatCatalog(loadCatalog(), { provider: opts.provider, json: opts.json }) + '\n');
    } catch (err) {
      fail(err);
    }
  });

program
  .command('template')
  .description('write a data template (填报模板) of a catalog category, or of every category of a department, for the drop folder')
  .argument('[category]', 'category code, e.g. P07-002')
  .option('-p, --provider <name>', 'every category of this department instead: its name of today (市场监管局), a 2017 name or a code')
  .option('-d, --dir <folder>', 'with --provider: the folder to write into (default: this folder)')
  .option('-f, --format <format>', 'xlsx (notes, drop-down lists) or csv', 'xlsx')
  .option('-o, --out <file>', 'output file (default: <code>_<name>.<format> in this folder)')
  .option('--force', 'replace an existing file')
  .action(async (code: string | undefined, opts: { provider?: string; dir?: string; format: string; out?: string; force?: boolean }) => {
    try {
      if (opts.format !== 'xlsx' && opts.format !== 'csv') {
        throw new ConfigError('CONFIG_OPTION_INVALID', [{ path: '--format', message: `"${opts.format}" is not one of: xlsx, csv` }]);
      }
      const { templateCategory, writeDepartmentTemplates, writeTemplate, TemplateError } = await import('./templates/index.js');
      if ((code === undefined) === (opts.provider === undefined) || (opts.provider !== undefined && opts.out !== undefined)) {
        throw new TemplateError('TEMPLATE_NOT_ONE_SELECTION');
      }
      if (opts.provider !== undefined) {
        const done = await writeDepartmentTemplates({ catalog: loadCatalog(), department: opts.provider, standardFor, format: opts.format, dir: resolve(opts.dir ?? '.'), overwrite: opts.force });
        process.stdout.write(`${done.department}: wrote ${done.written.length} templates\n${done.written.map((w) => `  ${w.file}${w.notesFile ? `\n  ${w.notesFile}` : ''}`).join('\n')}\n`);
        return;
      }
      const category = templateCategory(loadCatalog(), code!);
      const written = await writeTemplate({ category, standard: standardFor(category), format: opts.format, outFile: opts.out, overwrite: opts.force });
      process.stdout.write(`wrote ${written.file}${written.notesFile ? `\nnotes: ${written.notesFile}` : ''}\n`);
    } catch (err) {
      fail(err);
    }
  });

registerConfigCommands(program, fail);
registerRunCommand(program, fail);
registerRejectionsCommand(program, fail);
registerStoreCommands(program, fail);
registerDoctorCommand(program, fail);
registerRollbackCommand(program, fail);

// --- the credit center's tools (gateway/control/README.md) ---

const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Prints each refused bundle's problems with code, path and what to do; exits 1. */
function failProblems(what: string, problems: readonly BundleProblem[]): never {
  process.stderr.write(`${what}\n`);
  for (const p of problems) {
    // Messages name their member's path themselves; only a message that does not is given it.
    const where = p.path && !p.message.includes(p.path) ? ` (at ${p.path})` : '';
    process.stderr.write(`${p.code}: ${p.message}${where}\n  what to do: ${actionOf(p)}\n`);
  }
  process.exit(1);
}

function readText(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ControlError('BUNDLE_FILE_UNREADABLE', { detail: `${file}: ${(err as Error).message}` }, { cause: err });
  }
}

function readKey(file: string, kind: 'public' | 'private'): string {
  const pem = readText(file).toString('utf8');
  try {
    (kind === 'public' ? publicKeyFrom : privateKeyFrom)(pem);
  } catch (err) {
    throw new ControlError('KEY_INVALID', { detail: `${file}: ${(err as Error).message}` }, { cause: err });
  }
  return pem;
}

/**
 * A bundle for diff: a bundle JSON file, a signed envelope (its signature is
 * not checked here: `bundle verify` does that), or a local YAML
 * configuration (its sources and jobs). Defaults applied, as a gateway holds it.
 */
function readForDiff(file: string): Bundle | { sources: SourceConfig[]; jobs: JobConfig[] } {
  const raw = readText(file);
  if (/\.ya?ml$/i.test(file)) {
    const config = validateConfig(parseConfigText(raw.toString('utf8'), file));
    return { sources: [...config.sources], jobs: [...config.jobs] };
  }
  let parsed = parseBundleBytes(raw);
  if ('doc' in parsed && envelopeProblem(parsed.doc) === null) parsed = parseBundleBytes(envelopeBytes(parsed.doc as unknown as BundleEnvelope));
  if ('problem' in parsed) throw new ControlError('BUNDLE_NOT_JSON', { detail: `${file}: ${parsed.problem}` });
  const checked = contentProblems(parsed.doc);
  if (!checked.bundle) failProblems(`${file}: not a valid bundle`, checked.problems);
  return checked.bundle;
}

const keys = program.command('keys').description("the credit center's signing keys (Ed25519)");

keys
  .command('generate')
  .description('make a key pair: center-private.pem (keep it at the center) and center-public.pem (for every gateway)')
  .requiredOption('-o, --out <dir>', 'folder to write the two files into')
  .option('--force', 'replace existing key files (every gateway then needs the new public key)')
  .action((opts: { out: string; force?: boolean }) => {
    try {
      const privateFile = join(opts.out, 'center-private.pem');
      const publicFile = join(opts.out, 'center-public.pem');
      const existing = [privateFile, publicFile].filter((f) => existsSync(f));
      if (existing.length > 0 && !opts.force) throw new ControlError('KEY_FILE_EXISTS', { detail: existing.join(', ') });
      mkdirSync(opts.out, { recursive: true });
      const pair = generateKeys();
      writeFileSync(privateFile, pair.privateKeyPem, { mode: 0o600 });
      chmodSync(privateFile, 0o600); // writeFileSync keeps the mode of a file it replaces
      writeFileSync(publicFile, pair.publicKeyPem, { mode: 0o644 });
      process.stdout.write(`wrote ${privateFile} (mode 600: keep it at the credit center, never send it)\nwrote ${publicFile} (install it on every gateway as control.publicKeyFile)\nfingerprint: ${keyFingerprint(pair.publicKeyPem)}\n`);
    } catch (err) {
      fail(err);
    }
  });

keys
  .command('fingerprint')
  .description("print a key's fingerprint, to compare the center's key with a gateway's by phone")
  .argument('<file>', 'public or private key (PEM)')
  .action((file: string) => {
    try {
      const pem = readText(file).toString('utf8');
      let publicPem: string;
      try {
        publicPem = /PRIVATE KEY/.test(pem) ? publicKeyPemOf(pem) : (publicKeyFrom(pem), pem);
      } catch (err) {
        throw new ControlError('KEY_INVALID', { detail: `${file}: ${(err as Error).message}` }, { cause: err });
      }
      process.stdout.write(`${keyFingerprint(publicPem)}\n`);
    } catch (err) {
      fail(err);
    }
  });

const bundle = program.command('bundle').description('configuration bundles for gateways: sign, verify, diff');

bundle
  .command('sign')
  .description('sign a bundle JSON file exactly as it is, after checking a gateway would accept its content')
  .argument('<file>', 'bundle JSON file')
  .requiredOption('-k, --key <file>', "the credit center's private key (center-private.pem)")
  .option('-o, --out <file>', 'envelope to write (default: FILE with .signed.json)')
  .action((file: string, opts: { key: string; out?: string }) => {
    try {
      const privateKeyPem = readKey(opts.key, 'private');
      const bytes = readText(file);
      const parsed = parseBundleBytes(bytes);
      if ('problem' in parsed) throw new ControlError('BUNDLE_NOT_JSON', { detail: `${file}: ${parsed.problem}` });
      // Everything a gateway checks but its own id, version and secrets.
      const checked = contentProblems(parsed.doc);
      if (!checked.bundle) failProblems(`${file}: not signed, a gateway would refuse it`, checked.problems);
      const out = opts.out ?? file.replace(/(\.json)?$/i, '.signed.json');
      writeEnvelopeFile(out, envelopeFor(bytes, privateKeyPem));
      const b = checked.bundle;
      process.stdout.write(`signed bundle for gateway ${b.gatewayId}, version ${b.version}, issued ${b.issuedAt} (${counted(b.sources.length, 'source')}, ${counted(b.jobs.length, 'job')})\nwrote ${out}\nkey fingerprint: ${keyFingerprint(publicKeyPemOf(privateKeyPem))}\n`);
    } catch (err) {
      fail(err);
    }
  });

bundle
  .command('verify')
  .description('check a signed envelope as a gateway would')
  .argument('<envelope>', 'signed envelope (.signed.json)')
  .requiredOption('-p, --public-key <file>', "the credit center's public key (center-public.pem)")
  .option('-g, --gateway <id>', "the gateway's id (default: the bundle's own)")
  .option('-r, --running-version <n>', 'the version the gateway runs (default 0)', '0')
  .option('-s, --secrets <file>', "the gateway's secrets file: check every referenced secret is in it")
  .option('-c, --config <file>', "the gateway's configuration file: check every source's secret may go where the source connects")
  .action((file: string, opts: { publicKey: string; gateway?: string; runningVersion: string; secrets?: string; config?: string }) => {
    try {
      const publicKeyPem = readKey(opts.publicKey, 'public');
      const envelope = readEnvelopeFile(file);
      const runningVersion = Number(opts.runningVersion);
      if (!Number.isSafeInteger(runningVersion) || runningVersion < 0) {
        throw new ConfigError('CONFIG_OPTION_INVALID', [{ path: '--running-version', message: `"${opts.runningVersion}" is not a whole number` }]);
      }
      let gatewayId = opts.gateway;
      if (gatewayId === undefined) {
        // The bundle's own id, read only from bytes whose signature holds (verifyEnvelope checks it again).
        const bytes = envelopeBytes(envelope);
        const parsed = verifyBytes(bytes, envelope.signature, publicKeyPem) ? parseBundleBytes(bytes) : null;
        gatewayId = parsed && 'doc' in parsed && typeof parsed.doc.gatewayId === 'string' ? parsed.doc.gatewayId : '';
      }
      const secrets = opts.secrets ? Secrets.load({ file: opts.secrets, env: {} }) : null;
      const local = opts.config ? validateConfig(parseConfigText(readFileSync(opts.config, 'utf8'), opts.config)) : null;
      const bindings = local ? new SecretBindings(local) : null;
      // Paths are followed on this machine: on the gateway itself the answer is the gateway's.
      const paths = local ? new LocalPaths(local, dirname(resolve(opts.config!))) : null;
      const result = verifyEnvelope(envelope, {
        publicKeyPem, gatewayId, runningVersion, allowOlderVersion: false, hasSecret: (name) => secrets?.has(name) ?? true, bindings, paths,
      });
      if (!result.ok) failProblems(`${file}: REFUSED`, result.problems);
      const b = result.bundle;
      process.stdout.write(`OK: bundle for gateway ${b.gatewayId}, version ${b.version}, issued ${b.issuedAt} (${counted(b.sources.length, 'source')}, ${counted(b.jobs.length, 'job')})${secrets ? '' : '\nsecrets not checked (give --secrets FILE to check them)'}${bindings ? '' : "\nwhere secrets may go and which local paths sources may name not checked (give --config FILE, the gateway's configuration)"}\n`);
    } catch (err) {
      fail(err);
    }
  });

bundle
  .command('diff')
  .description('say in words what NEW changes for the department compared with OLD')
  .argument('<old>', 'the bundle the gateway runs (JSON or .signed.json), or its local configuration (YAML)')
  .argument('<new>', 'the new bundle (JSON or .signed.json)')
  .action((oldFile: string, newFile: string) => {
    try {
      const old = readForDiff(oldFile);
      const next = readForDiff(newFile);
      if (!('gatewayId' in next)) {
        throw new ControlError('BUNDLE_FILE_NOT_ENVELOPE', { detail: `${newFile}: the new side must be a bundle, not a local configuration` });
      }
      process.stdout.write(`${describeBundleChange(old, next).join('\n')}\n`);
    } catch (err) {
      fail(err);
    }
  });

program
  .command('secrets')
  .description("the gateway's local secrets")
  .command('set')
  .description('store one secret in the secrets file, typed without being shown (or piped in: first line)')
  .argument('<name>', 'the name configurations and bundles refer to, e.g. hr_db_password')
  .requiredOption('-f, --file <file>', 'secrets file (YAML; created with mode 600)')
  .option('--hash', 'store a password hash instead (status page logins)')
  .action(async (name: string, opts: { file: string; hash?: boolean }) => {
    try {
      if (!SECRET_NAME.test(name)) throw new ControlError('SECRET_NAME_INVALID', { detail: `"${name}"` });
      let value: string;
      try {
        value = await readHidden(`value of ${name} (not shown): `);
      } catch (err) {
        if (err instanceof PromptAborted) process.exit(130);
        throw err;
      }
      if (value === '') throw new ControlError('SECRET_VALUE_EMPTY');
      const { created } = writeSecret(opts.file, name, opts.hash ? await hashPassword(value) : value);
      process.stdout.write(`${opts.hash ? 'password hash' : 'secret'} "${name}" written to ${opts.file}${created ? ' (created, mode 600)' : ''}\n`);
    } catch (err) {
      fail(err);
    }
  });

program.parseAsync(process.argv).catch(fail);
