/**
 * The credit center's tools and `secrets set`, run as the built CLI
 * (`npm run build` first), the way staff run them.
 */
import t from 'tap';
import { CLI, runCli } from '../helpers/cli.js';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyPassword } from '../../gateway/status/security/password.js';
import { validBundle } from './control/bundle-fixtures.js';


async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args);
}

/** Runs the CLI with text piped to its standard input. */
function piped(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const mode = (file: string) => statSync(file).mode & 0o777;
const write = (file: string, doc: unknown) => writeFileSync(file, JSON.stringify(doc, null, 2));

t.test('generate → sign → verify → diff, as the credit center does it', async (t) => {
  const dir = t.testdir({});
  const keys = join(dir, 'keys');
  const generated = await cli(['keys', 'generate', '--out', keys]);
  t.equal(generated.code, 0, generated.stderr);
  const privateKey = join(keys, 'center-private.pem');
  const publicKey = join(keys, 'center-public.pem');
  t.equal(mode(privateKey), 0o600, 'the private key is readable by its owner only');
  t.match(readFileSync(publicKey, 'utf8'), /BEGIN PUBLIC KEY/);
  const fingerprint = /fingerprint: (\S+)/.exec(generated.stdout)?.[1];
  t.match(fingerprint, /^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/);
  t.equal((await cli(['keys', 'fingerprint', publicKey])).stdout.trim(), fingerprint, 'the gateway side can compare it');

  const again = await cli(['keys', 'generate', '--out', keys]);
  t.equal(again.code, 1);
  t.match(again.stderr, /KEY_FILE_EXISTS/);
  t.equal((await cli(['keys', 'fingerprint', publicKey])).stdout.trim(), fingerprint, 'the keys were not replaced');

  write(join(dir, 'v13.json'), validBundle());
  const next = validBundle({ version: 14 });
  (next.jobs as Record<string, unknown>[])[0]!.query = 'SELECT * FROM v_xzcf';
  write(join(dir, 'v14.json'), next);

  const signed = await cli(['bundle', 'sign', '--key', privateKey, join(dir, 'v13.json')]);
  t.equal(signed.code, 0, signed.stderr);
  t.match(signed.stdout, /gateway gw-rsj-01, version 13/);
  const envelopeFile = join(dir, 'v13.signed.json');
  const envelope = JSON.parse(readFileSync(envelopeFile, 'utf8'));
  t.same(Buffer.from(envelope.bundle, 'base64'), readFileSync(join(dir, 'v13.json')), 'the exact bytes of the file are signed');
  t.equal((await cli(['bundle', 'sign', '--key', privateKey, join(dir, 'v14.json'), '--out', join(dir, 'next.json')])).code, 0);

  const ok = await cli(['bundle', 'verify', '--public-key', publicKey, '--gateway', 'gw-rsj-01', '--running-version', '12', envelopeFile]);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, /^OK: bundle for gateway gw-rsj-01, version 13, issued 2026-03-01T09:00:00\+08:00/);

  const old = await cli(['bundle', 'verify', '--public-key', publicKey, '--running-version', '13', envelopeFile]);
  t.equal(old.code, 1);
  t.match(old.stderr, /BUNDLE_VERSION_NOT_NEWER: version 13 is not newer than the running version 13\n  what to do: /);

  const secrets = join(dir, 'secrets.yaml');
  writeFileSync(secrets, 'other: x\n', { mode: 0o600 });
  const missing = await cli(['bundle', 'verify', '--public-key', publicKey, '--secrets', secrets, envelopeFile]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /BUNDLE_SECRET_MISSING: secret "hr_db_password" named at sources\[0\]\.passwordRef .*\n  what to do: on the gateway run `credit-gateway secrets set hr_db_password/);

  // The gateway's configuration decides where hr_db_password may go: verify checks it with --config.
  const gatewayConfig = (allow: string[]) => {
    const file = join(dir, 'gateway.yaml');
    write(file, {
      gateway: { id: 'gw-rsj-01', department: '市人社局' }, platform: { url: 'https://platform.example/x', secretRef: 'platform' },
      secrets: { allow: { hr_db_password: allow } },
    });
    return file;
  };
  const elsewhere = await cli(['bundle', 'verify', '--public-key', publicKey, '--running-version', '12', '--config', gatewayConfig(['10.1.2.4']), envelopeFile]);
  t.equal(elsewhere.code, 1);
  t.match(elsewhere.stderr, /BUNDLE_SECRET_NOT_ALLOWED: source "hr_db" would send a secret .*: secret "hr_db_password" may not be sent to 10\.1\.2\.3:3306: the local configuration allows it only for 10\.1\.2\.4 \(at sources\[0\]\.passwordRef\)/);
  t.match(elsewhere.stderr, /what to do: .*secrets\.allow\.hr_db_password/);
  const allowed = await cli(['bundle', 'verify', '--public-key', publicKey, '--running-version', '12', '--config', gatewayConfig(['10.1.2.3']), envelopeFile]);
  t.equal(allowed.code, 0, allowed.stderr);
  t.notMatch(allowed.stdout, /where secrets may go and which local paths sources may name not checked/);
  t.match(ok.stdout, /where secrets may go and which local paths sources may name not checked \(give --config FILE/, 'without it the tool says what it did not check');

  // And which local files its sources may name: here a SQLite source on the gateway's own store.
  const onStore = validBundle({ version: 15, sources: [...(validBundle().sources as unknown[]), { name: 'store', kind: 'sqlite', file: './data/gateway.sqlite' }] });
  write(join(dir, 'v15.json'), onStore);
  t.equal((await cli(['bundle', 'sign', '--key', privateKey, join(dir, 'v15.json')])).code, 0, 'the center can sign it: only the gateway knows its own paths');
  const storeRefused = await cli(['bundle', 'verify', '--public-key', publicKey, '--running-version', '12', '--config', gatewayConfig(['10.1.2.3']), join(dir, 'v15.signed.json')]);
  t.equal(storeRefused.code, 1);
  t.match(storeRefused.stderr, /BUNDLE_PATH_NOT_ALLOWED: a source names a local file .*: source "store" may not use file ".*\/data\/gateway\.sqlite": it is, holds or lies inside the gateway's data folder.* \(at sources\[1\]\.file\)\n  what to do: .*control\.allowPaths/);

  const tampered = { ...envelope, bundle: Buffer.from(readFileSync(join(dir, 'v13.json'), 'utf8').replace('10.1.2.3', '10.9.9.9')).toString('base64') };
  write(join(dir, 'tampered.signed.json'), tampered);
  const refused = await cli(['bundle', 'verify', '--public-key', publicKey, join(dir, 'tampered.signed.json')]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /BUNDLE_SIGNATURE_INVALID/);
  t.equal(refused.stdout, '');

  const diff = await cli(['bundle', 'diff', envelopeFile, join(dir, 'next.json')]);
  t.equal(diff.code, 0, diff.stderr);
  t.same(diff.stdout.trim().split('\n'), [
    'Gateway gw-rsj-01 goes from version 13 to version 14.',
    'Job "penalties" changes its query to: SELECT * FROM v_xzcf',
    'Job "penalties": its cursor will restart from the beginning, because its query changed.',
  ]);
});

t.test('sign refuses what a gateway would refuse, and says why', async (t) => {
  const dir = t.testdir({});
  await cli(['keys', 'generate', '--out', dir]);
  const withSecret = validBundle();
  (withSecret.sources as Record<string, unknown>[])[0]!.password = 'Sup3r-S3cret';
  write(join(dir, 'secret.json'), withSecret);
  const refused = await cli(['bundle', 'sign', '--key', join(dir, 'center-private.pem'), join(dir, 'secret.json')]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /BUNDLE_SECRET_INSIDE: a secret value is inside the bundle at sources\[0\]\.password\n/);
  t.notMatch(refused.stderr + refused.stdout, /Sup3r-S3cret/, 'the value is never printed');

  write(join(dir, 'bad.json'), validBundle({ issuedAt: 'Monday' }));
  const invalid = await cli(['bundle', 'sign', '--key', join(dir, 'center-private.pem'), join(dir, 'bad.json')]);
  t.equal(invalid.code, 1);
  t.match(invalid.stderr, /BUNDLE_SCHEMA_INVALID: issuedAt: /);

  const wrongKey = await cli(['bundle', 'sign', '--key', join(dir, 'center-public.pem'), join(dir, 'bad.json')]);
  t.equal(wrongKey.code, 1);
  t.match(wrongKey.stderr, /KEY_INVALID/);
});

t.test('diff from a local YAML configuration to a first bundle', async (t) => {
  const dir = t.testdir({
    'gateway.yaml': [
      'gateway: { id: gw-rsj-01, department: 市人社局 }',
      'platform: { url: "https://platform.example", secretRef: platform }',
      'sources:',
      '  - { name: hr_db, kind: mysql, host: 10.1.2.3, database: hr, user: credit_reader, passwordRef: hr_db_password }',
      '',
    ].join('\n'),
  });
  write(join(dir, 'v1.json'), validBundle({ version: 1 }));
  const diff = await cli(['bundle', 'diff', join(dir, 'gateway.yaml'), join(dir, 'v1.json')]);
  t.equal(diff.code, 0, diff.stderr);
  t.match(diff.stdout, /^Gateway gw-rsj-01 goes from its local configuration to version 1\.\nJob "penalties" is added/);
});

t.test('secrets set through a pipe writes a 600 file and never echoes the value', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'secrets.yaml');
  const first = await piped(['secrets', 'set', 'hr_db_password', '--file', file], 'P@ssw0rd-Only-Here\nsecond line ignored\n');
  t.equal(first.code, 0, first.stderr);
  t.equal(mode(file), 0o600);
  t.notMatch(first.stdout + first.stderr, /P@ssw0rd-Only-Here/);
  t.match(first.stdout, /secret "hr_db_password" written/);

  const hashed = await piped(['secrets', 'set', 'admin', '--file', file, '--hash'], 'login-pass');
  t.equal(hashed.code, 0, hashed.stderr);
  t.notMatch(hashed.stdout + hashed.stderr, /login-pass/);
  const text = readFileSync(file, 'utf8');
  t.match(text, /hr_db_password: P@ssw0rd-Only-Here/, 'the first entry is kept');
  t.notMatch(text, /login-pass/, 'only the hash is stored');
  const hash = /admin: (\S+)/.exec(text)?.[1] ?? '';
  t.equal(await verifyPassword('login-pass', hash.replace(/^"|"$/g, '')), true);

  const empty = await piped(['secrets', 'set', 'x', '--file', file], '\n');
  t.equal(empty.code, 1);
  t.match(empty.stderr, /SECRET_VALUE_EMPTY/);

  chmodSync(file, 0o640);
  const unsafe = await piped(['secrets', 'set', 'y', '--file', file], 'value\n');
  t.equal(unsafe.code, 1);
  t.match(unsafe.stderr, /CONFIG_SECRETS_FILE_UNSAFE/);
  t.notMatch(readFileSync(file, 'utf8'), /\ny:/, 'an unsafe file is not written');
});
