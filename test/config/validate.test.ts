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

const mysql = (over: Record<string, unknown> = {}) => ({
  name: 'hr', kind: 'mysql', host: '10.1.2.3', database: 'hr', user: 'credit_ro', passwordRef: 'hr_db', ...over,
});

t.test('every database kind is a source, with the connectors\' defaults', async (t) => {
  const doc = minimal() as any;
  doc.sources = [
    mysql(),
    { ...mysql({ name: 'pg', kind: 'postgres', port: 5432 }) },
    { ...mysql({ name: 'ms', kind: 'mssql', instanceName: 'SQLEXPRESS', encrypt: true, trustServerCertificate: true }) },
    { name: 'ora', kind: 'oracle', connectString: '10.0.0.8:1521/ORCL', user: 'CREDIT_RO', passwordRef: 'ora_db', thickLibDir: '/opt/ic' },
    { name: 'lite', kind: 'sqlite', file: 'x.sqlite', rowsPerSecond: 100 },
  ];
  const config = validateConfig(doc);
  const hr = config.sources[0]!;
  const lite = config.sources[4]!;
  if (hr.kind !== 'mysql' || lite.kind !== 'sqlite') return t.fail(`sources kept their kinds: ${hr.kind}, ${lite.kind}`);
  t.equal(hr.timeZone, 'Asia/Shanghai', 'naive timestamps are read as Asia/Shanghai unless stated');
  t.equal(hr.pageSize, 500);
  t.equal(hr.queryTimeoutMs, 30_000);
  t.equal(hr.connectTimeoutMs, 10_000);
  t.equal(hr.rowsPerSecond, undefined, 'no rate cap unless stated');
  t.equal(lite.timeZone, undefined, 'SQLite has no zone of its own: none is assumed');
});

t.test('a source\'s problems are reported at the paths of its own kind', async (t) => {
  const doc = minimal() as any;
  doc.sources = [
    mysql({ host: undefined, passwrd: 'x' }),
    { name: 'x', kind: 'db2', host: 'h' },
    mysql({ name: 'ms', kind: 'mssql', instanceName: 5 }),
    mysql({ name: 'pg', kind: 'postgres', password: 'secret-in-the-file' }),
  ];
  const r = problems(doc);
  t.equal(r.code, 'CONFIG_INVALID');
  t.ok(r.paths.includes('sources[0].host'), 'a missing member');
  t.ok(r.paths.includes('sources[0].passwrd'), 'an unknown member');
  t.ok(r.paths.includes('sources[1].kind'), 'an unknown kind');
  t.ok(r.paths.includes('sources[2].instanceName'), 'a kind-specific member of the wrong type');
  t.ok(r.paths.includes('sources[3].password'), 'a password written in the file is refused');
  t.notOk(r.paths.includes('sources[0]'), 'not just "expected union value" for the whole entry');
  try {
    validateConfig(doc);
  } catch (err) {
    t.match((err as Error).message, /sources\[1\]\.kind: must be one of sqlite, mysql, postgres, mssql, oracle/);
  }
});

t.test('zones must be IANA names; Oracle needs a connect string or host and service', async (t) => {
  const doc = minimal() as any;
  doc.sources = [mysql({ timeZone: 'Beijing' }), { name: 'ora', kind: 'oracle', user: 'u', passwordRef: 'p' }];
  t.same(problems(doc).paths.sort(), ['sources[0].timeZone', 'sources[1].connectString']);
});

t.test('an incremental job gets a safety lag of 5 s and no look-back by default', async (t) => {
  const job = validateConfig(minimal()).jobs[0]!;
  t.equal(job.mode, 'incremental');
  t.equal(job.mode === 'incremental' && job.safetyLagSecs, 5);
  t.equal(job.mode === 'incremental' && job.lookbackSecs, 0);
});

