import t from 'tap';
import { chmodSync, chownSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secrets, writeSecret } from '../../config/secrets.js';

const mode = (file: string) => statSync(file).mode & 0o777;

t.test('writing a secret creates a file only its owner can read, which Secrets.load accepts', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'secrets.yaml');
  t.same(writeSecret(file, 'hr_db_password', 'p@ss: "word" #1'), { created: true });
  t.equal(mode(file), 0o600);
  const secrets = Secrets.load({ file, env: {} });
  t.equal(secrets.get('hr_db_password', 'sources[0].passwordRef'), 'p@ss: "word" #1', 'YAML special characters survive');
  t.same(readdirSync(dir), ['secrets.yaml'], 'no temporary file is left behind');
});

t.test('other entries and comments are kept; the named one is replaced', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'secrets.yaml');
  writeFileSync(file, '# platform secret from the credit center\nplatform: abc123\nhr_db_password: old\n', { mode: 0o600 });
  t.same(writeSecret(file, 'hr_db_password', 'new'), { created: false });
  writeSecret(file, 'numbers', '0123');
  const secrets = Secrets.load({ file, env: {} });
  t.equal(secrets.get('platform', 'p'), 'abc123');
  t.equal(secrets.get('hr_db_password', 'p'), 'new');
  t.equal(secrets.get('numbers', 'p'), '0123', 'a value of digits stays text');
  t.match(readFileSync(file, 'utf8'), /# platform secret from the credit center/);
  t.equal(mode(file), 0o600);
});

t.test("root setting a secret leaves the file the service user's, so the service can still read it", async (t) => {
  if (process.getuid?.() !== 0) return t.pass('needs root', { skip: true });
  const dir = t.testdir({});
  const file = join(dir, 'secrets.yaml');
  writeFileSync(file, 'platform: abc123\n', { mode: 0o600 });
  chownSync(file, 65534, 65534);
  writeSecret(file, 'hr_db_password', 'new');
  const st = statSync(file);
  t.same([st.uid, st.gid], [65534, 65534], 'owner and group stay');
  t.equal(mode(file), 0o600);
});

t.test('a file group or world can read is refused and left as it is', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'secrets.yaml');
  writeFileSync(file, 'a: b\n');
  chmodSync(file, 0o644);
  t.throws(() => writeSecret(file, 'x', 'y'), { code: 'CONFIG_SECRETS_FILE_UNSAFE', message: /chmod 600/ });
  t.equal(readFileSync(file, 'utf8'), 'a: b\n');
});

t.test('a damaged file or a bad name is refused', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'secrets.yaml');
  writeFileSync(file, '- a list\n', { mode: 0o600 });
  t.throws(() => writeSecret(file, 'x', 'y'), { code: 'CONFIG_SECRETS_FILE_INVALID' });
  t.throws(() => writeSecret(join(dir, 'new.yaml'), 'bad name!', 'y'), { code: 'CONFIG_INVALID' });
  t.throws(() => writeSecret(join(dir, 'missing-folder', 's.yaml'), 'x', 'y'), { code: 'CONFIG_FILE_UNREADABLE', message: /cannot be written/ });
});

t.test('environment variables win over the file', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'secrets.yaml');
  writeSecret(file, 'hr.db', 'from-file');
  t.equal(Secrets.load({ file, env: { CREDIT_GATEWAY_SECRET_HR_DB: 'from-env' } }).get('hr.db', 'p'), 'from-env');
});

t.test('a secret set to the empty string counts as missing, as get() treats it', async (t) => {
  const secrets = new Secrets({ blank: '', real: 'x' }, { CREDIT_GATEWAY_SECRET_EMPTYENV: '' });
  t.equal(secrets.has('blank'), false);
  t.equal(secrets.has('emptyenv'), false);
  t.equal(secrets.has('real'), true);
});
