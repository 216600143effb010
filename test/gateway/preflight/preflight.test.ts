/**
 * `config check` finds everything start refuses, all at once: each broken
 * configuration below plants one to four problems of different kinds, and
 * the check must report every one of them (and nothing else) at the line
 * and column of its member, with its path and code; the real start path
 * (the CLI's loadCheckedConfig, and Gateway.start on what loads) must refuse
 * each with the same problems and start nothing.
 */
import t from 'tap';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { Gateway } from '../../../gateway/gateway.js';
import { checkConfigFile, loadCheckedConfig } from '../../../gateway/preflight/preflight.js';
import { ConfigCheckError, type CheckProblem } from '../../../gateway/preflight/problem.js';
import { hashPassword } from '../../../gateway/status/security/password.js';

const logger = pino({ level: 'silent' });

const BASE = `gateway:
  id: hs-test
  department: 市人社局
  dataDir: ./data
platform:
  url: http://127.0.0.1:9/exchange
  secretRef: platform
secrets:
  file: ./secrets.yaml
sources:
  - name: biz
    kind: sqlite
    file: ./biz.sqlite
jobs:
  - name: penalties
    source: biz
    category: P07-002
    query: SELECT * FROM t_penalty
    cursor: [updated_at, id]
    key: [id]
    subject: { kind: legal, name: party_name, code: credit_code }
    fields:
      CF_XDR_MC: party_name
      CF_XDR_SHXYM: credit_code
      CF_NR: content
      CF_JDRQ: { column: punish_date, date: YYYYMMDD }
`;

/** A second job, to plant problems beside the first one's. */
const SECOND_JOB = `  - name: licences
    source: biz
    category: P07-002
    query: SELECT * FROM t_licence
    mode: snapshot
    key: [id]
    subject: { kind: legal, name: party_name, code: credit_code }
    fields:
      CF_XDR_MC: party_name
`;

interface Planted {
  path: string;
  code: string;
  /** Text that starts where the problem points: its line and column are asserted. */
  at: string;
  /** A "did you mean" the problem must offer. */
  suggests?: RegExp;
  /** What the message must say besides. */
  message?: RegExp;
}

interface Case {
  name: string;
  edit: (base: string) => string;
  /** Files beside the configuration, made before the check. */
  setup?: (dir: string) => void;
  secrets?: Record<string, string>;
  planted: Planted[];
}

const replace = (from: string, to: string) => (text: string) => {
  if (!text.includes(from)) throw new Error(`the base has no ${from}`);
  return text.replace(from, to);
};
const all = (...edits: ((text: string) => string)[]) => (text: string) => edits.reduce((acc, edit) => edit(acc), text);
const append = (more: string) => (text: string) => `${text}${more}`;
const withSecondJob = append(SECOND_JOB);

