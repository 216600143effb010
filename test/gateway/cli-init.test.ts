/**
 * `credit-gateway init` as a department's IT person runs it, on the built
 * CLI: against a real SQLite file, by flags (--yes) and by answering its
 * questions on stdin; the files it writes load with `config check`.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI, runCli } from '../helpers/cli.js';
import { until } from '../helpers/wait.js';
import { createDepartmentSqlite, DEPARTMENT_COLUMNS, DEPARTMENT_CREDIT_CODE } from '../helpers/department-table.js';

const PLATFORM_SECRET = 'platform-secret-Zq81';

interface Outcome { code: number; stdout: string; stderr: string }

const cli = runCli;

/** init with its questions answered by `lines` on stdin, as a script (or `expect`) would. */
function interactive(args: string[], lines: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'init', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

const flagsFor = (dir: string, db: string) => [
  'init', '--yes', '--department', '市公积金中心', '--gateway-id', 'hs-gjj', '--platform-url', 'https://platform.example/exchange',
  '--db', 'sqlite', '--file', db, '--table', 'P14-003=t_penalty', '--department-code', DEPARTMENT_CREDIT_CODE, '-o', join(dir, 'gateway.yaml'),
];

t.test('init --yes against a SQLite file writes a configuration config check accepts, the secrets file 600 and the data folder 700', async (t) => {
  const dir = t.testdir({});
  const { file, db } = createDepartmentSqlite(dir, 3);
  db.close();
  const out = await cli(flagsFor(dir, file), { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET });
  t.equal(out.code, 0, out.stderr);

  const configFile = join(dir, 'gateway.yaml');
  const check = await cli(['config', 'check', configFile]);
  t.equal(check.code, 0, `config check accepts it: ${check.stdout}${check.stderr}`);

  const text = readFileSync(configFile, 'utf8');
  const config = parse(text);
  t.match(config.gateway, { id: 'hs-gjj', department: '黄石市住房公积金管理中心' }, "the department by its full name of today");
  t.match(config.sources, [{ name: 'db', kind: 'sqlite', file }]);
  t.notOk('timeZone' in config.sources[0], 'no time zone is claimed for a SQLite file');
  const job = config.jobs.find((j: { category: string }) => j.category === 'P14-003');
  t.match(job, { source: 'db', mode: 'incremental', cursor: ['updated_at', 'id'], key: ['id'], subject: { kind: 'legal', name: 'party_name', code: 'credit_code' } });
  for (const [column, [field, rule]] of Object.entries(DEPARTMENT_COLUMNS)) {
    t.same(job.fields[field], field === 'CF_JDRQ' ? { column, date: 'YYYYMMDD' } : column, `${field} ← ${column}`);
    t.match(out.stdout, new RegExp(`${field} .* ← ${column}  \\(${rule === 'common-name' ? 'common column name' : rule === 'field-code' ? 'field code' : rule === 'code-initials' ? 'code initials' : 'Chinese field name'}`), `and says it matched ${column} by ${rule}`);
  }
  t.match(out.stdout, /CF_JDRQ .*dates written YYYYMMDD, judged from 3 sampled rows/, 'the date format is proposed from a sample, and says so');
  t.same(job.fields.CF_CFJGDM, { const: DEPARTMENT_CREDIT_CODE }, "the department's own code fills the authority's code");
  t.same(job.fields.CF_CFJG, { const: '黄石市住房公积金管理中心' }, 'the department itself decided');
  t.match(text, /# P14-001 .*\n(.*\n)*?\s+# - name: p14-001/, 'a category without a table is there, commented out');
  t.equal(config.jobs.length, 1, 'only the job with a table is live');

  const secretsFile = join(dir, 'secrets.yaml');
  t.equal(statSync(secretsFile).mode & 0o777, 0o600, 'secrets file mode 600');
  t.same(parse(readFileSync(secretsFile, 'utf8')), { platform: PLATFORM_SECRET });
  t.notMatch(text, PLATFORM_SECRET, 'the secret is not in the configuration');
  t.notMatch(out.stdout + out.stderr, PLATFORM_SECRET, 'nor printed');
  t.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700, 'data folder mode 700');
  t.match(out.stdout, /config check --probe/, 'says what to do next');
});

t.test('a department of today that absorbed several 2017 providers gets a job for every category of each', async (t) => {
  const dir = t.testdir({});
  const { file, db } = createDepartmentSqlite(dir, 2);
  db.close();
  const args = flagsFor(dir, file);
  args[args.indexOf('市公积金中心')] = '市场监督管理局';
  args[args.indexOf('hs-gjj')] = 'hs-scjg';
  args[args.indexOf('P14-003=t_penalty')] = 'P01-003=t_penalty';
  args.push('--table', 'P06-008=t_penalty');
  const out = await cli(args, { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET });
  t.equal(out.code, 0, out.stderr);
  t.match(out.stdout, /市场监督管理局 → 黄石市市场监督管理局: P01 市工商局, P02 市质监局, P06 市食品药品监督管理局/, 'it says which 2017 providers it feeds');
  const text = readFileSync(join(dir, 'gateway.yaml'), 'utf8');
  const config = parse(text);
  t.equal(config.gateway.department, '黄石市市场监督管理局');
  t.same(config.jobs.map((j: { category: string }) => j.category), ['P01-003', 'P06-008'], 'one live job in each of two absorbed providers');
  for (const code of ['P01-001', 'P02-004', 'P06-034']) t.match(text, new RegExp(`# ${code} `), `${code} is there to fill in`);
  t.equal((text.match(/^ {2}# P\d\d-\d{3} /gm) ?? []).length, 84, 'every category of the five providers has its section');
  const check = await cli(['config', 'check', join(dir, 'gateway.yaml')]);
  t.equal(check.code, 0, check.stderr);
});

t.test('init refuses to overwrite a configuration or secrets file unless --force', async (t) => {
  const dir = t.testdir({ 'gateway.yaml': 'mine: true\n' });
  const { file, db } = createDepartmentSqlite(dir, 1);
  db.close();
  const env = { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET };
  const refused = await cli(flagsFor(dir, file), env);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /INIT_FILE_EXISTS: .*gateway\.yaml/);
  t.match(refused.stderr, /--force/);
  t.equal(readFileSync(join(dir, 'gateway.yaml'), 'utf8'), 'mine: true\n', 'the file is untouched');
  t.notOk(existsSync(join(dir, 'secrets.yaml')), 'and nothing else was written');
  const forced = await cli([...flagsFor(dir, file), '--force'], env);
  t.equal(forced.code, 0, forced.stderr);
  t.match(readFileSync(join(dir, 'gateway.yaml'), 'utf8'), /credit-gateway init/);
});

t.test('init refuses a data folder other users can read, before writing anything', async (t) => {
  const dir = t.testdir({ data: {} });
  chmodSync(join(dir, 'data'), 0o755);
  const { file, db } = createDepartmentSqlite(dir, 1);
  db.close();
  const out = await cli(flagsFor(dir, file), { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET });
  t.equal(out.code, 1);
  t.match(out.stderr, /STORE_NOT_PRIVATE: .*chmod 700/);
  t.notOk(existsSync(join(dir, 'gateway.yaml')) || existsSync(join(dir, 'secrets.yaml')), 'nothing written');
});

t.test('init --yes names the flag of every missing answer, and the close names of a wrong one', async (t) => {
  const dir = t.testdir({});
  const { file, db } = createDepartmentSqlite(dir, 1);
  db.close();
  const env = { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET };
  const without = (flag: string) => {
    const args = flagsFor(dir, file);
    const at = args.indexOf(flag);
    return [...args.slice(0, at), ...args.slice(at + 2)];
  };
  const noId = await cli(without('--gateway-id'), env);
  t.equal(noId.code, 1);
  t.match(noId.stderr, /INIT_ANSWER_MISSING: .*--gateway-id/);
  const noSecret = await cli(flagsFor(dir, file), { CREDIT_GATEWAY_SECRET_PLATFORM: '' });
  t.equal(noSecret.code, 1);
  t.match(noSecret.stderr, /INIT_ANSWER_MISSING: .*CREDIT_GATEWAY_SECRET_PLATFORM/, 'the platform secret: the variable to set');

  const department = flagsFor(dir, file);
  department[department.indexOf('市公积金中心')] = '市建设局';
  const unknown = await cli(department, env);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /市城乡建设委员会/, 'an unknown department gets the closest names');

  const table = flagsFor(dir, file);
  table[table.indexOf('P14-003=t_penalty')] = 'P14-003=t_penalti';
  const noTable = await cli(table, env);
  t.equal(noTable.code, 1);
  t.match(noTable.stderr, /INIT_TABLE_UNKNOWN: .*"t_penalti".*did you mean t_penalty/);

  const credentials = flagsFor(dir, file);
  credentials[credentials.indexOf('https://platform.example/exchange')] = 'https://user:pw@platform.example/exchange';
  const url = await cli(credentials, env);
  t.equal(url.code, 1);
  t.match(url.stderr, /INIT_ANSWER_INVALID: .*--platform-url.*user:pass@/);
  const code = flagsFor(dir, file);
  code[code.indexOf(DEPARTMENT_CREDIT_CODE)] = DEPARTMENT_CREDIT_CODE.slice(0, 17) + 'X';
  const badCode = await cli(code, env);
  t.equal(badCode.code, 1);
  t.match(badCode.stderr, /INIT_ANSWER_INVALID: .*--department-code.*check character/, "the department's code is checked as records' codes are");
  t.notOk(existsSync(join(dir, 'gateway.yaml')), 'nothing was written by any of them');
});

t.test('init asks each question when not given as a flag, the secret without showing it, and a table picked from the list', async (t) => {
  const dir = t.testdir({});
  const { file, db } = createDepartmentSqlite(dir, 2);
  db.close();
  const answers = [
    '市公基金中心', //         a typo: told the close names, asked again
    '市公积金中心',
    'hs-gjj',
    'ftp://platform', //       refused, asked again
    'https://platform.example/exchange',
    PLATFORM_SECRET, //        the platform secret, typed
    'oracle8', //              not a kind, asked again
    'sqlite',
    file,
    '-', //                    P14-001: no table
    '', //                     P14-002: Enter takes the suggestion, which there is none of: skipped
    '2', //                    P14-003: the second table listed (t_penalty)
  ];
  const out = await interactive(['-o', join(dir, 'gateway.yaml'), '--department-code', DEPARTMENT_CREDIT_CODE], answers, { CREDIT_GATEWAY_SECRET_PLATFORM: '' });
  t.equal(out.code, 0, out.stderr);
  t.match(out.stderr, /部门现名.*\n.*市住房公积金管理中心/, 'the misspelled department is answered with close names');
  t.match(out.stderr, /平台密钥 \/ the platform secret \(not shown\)/);
  t.match(out.stdout, /1\. t_audit_log\n\s+2\. t_penalty/, 'the tables are listed, numbered');
  t.notMatch(out.stdout + out.stderr, PLATFORM_SECRET, 'the secret is never echoed');
  const config = parse(readFileSync(join(dir, 'gateway.yaml'), 'utf8'));
  t.same(config.jobs.map((j: { category: string; query: string }) => [j.category, j.query]), [['P14-003', 'SELECT * FROM "t_penalty"']]);
  t.same(parse(readFileSync(join(dir, 'secrets.yaml'), 'utf8')), { platform: PLATFORM_SECRET });
  const check = await cli(['config', 'check', join(dir, 'gateway.yaml')]);
  t.equal(check.code, 0, check.stderr);
});

t.test('init stops, writing nothing, when the answers end before its questions do', async (t) => {
  const dir = t.testdir({});
  const out = await interactive(['-o', join(dir, 'gateway.yaml')], ['市公积金中心', 'hs-gjj']);
  t.equal(out.code, 1);
  t.match(out.stderr, /INIT_ANSWER_MISSING: .*platform URL/);
  t.notOk(existsSync(join(dir, 'gateway.yaml')));
});

t.test('init writes a job it cannot complete commented out, saying why, and the file still loads', async (t) => {
  const dir = t.testdir({});
  const { file, db } = createDepartmentSqlite(dir, 1);
  db.exec('CREATE TABLE t_loose (note TEXT, remark TEXT)');
  db.close();
  const args = flagsFor(dir, file);
  args[args.indexOf('P14-003=t_penalty')] = 'P14-003=t_loose';
  const out = await cli(args, { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET });
  t.equal(out.code, 0, out.stderr);
  t.match(out.stdout, /NOT RUNNABLE: no primary key/);
  const text = readFileSync(join(dir, 'gateway.yaml'), 'utf8');
  t.match(text, /# {3}- no column for the subject's name/);
  t.match(text, /# - name: p14-003/);
  t.match(text, /# TODO CF_WSH: 行政处罚决定书文号/, 'each required field without a column is a TODO naming its Chinese name');
  t.same(parse(text).jobs, []);
  const check = await cli(['config', 'check', join(dir, 'gateway.yaml')]);
  t.equal(check.code, 0, check.stderr);
});

/** init on a pseudo-terminal (util-linux `script`), answered prompt by prompt as a person types. */
async function onTerminal(t: Test, args: string[], steps: [RegExp, string][]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI, 'init', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, TERM: 'dumb', CREDIT_GATEWAY_SECRET_PLATFORM: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.teardown(() => void child.kill('SIGKILL'));
  let seen = 0;
  for (const [prompt, answer] of steps) {
    await until(() => output.slice(seen), (text) => prompt.test(text), 20_000).catch(() => t.fail(`no prompt ${prompt} in: ${output.slice(seen)}`));
    seen = output.length;
    child.stdin.write(answer);
  }
  return { code: await exited, output };
}

t.test('on a terminal init asks with a line editor and reads the secret without echoing it; Ctrl-C cancels, writing nothing', async (t) => {
  const dir = t.testdir({});
  const { file, db } = createDepartmentSqlite(dir, 1);
  db.close();
  const configFile = join(dir, 'gateway.yaml');
  const done = await onTerminal(t, ['-o', configFile, '--department-code', DEPARTMENT_CREDIT_CODE], [
    [/部门现名.*: $/m, '市公积金中心\r'],
    [/网关 ID.*: $/m, 'hs-gjj\r'],
    [/平台地址.*: $/m, 'https://platform.example/exchange\r'],
    [/平台密钥.*\(not shown\): $/m, `${PLATFORM_SECRET}\r`],
    [/数据库类型.*: $/m, 'sqlite\r'],
    [/SQLite 数据库文件.*: $/m, `${file}\r`],
    [/P14-001 .*: $/m, '-\r'],
    [/P14-002 .*: $/m, '\r'],
    [/P14-003 .*: $/m, 't_penalty\r'],
  ]);
  t.equal(done.code, 0, done.output);
  t.notMatch(done.output, PLATFORM_SECRET, 'the secret typed on the terminal is never shown');
  t.match(done.output, /hs-gjj/, 'ordinary answers are echoed as typed');
  t.same(parse(readFileSync(join(dir, 'secrets.yaml'), 'utf8')), { platform: PLATFORM_SECRET });
  t.match(parse(readFileSync(configFile, 'utf8')).jobs, [{ category: 'P14-003' }]);

  const other = join(dir, 'other.yaml');
  const cancelled = await onTerminal(t, ['-o', other, '--secrets', join(dir, 'other-secrets.yaml')], [
    [/部门现名.*: $/m, '市公积金中心\r'],
    [/网关 ID.*: $/m, 'hs-gjj\r'],
    [/平台地址.*: $/m, 'https://platform.example/exchange\r'],
    [/平台密钥.*\(not shown\): $/m, 'half-typed\u0003'],
  ]);
  t.equal(cancelled.code, 130, 'Ctrl-C ends init with 130');
  t.match(cancelled.output, /INIT_CANCELLED|cancelled/);
  t.notOk(existsSync(other) || existsSync(join(dir, 'other-secrets.yaml')), 'nothing written');
});

t.test('init probes what it wrote: a mapping that would reject every row ends with the probe\'s status, the files kept to fix', async (t) => {
  const dir = t.testdir({});
  const { file, db } = createDepartmentSqlite(dir, 3);
  db.close();
  const args = flagsFor(dir, file);
  args.splice(args.indexOf('--department-code'), 2); // the authority's code stays a TODO: every record lacks it
  const out = await cli(args, { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET });
  t.equal(out.code, 6, 'exit 6: a job would reject every sampled row');
  t.match(out.stdout, /TODO CF_CFJGDM 处罚机关统一社会信用代码/);
  t.match(out.stdout, /probe \/ 试运行检查[\s\S]*CF_CFJGDM/, 'the probe report names the missing field');
  t.match(out.stdout, /fix what the probe reported in .*gateway\.yaml/);
  t.ok(existsSync(join(dir, 'gateway.yaml')) && existsSync(join(dir, 'secrets.yaml')), 'the files are written, to be fixed');

  const quiet = await cli([...args, '--force', '--no-probe'], { CREDIT_GATEWAY_SECRET_PLATFORM: PLATFORM_SECRET });
  t.equal(quiet.code, 0, '--no-probe: written, nothing probed');
  t.notMatch(quiet.stdout, /试运行检查/);
});
