/**
 * `config check --probe` in-process, against a real SQLite file and a real
 * MariaDB server (one for the whole file): what a department sees before
 * its first start, and that looking changes nothing.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../../config/load.js';
import { containsIdNumber, maskIdNumber } from '../../../gateway/identifiers/mask.js';
import { idCardCheckDigit } from '../../../gateway/identifiers/id-card.js';
import { formatProbeReport, probeConfiguration, probeFailed, probeProblems, type ProbeReport } from '../../../gateway/probe/index.js';
import { makeCreditCode } from '../../../scripts/demo/make-demo-data.js';
import { TEST_PENALTY_FIELDS, TEST_SECRET } from '../../helpers/business-db.js';
import { mariadbBinaries, startMariadb } from '../../helpers/mariadb.js';

const ROWS = 30;

/** The legal representative's identity number of row `id`: a real-looking, valid one. */
function representativeId(id: number): string {
  const first17 = `420202${`19800${(id % 9) + 1}1${id % 10}`}${String(id).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}

/** One department table: a legal person's penalty with its representative's ID number. */
function rowsOf(n: number): unknown[][] {
  let s = 7;
  const random = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => {
    const id = i + 1;
    return [id, `黄石测试企业${id}有限公司`, makeCreditCode(random, 'company'), representativeId(id), `处罚内容${id}`, '20260102', `2026-01-01 08:00:${String(id).padStart(2, '0')}.250`];
  });
}

const COLUMNS = 'id, party_name, tyshxydm, fr_sfz, content, punish_date, updated_at';

function createSqlite(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'business.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE t_penalty (id INTEGER PRIMARY KEY, party_name TEXT, tyshxydm TEXT, fr_sfz TEXT, content TEXT, punish_date TEXT, updated_at TEXT NOT NULL)');
  const insert = db.prepare(`INSERT INTO t_penalty (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => rowsOf(ROWS).forEach((r) => insert.run(...r)))();
  db.close();
  return file;
}

/** The penalty job over t_penalty, with `change` applied to its mapping. */
function job(change: (j: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const j: Record<string, unknown> = {
    name: 'penalties', source: 'biz', category: 'P07-002', query: 'SELECT * FROM t_penalty',
    cursor: ['updated_at', 'id'], key: ['id'],
    subject: { kind: 'legal', name: 'party_name', code: 'tyshxydm' },
    fields: { ...TEST_PENALTY_FIELDS, CF_XDR_SHXYM: 'tyshxydm', CF_FR_ZJHM: 'fr_sfz', CF_FR_ZJLX: { const: '身份证' } },
  };
  change(j);
  return j;
}

interface Setup {
  dir: string;
  configFile: string;
  dataDir: string;
}

/** A configuration folder with its secrets file (mode 600); the data folder is named but never made. */
function configure(dir: string, sources: unknown[], jobs: unknown[], secrets: Record<string, string> = {}): Setup {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'conf', 'gateway.yaml');
  writeFileSync(configFile, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir },
    platform: { url: 'http://127.0.0.1:9/exchange', secretRef: 'platform' },
    secrets: { file: 'secrets.yaml' },
    sources, jobs,
  }, null, 2));
  const lines = Object.entries({ platform: TEST_SECRET, ...secrets }).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  writeFileSync(join(dir, 'conf', 'secrets.yaml'), `${lines.join('\n')}\n`, { mode: 0o600 });
  return { dir, configFile, dataDir };
}

