/**
 * The credit center's tools (gateway/control/README.md): `keys generate|
 * fingerprint`, `bundle sign|verify|diff`; and the gateway's `secrets set`.
 */
import type { Command } from 'commander';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { SecretBindings } from '../config/secret-bindings.js';
import { LocalPaths } from '../config/local-paths.js';
import type { JobConfig, SourceConfig } from '../config/schema.js';
import type { Bundle, BundleEnvelope, BundleProblem } from './control/contract.js';
import { actionOf, ControlError } from './control/errors.js';
import { envelopeFor, generateKeys, keyFingerprint, privateKeyFrom, publicKeyFrom, publicKeyPemOf, verifyBytes } from './control/keys.js';
import { PromptAborted, readHidden } from './cli-prompt.js';
import { hashPassword } from './status/security/password.js';

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
async function readForDiff(file: string): Promise<Bundle | { sources: SourceConfig[]; jobs: JobConfig[] }> {
  const raw = readText(file);
  const { parseBundleBytes, envelopeProblem, contentProblems } = await import('./control/verify.js');
  const { envelopeBytes } = await import('./control/envelope.js');
  if (/\.ya?ml$/i.test(file)) {
    const { validateConfig } = await import('../config/validate.js');
    const { parseConfigText } = await import('../config/load.js');
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

export function registerControlCommands(program: Command, fail: (err: unknown) => never): void {
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
    .action(async (file: string, opts: { key: string; out?: string }) => {
      try {
        const { writeEnvelopeFile } = await import('./control/envelope.js');
        const { contentProblems, parseBundleBytes } = await import('./control/verify.js');
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
    .action(async (file: string, opts: { publicKey: string; gateway?: string; runningVersion: string; secrets?: string; config?: string }) => {
      try {
        const { Secrets } = await import('../config/secrets.js');
        const { envelopeBytes, readEnvelopeFile } = await import('./control/envelope.js');
        const { parseBundleBytes, verifyEnvelope } = await import('./control/verify.js');
        const { validateConfig } = await import('../config/validate.js');
        const { parseConfigText } = await import('../config/load.js');
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
    .action(async (oldFile: string, newFile: string) => {
      try {
        const { describeBundleChange } = await import('./control/diff.js');
        const old = await readForDiff(oldFile);
        const next = await readForDiff(newFile);
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
        const { SECRET_NAME, writeSecret } = await import('../config/secrets.js');
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
}