t.test('an incremental job\'s cursor column is taken as stamped by the database\'s clock unless it says the application stamps it', async (t) => {
  const job = validateConfig(minimal()).jobs[0]!;
  t.equal(job.mode === 'incremental' && job.cursorClock, 'database');
  const application = minimal() as any;
  application.jobs[0].cursorClock = 'application';
  const loaded = validateConfig(application).jobs[0]!;
  t.equal(loaded.mode === 'incremental' && loaded.cursorClock, 'application');
  const wrong = minimal() as any;
  wrong.jobs[0].cursorClock = 'server';
  t.same(problems(wrong).paths, ['jobs[0].cursorClock']);
  const snapshot = minimal() as any;
  const { cursor: _cursor, ...rest } = snapshot.jobs[0];
  snapshot.jobs = [{ ...rest, mode: 'snapshot', cursorClock: 'database' }];
  t.same(problems(snapshot).paths, ['jobs[0].cursorClock'], 'a snapshot job has no cursor to stamp');
});

t.test('an incremental job\'s cursor must end with its key, so rows sharing a time are told apart', async (t) => {
  const doc = minimal() as any;
  doc.jobs[0].cursor = ['updated_at'];
  try {
    validateConfig(doc);
    t.fail('refused');
  } catch (err) {
    t.equal((err as ConfigError).code, 'CONFIG_REFERENCE');
    t.match((err as Error).message, /jobs\[0\]\.cursor: must end with the key column\(s\) id.*\[updated_at, id\]/);
  }
});

t.test('a snapshot job has no cursor; an incremental one may add a snapshot schedule', async (t) => {
  const doc = minimal() as any;
  const { cursor: _cursor, ...rest } = doc.jobs[0];
  doc.jobs = [
    { ...rest, name: 'ratings', mode: 'snapshot', schedule: { cron: '0 3 * * *' } },
    { ...doc.jobs[0], snapshotSchedule: { intervalSecs: 86_400 } },
  ];
  const config = validateConfig(doc);
  t.equal(config.jobs[0]!.mode, 'snapshot');
  t.notOk('safetyLagSecs' in config.jobs[0]!, 'no incremental defaults on a snapshot job');

  const wrong = minimal() as any;
  wrong.jobs = [{ ...wrong.jobs[0], mode: 'snapshot', lookbackSecs: 60 }, { ...wrong.jobs[0], name: 'b', mode: 'full' }];
  const r = problems(wrong);
  t.ok(r.paths.includes('jobs[0].cursor'), 'a cursor on a snapshot job is refused');
  t.ok(r.paths.includes('jobs[0].lookbackSecs'));
  t.ok(r.paths.includes('jobs[1].mode'), 'an unknown mode');

  const cron = minimal() as any;
  cron.jobs[0].snapshotSchedule = { cron: 'nightly' };
  t.same(problems(cron).paths, ['jobs[0].snapshotSchedule.cron']);
});

t.test('a job query that could write is refused at load time with its path and the reason', async (t) => {
  const queries = [
    'UPDATE t_penalty SET x = 1',
    'DELETE FROM t_penalty',
    'DROP TABLE t_penalty',
    'SELECT * FROM t_penalty; DELETE FROM t_penalty',
    'SELECT * FROM t_penalty /* harmless */; DROP TABLE t_penalty',
    'SELECT * FROM t_penalty -- ok\n; DROP TABLE t_penalty',
    'WITH d AS (DELETE FROM t_penalty RETURNING *) SELECT * FROM d',
    'SELECT * INTO t_copy FROM t_penalty',
  ];
  for (const query of queries) {
    const doc = minimal() as any;
    doc.jobs[0].query = query;
    try {
      validateConfig(doc);
      t.fail(`accepted: ${query}`);
    } catch (err) {
      const e = err as ConfigError;
      t.same(e.problems.map((p) => p.path), ['jobs[0].query'], query);
      t.match(e.message, /jobs\[0\]\.query: must be a single read-only SELECT or WITH statement: \S/, 'with the reason');
    }
  }
  for (const query of ['SELECT * FROM t_penalty;', "WITH x AS (SELECT * FROM t WHERE note = 'a;b') SELECT * FROM x", 'select "update" from t']) {
    const doc = minimal() as any;
    doc.jobs[0].query = query;
    t.doesNotThrow(() => validateConfig(doc), `accepted: ${query}`);
  }
});