const CASES: Case[] = [
  {
    name: 'export profiles: a bad pattern, an unknown field, unmapped required fields, no system, a name twice, an unknown folder and category',
    edit: append(`profiles:
  - name: jszg-rd
    match: { name: ["教师[资格.xls"] }
    category: P07-002
    subject: { kind: natural, name: 姓名, code: 身份证件号码 }
    fields: { CF_XDR_MC: 姓名, CF_NRR: 处罚内容 }
  - name: jszg-rd
    origin: own
    sources: [drop]
    match: { headers: [姓名] }
    category: P39-020
    subject: { kind: natural, name: 姓名, code: 身份证件号码 }
    fields: { CF_XDR_MC: 姓名 }
`),
    planted: [
      { path: 'profiles[0].match.name[0]', code: 'CONFIG_PROFILE_PATTERN', at: '"教师[资格.xls"' },
      { path: 'profiles[0].system', code: 'CONFIG_PROFILE_INCOMPLETE', at: 'name: jszg-rd' },
      { path: 'profiles[0].fields.CF_NRR', code: 'CONFIG_FIELD_UNKNOWN', at: 'CF_NRR', suggests: /^CF_NR / },
      { path: 'profiles[0].fields', code: 'CONFIG_PROFILE_INCOMPLETE', at: 'fields: { CF_XDR_MC: 姓名, CF_NRR', message: /CF_WSH/ },
      { path: 'profiles[1].name', code: 'CONFIG_NAME_DUPLICATE', at: 'name: jszg-rd\n    origin' },
      { path: 'profiles[1].sources[0]', code: 'CONFIG_REFERENCE', at: 'drop]' },
      { path: 'profiles[1].category', code: 'CONFIG_CATEGORY_UNKNOWN', at: 'category: P39-020' },
    ],
  },
  {
    name: 'an unknown top-level member',
    edit: append('schedulng:\n  realtimePollSecs: 5\n'),
    planted: [{ path: 'schedulng', code: 'CONFIG_MEMBER_UNKNOWN', at: 'schedulng:', suggests: /^scheduling$/ }],
  },
  {
    name: 'a misspelled job member: the unknown one and the missing one',
    edit: replace('    cursor: [updated_at, id]', '    cursr: [updated_at, id]'),
    planted: [
      { path: 'jobs[0].cursr', code: 'CONFIG_MEMBER_UNKNOWN', at: 'cursr:', suggests: /^cursor$/ },
      { path: 'jobs[0].cursor', code: 'CONFIG_MEMBER_MISSING', at: 'name: penalties' },
    ],
  },
  {
    name: 'a wrong type',
    edit: replace('    file: ./biz.sqlite', '    file: ./biz.sqlite\n    pageSize: many'),
    planted: [{ path: 'sources[0].pageSize', code: 'CONFIG_INVALID', at: 'pageSize: many' }],
  },
  {
    name: 'a bad cron',
    edit: replace('    key: [id]\n', '    key: [id]\n    schedule: { cron: "61 * * * *" }\n'),
    planted: [{ path: 'jobs[0].schedule.cron', code: 'CONFIG_SCHEDULE_INVALID', at: 'cron: "61' }],
  },
  {
    name: 'a category not in the catalog',
    edit: replace('category: P07-002', 'category: P39-020'),
    planted: [{ path: 'jobs[0].category', code: 'CONFIG_CATEGORY_UNKNOWN', at: 'category: P39-020', suggests: /^P39-0\d\d .*信息/ }],
  },
  {
    name: 'a field code the standard does not have',
    edit: replace('      CF_NR: content', '      CF_NRR: content'),
    planted: [{ path: 'jobs[0].fields.CF_NRR', code: 'CONFIG_FIELD_UNKNOWN', at: 'CF_NRR:', suggests: /^CF_NR \(/ }],
  },
  {
    name: 'a code table the standards do not have',
    edit: append('      CF_CFLB: { column: kind, codes: cflbb }\n'),
    planted: [{ path: 'jobs[0].fields.CF_CFLB.codes', code: 'CONFIG_CODE_TABLE_UNKNOWN', at: 'codes: cflbb', suggests: /^cflb$/ }],
  },
  {
    name: 'a secret that is not defined',
    edit: replace('  secretRef: platform', '  secretRef: platfrom'),
    planted: [{ path: 'platform.secretRef', code: 'CONFIG_SECRET_MISSING', at: 'secretRef: platfrom', suggests: /^platform$/ }],
  },
  {
    // One cause, one problem: the secrets it is to hold are named in it, not reported again each.
    name: 'a secrets file that is not there',
    edit: replace('  file: ./secrets.yaml', '  file: ./secrts.yaml'),
    planted: [
      { path: 'secrets.file', code: 'CONFIG_SECRETS_FILE_MISSING', at: 'file: ./secrts.yaml', message: /it is to hold platform \(or set CREDIT_GATEWAY_SECRET_PLATFORM\)/ },
    ],
  },
  {
    name: 'a secrets file others can read',
    edit: (text) => text,
    setup: (dir) => chmodSync(join(dir, 'secrets.yaml'), 0o644),
    planted: [{ path: 'secrets.file', code: 'CONFIG_SECRETS_FILE_UNSAFE', at: 'file: ./secrets.yaml' }],
  },
  {
    name: 'a status page exposed without users and without TLS',
    edit: append('status:\n  host: 0.0.0.0\n'),
    planted: [
      { path: 'status.users', code: 'STATUS_LOGIN_NOT_CONFIGURED', at: 'status:' },
      { path: 'status.tls', code: 'STATUS_TLS_REQUIRED', at: 'status:' },
    ],
  },
  {
    name: 'a plaintext status password',
    edit: append('status:\n  requireLogin: true\n  users:\n    - { name: admin, role: admin, secretRef: admin_pw }\n'),
    secrets: { admin_pw: 'hunter2hunter2' },
    planted: [{ path: 'status.users[0].secretRef', code: 'STATUS_SECRET_NOT_HASHED', at: 'secretRef: admin_pw' }],
  },
  {
    name: 'two status users of one name',
    edit: append('status:\n  requireLogin: true\n  users:\n    - { name: admin, role: admin, secretRef: admin_hash }\n    - { name: admin, role: viewer, secretRef: admin_hash }\n'),
    planted: [{ path: 'status.users[1].name', code: 'STATUS_USER_DUPLICATE', at: 'name: admin, role: viewer' }],
  },
  {
    name: 'a platform URL with user:pass@',
    edit: replace('http://127.0.0.1:9/exchange', 'https://gw:s3cret@platform.example/exchange'),
    planted: [{ path: 'platform.url', code: 'CONFIG_PLATFORM_URL_CREDENTIALS', at: 'url: https://gw' }],
  },
  {
    name: 'plain HTTP to a platform that is not on this machine',
    edit: replace('http://127.0.0.1:9/exchange', 'http://10.20.30.40/exchange'),
    planted: [{ path: 'platform.url', code: 'DELIVERY_INSECURE_URL', at: 'url: http://10' }],
  },
  {
    name: 'two jobs of one name',
    edit: all(withSecondJob, replace('  - name: licences', '  - name: penalties')),
    planted: [
      { path: 'jobs[0].name', code: 'CONFIG_NAME_DUPLICATE', at: 'name: penalties' },
      { path: 'jobs[1].name', code: 'CONFIG_NAME_DUPLICATE', at: 'name: penalties\n    source: biz\n    category: P07-002\n    query: SELECT * FROM t_licence' },
    ],
  },
  {
    name: 'a job over a drop folder',
    edit: all(
      replace('    file: ./biz.sqlite\n', '    file: ./biz.sqlite\n  - name: drop\n    kind: folder\n    path: ./drop\n'),
      replace('    source: biz\n    category: P07-002', '    source: drop\n    category: P07-002'),
    ),
    planted: [{ path: 'jobs[0].source', code: 'CONFIG_FOLDER_JOB', at: 'source: drop' }],
  },
  {
    name: 'a cursor without the key',
    edit: replace('cursor: [updated_at, id]', 'cursor: [updated_at]'),
    planted: [{ path: 'jobs[0].cursor', code: 'CONFIG_CURSOR_INVALID', at: 'cursor: [updated_at]' }],
  },
  {
    name: 'a time zone that does not exist',
    edit: replace('    file: ./biz.sqlite', '    file: ./biz.sqlite\n    timeZone: Asia/Shanghia'),
    planted: [{ path: 'sources[0].timeZone', code: 'CONFIG_TIME_ZONE_INVALID', at: 'timeZone: Asia/Shanghia' }],
  },
  {
    name: "the credit center's public key cannot be read",
    edit: append('control:\n  publicKeyFile: ./center-public.pem\n'),
    planted: [{ path: 'control.publicKeyFile', code: 'CONFIG_PUBLIC_KEY_UNREADABLE', at: 'publicKeyFile:' }],
  },
  {
    name: 'a public key file that holds no key',
    edit: append('control:\n  publicKeyFile: ./center-public.pem\n'),
    setup: (dir) => writeFileSync(join(dir, 'center-public.pem'), 'not a key\n'),
    planted: [{ path: 'control.publicKeyFile', code: 'CONFIG_PUBLIC_KEY_UNREADABLE', at: 'publicKeyFile:' }],
  },
  {
    name: 'a store key that is not defined',
    edit: append('store:\n  encryption:\n    keyRef: store_key\n'),
    planted: [{ path: 'store.encryption.keyRef', code: 'CONFIG_SECRET_MISSING', at: 'keyRef: store_key' }],
  },
  {
    name: 'a store key that is not a key',
    edit: append('store:\n  encryption:\n    keyRef: store_key\n'),
    secrets: { store_key: 'too-short' },
    planted: [{ path: 'store.encryption.keyRef', code: 'STORE_KEY_INVALID', at: 'keyRef: store_key' }],
  },
  {
    name: "control.allowPaths naming the gateway's own data folder",
    edit: append('control:\n  allowPaths: [./data]\n'),
    planted: [{ path: 'control.allowPaths[0]', code: 'CONFIG_PATH_MISUSED', at: './data]' }],
  },
  {
    name: 'secrets.allow sending the platform secret to a database',
    edit: replace('  file: ./secrets.yaml', '  file: ./secrets.yaml\n  allow:\n    platform: [10.1.2.3]'),
    planted: [{ path: 'secrets.allow.platform', code: 'CONFIG_SECRET_MISUSED', at: 'platform: [10.1.2.3]' }],
  },
  {
    name: 'a job naming a source that does not exist',
    edit: replace('    source: biz\n    category: P07-002', '    source: bizz\n    category: P07-002'),
    planted: [{ path: 'jobs[0].source', code: 'CONFIG_REFERENCE', at: 'source: bizz', suggests: /^biz$/ }],
  },
  {
    name: 'a query that is not a SELECT',
    edit: replace('query: SELECT * FROM t_penalty', 'query: DELETE FROM t_penalty'),
    planted: [{ path: 'jobs[0].query', code: 'CONFIG_QUERY_INVALID', at: 'query: DELETE' }],
  },
  {
    name: 'a source kind that does not exist',
    edit: replace('kind: sqlite', 'kind: sqlit'),
    planted: [{ path: 'sources[0].kind', code: 'CONFIG_INVALID', at: 'kind: sqlit', suggests: /^sqlite$/ }],
  },
  {
    name: 'a job mode that does not exist',
    edit: all(withSecondJob, replace('mode: snapshot', 'mode: snapsot')),
    planted: [{ path: 'jobs[1].mode', code: 'CONFIG_INVALID', at: 'mode: snapsot', suggests: /^snapshot$/ }],
  },
  {
    name: 'a misspelled member inside a field rule',
    edit: replace('CF_JDRQ: { column: punish_date,', 'CF_JDRQ: { colum: punish_date,'),
    planted: [{ path: 'jobs[0].fields.CF_JDRQ.colum', code: 'CONFIG_MEMBER_UNKNOWN', at: 'colum:', suggests: /^column$/ }],
  },
  {
    name: 'a subject kind misspelled',
    edit: replace('subject: { kind: legal,', 'subject: { kind: legl,'),
    planted: [{ path: 'jobs[0].subject.kind', code: 'CONFIG_INVALID', at: 'kind: legl', suggests: /^legal$/ }],
  },
  {
    name: 'a required member left out',
    edit: replace('  department: 市人社局\n', ''),
    planted: [{ path: 'gateway.department', code: 'CONFIG_MEMBER_MISSING', at: 'gateway:' }],
  },
  {
    name: 'a status certificate that cannot be read',
    edit: append('status:\n  tls:\n    certFile: ./status.crt\n    keyFile: ./status.key\n'),
    planted: [{ path: 'status.tls.certFile', code: 'STATUS_TLS_CERT_UNREADABLE', at: 'certFile: ./status.crt' }],
  },
  {
    name: 'a data folder others can read',
    edit: (text) => text,
    setup: (dir) => {
      mkdirSync(join(dir, 'data'));
      chmodSync(join(dir, 'data'), 0o755);
    },
    planted: [{ path: 'gateway.dataDir', code: 'STORE_NOT_PRIVATE', at: 'dataDir: ./data' }],
  },
  {
    name: 'four mistakes of four kinds: a member, a field code, a category, a cron',
    edit: all(
      withSecondJob,
      replace('  department: 市人社局', '  department: 市人社局\n  contact: someone'),
      replace('      CF_NR: content', '      CF_NRR: content'),
      replace('category: P07-002\n    query: SELECT * FROM t_licence', 'category: P07-901\n    query: SELECT * FROM t_licence'),
      append('    schedule: { cron: "every hour" }\n'),
    ),
    planted: [
      { path: 'gateway.contact', code: 'CONFIG_MEMBER_UNKNOWN', at: 'contact: someone', suggests: /^contacts$/ },
      { path: 'jobs[0].fields.CF_NRR', code: 'CONFIG_FIELD_UNKNOWN', at: 'CF_NRR:' },
      { path: 'jobs[1].category', code: 'CONFIG_CATEGORY_UNKNOWN', at: 'category: P07-901' },
      { path: 'jobs[1].schedule.cron', code: 'CONFIG_SCHEDULE_INVALID', at: 'cron: "every hour"' },
    ],
  },
  {
    name: 'four security mistakes: credentials in the URL, an exposed page, a loose secrets file, a missing store key',
    edit: all(
      replace('http://127.0.0.1:9/exchange', 'https://gw:s3cret@platform.example/exchange'),
      append('status:\n  host: 10.1.2.3\n  allowPlainHttp: true\nstore:\n  encryption:\n    keyRef: store_key\n'),
    ),
    setup: (dir) => chmodSync(join(dir, 'secrets.yaml'), 0o640),
    planted: [
      { path: 'platform.url', code: 'CONFIG_PLATFORM_URL_CREDENTIALS', at: 'url: https://gw' },
      { path: 'secrets.file', code: 'CONFIG_SECRETS_FILE_UNSAFE', at: 'file: ./secrets.yaml' },
      { path: 'status.users', code: 'STATUS_LOGIN_NOT_CONFIGURED', at: 'status:' },
      { path: 'store.encryption.keyRef', code: 'CONFIG_SECRET_MISSING', at: 'keyRef: store_key' },
    ],
  },
  {
    name: 'a schema mistake in one job does not hide a reference mistake in another, nor a field code in its own',
    edit: all(
      withSecondJob,
      replace('    key: [id]\n    subject: { kind: legal, name: party_name, code: credit_code }\n    fields:\n      CF_XDR_MC', '    key: [id]\n    enabeld: false\n    subject: { kind: legal, name: party_name, code: credit_code }\n    fields:\n      CF_XDR_MC'),
      replace('      CF_NR: content', '      CF_NRR: content'),
      replace('    source: biz\n    category: P07-002\n    query: SELECT * FROM t_licence', '    source: bz\n    category: P07-002\n    query: SELECT * FROM t_licence'),
    ),
    planted: [
      { path: 'jobs[0].enabeld', code: 'CONFIG_MEMBER_UNKNOWN', at: 'enabeld:', suggests: /^enabled$/ },
      { path: 'jobs[0].fields.CF_NRR', code: 'CONFIG_FIELD_UNKNOWN', at: 'CF_NRR:' },
      { path: 'jobs[1].source', code: 'CONFIG_REFERENCE', at: 'source: bz' },
    ],
  },
];

/** Line and column (1-based) where `at` starts in `text`. */
function whereIs(text: string, at: string): { line: number; column: number } {
  const index = text.indexOf(at);
  if (index < 0) throw new Error(`"${at}" is not in the configuration`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const key = (p: { path: string; code: string }) => `${p.path} ${p.code}`;

let adminHash = '';

async function writeCase(dir: string, text: string, extraSecrets: Record<string, string> = {}): Promise<string> {
  const secrets = { platform: 'platform-secret', admin_hash: adminHash, ...extraSecrets };
  writeFileSync(join(dir, 'secrets.yaml'), Object.entries(secrets).map(([k, v]) => `${k}: '${v}'\n`).join(''), { mode: 0o600 });
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, text);
  return file;
}

/** The real start path: what the CLI's start does, then Gateway.start itself on what loads. Resolves with each refusal. */
async function startRefusals(file: string): Promise<ConfigCheckError[]> {
  const options = { logger, softwareVersion: 'test', schedule: false, deliver: false } as const;
  const refusals: ConfigCheckError[] = [];
  const attempt = async (start: () => Promise<Gateway>) => {
    try {
      const gateway = await start();
      await gateway.stop();
      throw new Error('the gateway started');
    } catch (err) {
      if (!(err instanceof ConfigCheckError)) throw err;
      refusals.push(err);
    }
  };
  await attempt(async () => Gateway.start(await loadCheckedConfig(file, { env: {} }), options));
  let loaded: ReturnType<typeof loadConfigFile> | null = null;
  try {
    loaded = loadConfigFile(file, {});
  } catch {
    // The configuration layer refuses it already: start goes no further.
  }
  if (loaded) await attempt(() => Gateway.start(loaded!, options));
  return refusals;
}

t.before(async () => {
  adminHash = await hashPassword('correct horse battery staple');
});

t.test('the base configuration passes the check and starts', async (t) => {
  const dir = t.testdir({});
  const file = await writeCase(dir, BASE);
  const report = await checkConfigFile(file, { env: {} });
  t.same(report.problems, [], 'no problem in the base');
  t.same(report.warnings, [], 'and nothing to warn of');
  const gateway = await Gateway.start(await loadCheckedConfig(file, { env: {} }), { logger, softwareVersion: 'test', schedule: false, deliver: false, serveStatus: false });
  await gateway.stop();
  const second = await checkConfigFile(await writeCase(dir, `${BASE}${SECOND_JOB}`), { env: {} });
  t.same(second.problems, [], 'no problem in the base with its second job');
});

t.test(`${CASES.length} broken configurations: every planted problem is reported at its line, and none starts`, async (t) => {
  t.ok(CASES.length >= 30, 'at least 30 cases');
  for (const [i, c] of CASES.entries()) {
    await t.test(c.name, async (t) => {
      // Named by the case's number: the long case names made a folder name past 255 bytes.
      t.testdirName = join(dirname(t.testdirName), `preflight-broken-configuration-${i}`);
      const dir = t.testdir({});
      const text = c.edit(BASE);
      const file = await writeCase(dir, text, c.secrets);
      c.setup?.(dir);
      const report = await checkConfigFile(file, { env: {} });
      t.same(report.problems.map(key).sort(), c.planted.map(key).sort(), 'exactly the planted problems', { report: report.problems });
      for (const planted of c.planted) {
        const found = report.problems.find((p) => key(p) === key(planted)) as CheckProblem | undefined;
        if (!found) continue;
        t.same({ line: found.line, column: found.column }, whereIs(text, planted.at), `${planted.path} is placed at its member`);
        t.ok(found.action.length > 10, `${planted.code} says what to do`);
        if (planted.suggests) t.match(found.suggestions[0] ?? '', planted.suggests, `${planted.path} suggests the right name`);
        if (planted.message) t.match(found.message, planted.message, `${planted.path} says what it must`);
      }
      const refusals = await startRefusals(file);
      t.ok(refusals.length > 0, 'start refuses');
      for (const refusal of refusals) t.same(refusal.problems.map(key).sort(), c.planted.map(key).sort(), 'start refuses with the same problems');
    });
  }
});

t.test('a YAML syntax error is reported at its line, and nothing else is checked', async (t) => {
  const dir = t.testdir({});
  const text = BASE.replace('  secretRef: platform', '  secretRef: [platform');
  const file = await writeCase(dir, text);
  const report = await checkConfigFile(file, { env: {} });
  t.ok(report.problems.length >= 1);
  t.ok(report.problems.every((p) => p.code === 'CONFIG_SYNTAX'));
  t.ok(report.problems[0]!.line >= 7, 'at or after the unclosed bracket');
  await t.rejects(loadCheckedConfig(file, { env: {} }), { code: 'CONFIG_SYNTAX' });
});

t.test('a key written twice is a syntax problem at its second place, not silently the last value', async (t) => {
  const dir = t.testdir({});
  const text = BASE.replace('  dataDir: ./data', '  dataDir: ./data\n  dataDir: ./other');
  const report = await checkConfigFile(await writeCase(dir, text), { env: {} });
  t.same(report.problems.map((p) => [p.code, p.line]), [['CONFIG_SYNTAX', whereIs(text, 'dataDir: ./other').line]]);
});

t.test('what start lets through but a person should know is a warning, and the check still passes', async (t) => {
  const dir = t.testdir({});
  const text = `${BASE}      CF_ZT: state\nstatus:\n  host: 0.0.0.0\n  allowPlainHttp: true\n  users:\n    - { name: admin, role: admin, secretRef: admin_hash }\n`;
  const file = await writeCase(dir, text);
  const report = await checkConfigFile(file, { env: {} });
  t.same(report.problems, [], 'nothing start refuses');
  t.same(report.warnings.map((w) => [w.path, w.code, w.line, w.column]), [
    ['jobs[0].fields.CF_ZT', 'CONFIG_FIELD_RETIRED', whereIs(text, 'CF_ZT').line, whereIs(text, 'CF_ZT').column],
    ['status.allowPlainHttp', 'CONFIG_PLAIN_HTTP_EXPOSED', whereIs(text, 'allowPlainHttp').line, whereIs(text, 'allowPlainHttp').column],
  ]);
  t.match(report.warnings[0]!.message, /当前状态/);
});

t.test('a department the catalog does not know is a warning with the nearest names: coverage would show nothing', async (t) => {
  const dir = t.testdir({});
  const text = BASE.replace('department: 市人社局', 'department: 市人设局');
  const report = await checkConfigFile(await writeCase(dir, text), { env: {} });
  t.same(report.problems, []);
  t.same(report.warnings.map((w) => [w.path, w.code, w.line]), [['gateway.department', 'CONFIG_DEPARTMENT_UNKNOWN', 3]]);
  t.match(report.warnings[0]!.suggestions[0], /人力资源和社会保障局.*市人社局/, 'the nearest department first');
  const coded = BASE.replace('department: 市人社局', 'department: 市人社局\n  provider: P70');
  const byCode = await checkConfigFile(await writeCase(dir, coded), { env: {} });
  t.same(byCode.warnings.map((w) => w.path), ['gateway.provider']);
});

t.test('an upload page pointed at a drop folder this file does not have is a warning with the folders it does have', async (t) => {
  const dir = t.testdir({});
  const text = BASE.replace('sources:\n', 'sources:\n  - { name: exports, kind: folder, path: ./drop }\n') + 'status:\n  uploadSource: export\n';
  const report = await checkConfigFile(await writeCase(dir, text), { env: {} });
  t.same(report.problems, [], 'a bundle may still bring the folder: start is not refused');
  t.same(report.warnings.map((w) => [w.path, w.code, w.line]), [['status.uploadSource', 'CONFIG_UPLOAD_SOURCE_UNKNOWN', whereIs(text, 'uploadSource').line]]);
  t.same(report.warnings[0]!.suggestions, ['exports'], 'the folder meant');
  const named = await checkConfigFile(await writeCase(dir, text.replace('uploadSource: export', 'uploadSource: exports')), { env: {} });
  t.same(named.warnings, [], 'a folder of the file: nothing to say');
});

t.test('a profile naming a folder this file lacks is a warning where a signed bundle may bring it, and refused where none can', async (t) => {
  const { generateKeyPairSync } = await import('node:crypto');
  const dir = t.testdir({});
  const profile = `profiles:
  - name: jszg-rd
    system: 全国教师资格信息系统
    sources: [exports]
    match: { headers: [行政处罚决定书文号] }
    category: P07-002
    subject: { kind: legal, name: 名称, code: [统一社会信用代码, 身份证号] }
    fields: { CF_XDR_MC: 名称, CF_XDR_LB: { const: 法人及非法人组织 }, CF_WSH: 行政处罚决定书文号, CF_XDR_SHXYM: 统一社会信用代码, CF_XDR_ZJHM: 身份证号, CF_WFXW: 违法行为, CF_SY: 违法行为, CF_YJ: 依据, CF_CFLB: 类别, CF_NR: 内容, CF_JDRQ: 日期, CF_YXQ: 有效期, CF_CFJG: 机关, CF_CFJGDM: 机关代码, CF_SJLY: 机关, CF_SJLYDM: 机关代码 }
`;
  const alone = await checkConfigFile(await writeCase(dir, BASE + profile), { env: {} });
  t.same(alone.problems.map((p) => [p.path, p.code]), [['profiles[0].sources[0]', 'CONFIG_REFERENCE']], 'no bundle can apply: nothing could bring the folder');

  const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(join(dir, 'center-public.pem'), pem);
  const signed = await checkConfigFile(await writeCase(dir, `${BASE}${profile}control:\n  publicKeyFile: ./center-public.pem\n`), { env: {} });
  t.same(signed.problems, [], 'the bundle\'s trial checks it against the folders the bundle brings');
  t.same(signed.warnings.map((w) => [w.path, w.code]), [['profiles[0].sources[0]', 'CONFIG_PROFILE_SOURCE_UNKNOWN']]);
});
