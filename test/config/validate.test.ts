import t from 'tap';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig, pointerToPath } from '../../config/validate.js';
import { loadConfigFile, parseConfigText } from '../../config/load.js';
import { ConfigError } from '../../config/errors.js';
import { Secrets } from '../../config/secrets.js';

const minimal = () => ({
  gateway: { id: 'hs-rsj', department: '市人社局' },
  platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
  sources: [{ name: 'hr', kind: 'sqlite', file: 'hr.sqlite' }],
  jobs: [
    {
      name: 'penalties', source: 'hr', category: 'P07-002', query: 'SELECT * FROM t_penalty',
      cursor: ['updated_at', 'id'], key: ['id'],
      subject: { kind: 'legal', name: 'corp_name', code: 'credit_code' },
      fields: { CF_WSH: 'decision_no', CF_JDRQ: { column: 'punish_date', date: 'YYYYMMDD' } },
    },
  ],
});

function problems(doc: unknown): { code: string; paths: string[] } {
  try {
    validateConfig(doc);
  } catch (err) {
    if (err instanceof ConfigError) return { code: err.code, paths: err.problems.map((p) => p.path) };
    throw err;
  }
  return { code: 'none', paths: [] };
}

t.test('a minimal configuration gets its defaults and is frozen', async (t) => {
  const config = validateConfig(minimal());
  t.equal(config.platform.algorithm, 'sha256');
  t.equal(config.platform.batchMaxRecords, 5000);
  t.equal(config.status.host, '127.0.0.1');
  t.equal(config.scheduling.realtimePollSecs, 10);
  t.equal(config.jobs[0]!.mode, 'incremental');
  t.ok(Object.isFrozen(config.jobs[0]));
});

t.test('errors name the path of the offending member', async (t) => {
  const doc = minimal() as any;
  doc.jobs[0].cursor = [];
  doc.platform.algorithm = 'md5';
  const r = problems(doc);
  t.equal(r.code, 'CONFIG_INVALID');
  t.ok(r.paths.includes('jobs[0].cursor'), 'empty cursor reported at jobs[0].cursor');
  t.ok(r.paths.includes('platform.algorithm'));
});

t.test('an unknown member is an error, not silently ignored', async (t) => {
  const doc = minimal() as any;
  doc.jobs[0].pagesize = 10;
  t.ok(problems(doc).paths.includes('jobs[0].pagesize'));
});

t.test('a job must name an existing source, unique names, valid cron, a SELECT', async (t) => {
  const doc = minimal() as any;
  doc.jobs.push({ ...doc.jobs[0], source: 'nope', schedule: { cron: 'every day' }, query: 'DELETE FROM t' });
  const r = problems(doc);
  t.equal(r.code, 'CONFIG_REFERENCE');
  t.same(r.paths.sort(), ['jobs[0].name', 'jobs[1].name', 'jobs[1].query', 'jobs[1].schedule.cron', 'jobs[1].source'].sort());
});

t.test('a plain secret in place of a reference is refused', async (t) => {
  const doc = minimal() as any;
  doc.platform.secret = 'hs-credit-demo-secret';
  t.ok(problems(doc).paths.includes('platform.secret'));
});

t.test('JSON pointers become readable paths', async (t) => {
  t.equal(pointerToPath('/jobs/0/fields/CF_WSH'), 'jobs[0].fields.CF_WSH');
  t.equal(pointerToPath(''), '');
});

t.test('YAML syntax errors say the line', async (t) => {
  t.throws(() => parseConfigText('gateway:\n  id: [oops\n', 'x.yaml'), { code: 'CONFIG_SYNTAX', message: /line/ });
});

t.test('secrets come from a private file or the environment, never from the config', async (t) => {
  const dir = t.testdir({});
  const secretsFile = join(dir, 'secrets.yaml');
  writeFileSync(secretsFile, 'platform: from-file\n');
  chmodSync(secretsFile, 0o600);
  const configFile = join(dir, 'gateway.yaml');
  writeFileSync(configFile, JSON.stringify({ ...minimal(), secrets: { file: 'secrets.yaml' } }));
  const loaded = loadConfigFile(configFile, {});
  t.equal(loaded.secrets.get('platform', 'platform.secretRef'), 'from-file');
  const withEnv = loadConfigFile(configFile, { CREDIT_GATEWAY_SECRET_PLATFORM: 'from-env' });
  t.equal(withEnv.secrets.get('platform', 'platform.secretRef'), 'from-env', 'environment wins');
  t.throws(() => loaded.secrets.get('hr_db', 'sources[0].passwordRef'), {
    code: 'CONFIG_SECRET_MISSING',
    message: /sources\[0\]\.passwordRef.*CREDIT_GATEWAY_SECRET_HR_DB/s,
  });
  chmodSync(secretsFile, 0o644);
  t.throws(() => loadConfigFile(configFile, {}), { code: 'CONFIG_SECRETS_FILE_UNSAFE', message: /chmod 600/ });
});

t.test('environment secret names are derived predictably', async (t) => {
  t.equal(Secrets.envName('hr-db.main'), 'CREDIT_GATEWAY_SECRET_HR_DB_MAIN');
});