t.test('a drop folder gets its defaults, needs no job, and refuses one', async (t) => {
  const doc = { ...minimal(), sources: [{ name: 'drop', kind: 'folder', path: './drop' }], jobs: [] };
  t.match(validateConfig(doc).sources[0], { name: 'drop', kind: 'folder', path: './drop', stableMs: 2000, usePolling: false });
  t.notOk('maxFileBytes' in validateConfig(doc).sources[0]!);
  t.same(problems({ ...doc, sources: [{ name: 'drop', kind: 'folder', path: './drop', query: 'x' }] }), { code: 'CONFIG_INVALID', paths: ['sources[0].query'] });
  t.same(problems({ ...doc, sources: [{ name: 'drop', kind: 'folder' }] }), { code: 'CONFIG_INVALID', paths: ['sources[0].path'] });
  const withJob = { ...minimal(), sources: [{ name: 'hr', kind: 'folder', path: './drop' }] };
  t.same(problems(withJob), { code: 'CONFIG_REFERENCE', paths: ['jobs[0].source'] });
});

t.test('a field rule may translate codes by a standard code table or inline', async (t) => {
  const doc = minimal();
  doc.jobs[0]!.fields = { ...doc.jobs[0]!.fields, CF_CFLB: { column: 'kind', codes: 'cflb' }, XK_ZT: { column: 'st', codes: { '0': '1', '1': '2' } } } as never;
  t.same(problems(doc), { code: 'none', paths: [] });
  doc.jobs[0]!.fields = { CF_CFLB: { column: 'kind', codes: 3 } } as never;
  t.same(problems(doc).paths, ['jobs[0].fields.CF_CFLB.codes'], 'the member inside the rule, not the whole rule');
});

t.test('gateway.provider is one code or a list of codes, for a department that took over several providers', async (t) => {
  const one = minimal() as any;
  one.gateway.provider = 'P07';
  t.equal(validateConfig(one).gateway.provider, 'P07', 'one code, as before');
  const list = minimal() as any;
  list.gateway = { id: 'hs-zjj', department: '黄石市住房和城乡建设局', provider: ['P09', 'P17'] };
  t.same(validateConfig(list).gateway.provider, ['P09', 'P17']);
  const text = parseConfigText('gateway: { id: hs-zjj, department: 市住建局, provider: [P09, P17] }\nplatform: { url: https://p.example/x, secretRef: platform }\nsources: []\njobs: []\n');
  t.same(validateConfig(text).gateway.provider, ['P09', 'P17'], 'as YAML');
  for (const bad of ['P7', ['P09', 'x'], [], ['P09', 'P09']]) {
    const doc = minimal() as any;
    doc.gateway.provider = bad;
    const r = problems(doc);
    t.equal(r.code, 'CONFIG_INVALID', `${JSON.stringify(bad)} is refused`);
    t.ok(r.paths.some((p) => p.startsWith('gateway.provider')), `${JSON.stringify(bad)} at gateway.provider: ${r.paths.join(', ')}`);
  }
});

t.test('a subject\'s code is one column or several tried in order, for legal and natural persons in one table', async (t) => {
  const doc = minimal();
  const mixed = { ...doc, jobs: [{ ...doc.jobs[0]!, subject: { kind: { column: 'party_type', values: { '1': 'legal', '2': 'natural' } }, name: 'party_name', code: ['credit_code', 'id_no'] } }] };
  t.same(validateConfig(mixed).jobs[0]!.subject.code, ['credit_code', 'id_no']);
  const empty = { ...doc, jobs: [{ ...doc.jobs[0]!, subject: { kind: 'legal', name: 'corp_name', code: [] } }] };
  t.equal(problems(empty).code, 'CONFIG_INVALID');
  t.match(problems(empty).paths.join(' '), /jobs\[0\]\.subject\.code/);
});