function probe(setup: Setup, rows?: number): Promise<ProbeReport> {
  return probeConfiguration(loadConfigFile(setup.configFile, {}), rows ? { rows } : {});
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

t.test('SQLite', async (t) => {
  t.test('a good configuration passes, shows masked records as the platform would get them, and says SQLite has no server zone', async (t) => {
    const setupDir = t.testdir({});
    const dbFile = createSqlite(join(setupDir, 'db'));
    const before = digest(dbFile);
    const setup = configure(setupDir, [{ name: 'biz', kind: 'sqlite', file: dbFile, timeZone: 'Asia/Shanghai' }], [job()]);
    const report = await probe(setup);
    t.equal(probeFailed(report), false, 'nothing would stop or ruin a start');
    const penalties = report.jobs[0]!;
    t.equal(penalties.rowsSampled, ROWS);
    t.equal(penalties.accepted, ROWS);
    t.equal(penalties.rejected, 0);
    t.same(penalties.columnsFound, COLUMNS.split(', '));
    t.ok(penalties.columns.every((c) => c.found));
    t.equal(penalties.records.length, 3, 'a few records, not the sample');
    const [first] = penalties.records;
    t.equal(first!.subject?.name, '黄石测试企业1有限公司');
    t.equal(first!.data?.CF_FR_ZJHM, maskIdNumber(representativeId(1)), "the representative's ID number is masked by value");
    t.equal(first!.data?.CF_JDRQ, '2026-01-02', 'dates as the platform gets them');
    t.same(penalties.warnings.filter((w) => w.code === 'TIME_ZONE_MISMATCH'), [], 'no warning about a zone SQLite does not have');
    t.equal(report.sources[0]!.noServerZone, true);

    for (const lang of ['zh', 'en'] as const) {
      const out = formatProbeReport(report, lang);
      t.notOk(containsIdNumber(out), `${lang}: no unmasked identity number in the output`);
      t.notOk(out.includes(representativeId(1)));
      t.ok(out.includes(maskIdNumber(representativeId(1))), `${lang}: the masked number is shown`);
      t.notMatch(out, new RegExp(TEST_SECRET), `${lang}: no secret printed`);
    }
    t.match(formatProbeReport(report, 'en'), /no server time zone \(a SQLite file has none\): times without a zone are read in the configured timeZone \(Asia\/Shanghai\)/);
    t.match(formatProbeReport(report, 'zh'), /SQLite 文件本来就没有时区/);
    t.match(formatProbeReport(report, 'zh'), /检查通过/);

    t.equal(digest(dbFile), before, 'the source file is unchanged');
    t.same(readdirSync(join(setupDir, 'db')), ['business.sqlite'], 'no journal or WAL left beside it');
    t.notOk(existsSync(setup.dataDir), 'no data folder, so no store or outbox, was made');
  });

  t.test('a misspelled column is named with its member path and its close match, and fails the probe', async (t) => {
    const dir = t.testdir({});
    const dbFile = createSqlite(join(dir, 'db'));
    const setup = configure(dir, [{ name: 'biz', kind: 'sqlite', file: dbFile }], [job((j) => {
      (j.subject as Record<string, string>).code = 'tyshxydmm';
      (j.fields as Record<string, unknown>).CF_XDR_SHXYM = 'tyshxydmm';
    })]);
    const report = await probe(setup);
    t.ok(probeFailed(report));
    const missing = probeProblems(report);
    t.same(missing.map((p) => [p.code, p.path, p.column, p.suggestion]), [['PROBE_COLUMN_MISSING', 'jobs[0].subject.code', 'tyshxydmm', 'tyshxydm']]);
    t.same(report.jobs[0]!.columns.find((c) => c.column === 'tyshxydmm')?.paths, ['jobs[0].subject.code', 'jobs[0].fields.CF_XDR_SHXYM']);
    const out = formatProbeReport(report, 'en');
    t.match(out, /column tyshxydmm is missing \(used by jobs\[0\]\.subject\.code, jobs\[0\]\.fields\.CF_XDR_SHXYM\) — did you mean tyshxydm\?/);
    t.match(out, /jobs\[0\]\.subject\.code PROBE_COLUMN_MISSING: the query's result has no column tyshxydmm — did you mean tyshxydm\?/);
    t.match(out, /what to do: correct the column name/);
    t.match(formatProbeReport(report, 'zh'), /是否应为 tyshxydm？/);
  });

  t.test('a misspelled cursor column is found too, though the ordered read fails', async (t) => {
    const dir = t.testdir({});
    const dbFile = createSqlite(join(dir, 'db'));
    const setup = configure(dir, [{ name: 'biz', kind: 'sqlite', file: dbFile }], [job((j) => { j.cursor = ['updated_att', 'id']; })]);
    const report = await probe(setup);
    t.same(probeProblems(report).map((p) => [p.code, p.path, p.suggestion]), [['PROBE_COLUMN_MISSING', 'jobs[0].cursor[0]', 'updated_at']]);
  });

  t.test('a mapping that rejects every row fails, with the reasons grouped and counted', async (t) => {
    const dir = t.testdir({});
    const dbFile = createSqlite(join(dir, 'db'));
    const setup = configure(dir, [{ name: 'biz', kind: 'sqlite', file: dbFile }], [job((j) => {
      (j.fields as Record<string, unknown>).CF_JDRQ = { column: 'punish_date', date: 'YYYY-MM-DD' };
    })]);
    const report = await probe(setup, 25);
    const penalties = report.jobs[0]!;
    t.equal(penalties.rowsSampled, 25, '--rows is the sample size');
    t.equal(penalties.rejected, 25);
    t.same(penalties.reasons.map((r) => [r.field, r.code, r.rows]), [['CF_JDRQ', 'DATE_INVALID', 25]]);
    t.same(probeProblems(report).map((p) => [p.code, p.path]), [['PROBE_ALL_REJECTED', 'jobs[0].fields']]);
    t.equal(penalties.records.length, 0);
    const out = formatProbeReport(report, 'en');
    t.match(out, /rows sampled: 25; 0 would be sent, 25 rejected/);
    t.match(out, /25× CF_JDRQ DATE_INVALID 字段 CF_JDRQ 的日期无法识别：20260102/);
  });

  t.test('a source that cannot be opened fails, and its jobs are not tried', async (t) => {
    const dir = t.testdir({});
    const setup = configure(dir, [{ name: 'biz', kind: 'sqlite', file: join(dir, 'no-such.sqlite') }], [job()]);
    const report = await probe(setup);
    t.same(probeProblems(report).map((p) => [p.code, p.path]), [['PROBE_SOURCE_UNAVAILABLE', 'sources[0]']]);
    t.equal(report.jobs[0]!.skipped, 'source');
    t.notOk(existsSync(join(dir, 'no-such.sqlite')), 'the probe does not create a database file');
    t.match(formatProbeReport(report, 'en'), /its source cannot be opened, not probed/);
  });

  t.test('a category the catalog lacks is a configuration problem; the sources are still tried', async (t) => {
    const dir = t.testdir({});
    const dbFile = createSqlite(join(dir, 'db'));
    const setup = configure(dir, [{ name: 'biz', kind: 'sqlite', file: dbFile }], [job((j) => { j.category = 'P39-020'; })]);
    const report = await probe(setup);
    t.same(probeProblems(report).map((p) => [p.code, p.path]), [['PROBE_CONFIG_INVALID', 'jobs[0].category']]);
    t.equal(report.sources[0]!.ok, true);
    t.equal(report.jobs[0]!.skipped, 'config');
  });
});

t.test('a drop folder: usable, and what each waiting file would become, without moving any', async (t) => {
  const dir = t.testdir({ drop: { incoming: { 'P07-002_2026-11.csv': 'x', 'P99-999_a.csv': 'x', 'penalties.doc': 'x', '处罚导出.xls': 'x', '~$P07-002.xlsx': 'x' } } });
  const setup = configure(dir, [{ name: 'files', kind: 'folder', path: join(dir, 'drop') }], []);
  const report = await probe(setup);
  t.equal(probeFailed(report), false);
  t.same(report.sources[0]!.folder?.files.map((f) => [f.name, f.verdict]), [
    ['P07-002_2026-11.csv', 'data'], ['P99-999_a.csv', 'unknown-category'], ['penalties.doc', 'refused'], ['~$P07-002.xlsx', 'ignored'], ['处罚导出.xls', 'refused'],
  ]);
  const out = formatProbeReport(report, 'zh');
  t.match(out, /P07-002_2026-11\.csv → P07-002 行政处罚信息/);
  t.match(out, /P99-999_a\.csv → 目录中没有 P99-999/);
  t.same(readdirSync(join(dir, 'drop')).sort(), ['incoming'], 'no processed/ or rejected/ made');
  t.match(report.sources[0]!.folder?.files.find((f) => f.name === '处罚导出.xls'), { code: 'FILE_NAME_INVALID', detail: /export profile/ }, 'an export with no code is read only if a profile claims it');
  t.equal(readdirSync(join(dir, 'drop', 'incoming')).length, 5, 'every file left where it was');

  t.test('a folder that cannot be made fails', async (t) => {
    const here = t.testdir({ plain: 'a file' });
    const file = join(here, 'plain');
    const bad = configure(here, [{ name: 'files', kind: 'folder', path: join(file, 'drop') }], []);
    const r = await probe(bad);
    t.same(probeProblems(r).map((p) => [p.code, p.path]), [['PROBE_FOLDER_UNUSABLE', 'sources[0].path']]);
  });
});

t.test('MariaDB', { skip: mariadbBinaries() ? false : 'MariaDB binaries not installed' }, async (t) => {
  const db = await startMariadb(t);
  await db.admin('CREATE TABLE t_penalty (id INT PRIMARY KEY, party_name VARCHAR(100), tyshxydm CHAR(18), fr_sfz CHAR(18), content VARCHAR(200), punish_date CHAR(8), updated_at DATETIME(3) NOT NULL)');
  for (const r of rowsOf(ROWS)) await db.admin(`INSERT INTO t_penalty (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, r);
  const source = (over: Record<string, unknown> = {}) => ({
    name: 'biz', kind: 'mysql', host: db.host, port: db.port, database: db.database, user: db.readOnlyUser, passwordRef: 'biz_db', ...over,
  });
  const secrets = { biz_db: db.readOnlyPassword };

  t.test('a good configuration passes, masked, with the zone the server reports', async (t) => {
    const setup = configure(t.testdir({}), [source()], [job()], secrets);
    const report = await probe(setup);
    t.equal(probeFailed(report), false);
    t.equal(report.jobs[0]!.accepted, ROWS);
    t.equal(report.sources[0]!.noServerZone, false);
    const out = formatProbeReport(report, 'en');
    t.notOk(containsIdNumber(out), 'no unmasked identity number');
    t.ok(out.includes(maskIdNumber(representativeId(2))));
    t.notOk(out.includes(db.readOnlyPassword), 'the password is not printed');
    t.match(out, /source biz \(mysql\): connected: .*MariaDB/);
    t.notOk(existsSync(setup.dataDir));
  });

  t.test('a configured zone other than the server\'s: the runner\'s warning, which does not fail the probe', async (t) => {
    const setup = configure(t.testdir({}), [source({ timeZone: 'Europe/London' })], [job()], secrets);
    const report = await probe(setup);
    t.equal(probeFailed(report), false, 'a warning does not fail');
    t.same(report.jobs[0]!.warnings.map((w) => w.code), ['TIME_ZONE_MISMATCH']);
    t.match(formatProbeReport(report, 'en'), /each run would warn:\n\s+! TIME_ZONE_MISMATCH: /, 'the runner\'s own warning, said in English');
    t.notMatch(formatProbeReport(report, 'en'), /[\u4e00-\u9fff]{2,}.*TIME_ZONE|TIME_ZONE_MISMATCH: [^\n]*[\u4e00-\u9fff]/);
  });

  t.test('a misspelled column is found with its close match', async (t) => {
    const setup = configure(t.testdir({}), [source()], [job((j) => { (j.fields as Record<string, unknown>).CF_FR_ZJHM = 'fr_sfzz'; })], secrets);
    const report = await probe(setup);
    t.same(probeProblems(report).map((p) => [p.code, p.path, p.suggestion]), [['PROBE_COLUMN_MISSING', 'jobs[0].fields.CF_FR_ZJHM', 'fr_sfz']]);
  });

  t.test('a query that fails is reported in the database\'s words', async (t) => {
    const setup = configure(t.testdir({}), [source()], [job((j) => { j.query = 'SELECT * FROM t_penalties'; })], secrets);
    const report = await probe(setup);
    const [p] = probeProblems(report);
    t.equal(p?.code, 'PROBE_QUERY_FAILED');
    t.equal(p?.path, 'jobs[0].query');
    t.match(p?.detail, /t_penalties/);
  });

  t.test('a wrong password: the source cannot be opened, and the password is not printed', async (t) => {
    const setup = configure(t.testdir({}), [source()], [job()], { biz_db: 'wrong-password-4711' });
    const report = await probe(setup);
    t.same(probeProblems(report).map((p) => p.code), ['PROBE_SOURCE_UNAVAILABLE']);
    const out = formatProbeReport(report, 'en');
    t.match(out, /Access denied/);
    t.notOk(out.includes('wrong-password-4711'));
  });

  t.test('the probe says per job which read bound applies, and which grant makes reads fresher', async (t) => {
    const lag = await probe(configure(t.testdir({}), [source()], [job()], secrets));
    t.same(lag.jobs[0]!.bound?.bound, { kind: 'fixed-lag', why: 'privilege', detail: 'PROCESS' });
    t.match(formatProbeReport(lag, 'en'), /! read bound: fixed lag 5 s: the account lacks PROCESS and cannot see other sessions' transactions; grant it for fresher reads, nothing else to change/);
    t.match(formatProbeReport(lag, 'zh'), /读取上界：固定延迟 5 秒：数据库账号缺少 PROCESS 权限/);

    await db.admin("CREATE USER 'credit_watch'@'%' IDENTIFIED BY 'watch-pw'");
    await db.admin("GRANT SELECT ON biz.* TO 'credit_watch'@'%'");
    await db.admin("GRANT PROCESS ON *.* TO 'credit_watch'@'%'");
    const watching = [source({ user: 'credit_watch' })];
    const open = await probe(configure(t.testdir({}), watching, [job()], { biz_db: 'watch-pw' }));
    t.equal(open.jobs[0]!.bound?.bound.kind, 'open-transactions');
    t.match(formatProbeReport(open, 'en'), /✓ read bound: open-transaction bound \(innodb_trx\)/);

    const stamped = await probe(configure(t.testdir({}), watching, [job((j) => { j.cursorClock = 'application'; })], { biz_db: 'watch-pw' }));
    t.same(stamped.jobs[0]!.bound?.bound, { kind: 'fixed-lag', why: 'application-clock' });
    t.match(formatProbeReport(stamped, 'en'), /read bound: fixed lag 5 s: the application stamps the cursor column from its own clock \(cursorClock: application\)/);
  });

  t.test('nothing is written to the source', async (t) => {
    const [before] = await db.admin<{ n: number; last: string }>('SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM t_penalty');
    const setup = configure(t.testdir({}), [source()], [job()], secrets);
    await probe(setup);
    const [after] = await db.admin<{ n: number; last: string }>('SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM t_penalty');
    t.same(after, before);
    const tables = await db.admin<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'biz'");
    t.same(tables.map((r) => r.t), ['t_penalty'], 'no table made');
  });
});
