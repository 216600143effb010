/**
 * doctor against real database servers (one MariaDB, one PostgreSQL for the
 * whole file): a read-only account passes, a wrong password fails in the
 * database's own words, an account that can write is a warning.
 */
import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor, type DoctorReport } from '../../../gateway/doctor/doctor.js';
import { formatReport } from '../../../gateway/doctor/format.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { TEST_SECRET } from '../../helpers/business-db.js';
import { mariadbBinaries, startMariadb } from '../../helpers/mariadb.js';
import { postgresBinDir, startPostgres } from '../../helpers/postgres.js';

interface Account {
  kind: 'mysql' | 'postgres';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/** A configuration with this one database source and no jobs, its password in a 600 secrets file. */
async function doctorWith(t: Test, account: Account): Promise<DoctorReport> {
  const dir = t.testdir({});
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, JSON.stringify({
    gateway: { id: 'hs-test', department: '测试部门', dataDir: join(dir, 'data') },
    platform: { url, secretRef: 'platform' },
    secrets: { file: 'secrets.yaml' },
    sources: [{ name: 'hr', kind: account.kind, host: account.host, port: account.port, database: account.database, user: account.user, passwordRef: 'hr_db' }],
    jobs: [],
  }));
  writeFileSync(join(dir, 'secrets.yaml'), `platform: ${TEST_SECRET}\nhr_db: ${JSON.stringify(account.password)}\n`, { mode: 0o600 });
  return runDoctor({ configFile: config, softwareVersion: 'test', env: {}, systemd: false });
}

const source = (r: DoctorReport) => r.checks.find((c) => c.id === 'source:hr')!;

t.test('MariaDB', { skip: mariadbBinaries() ? false : 'MariaDB binaries not installed' }, async (t) => {
  const db = await startMariadb(t);
  const base = { kind: 'mysql' as const, host: db.host, port: db.port, database: db.database };

  t.test('the read-only account passes, with the server version, clock and zone', async (t) => {
    const report = await doctorWith(t, { ...base, user: db.readOnlyUser, password: db.readOnlyPassword });
    t.equal(source(report).state, 'pass');
    t.equal(source(report).message, 'source.ok');
    t.equal(report.checks.find((c) => c.id === 'source-clock:hr')?.state, 'pass');
    t.ok(report.ok);
  });

  t.test('a wrong password fails in the database\'s words, and the password is not printed', async (t) => {
    const report = await doctorWith(t, { ...base, user: db.readOnlyUser, password: 'wrong-password-123' });
    t.notOk(report.ok);
    t.equal(source(report).state, 'fail');
    const en = formatReport(report, 'en');
    t.match(en, /\[FAIL\] source hr: cannot connect \(mysql\): .*Access denied for user 'credit_ro'/);
    t.match(en, /fix: check that the database runs .* user and password are right/);
    t.notMatch(en, /wrong-password-123/);
    t.equal(report.checks.find((c) => c.id === 'source-clock:hr'), undefined, 'no clock from a database not reached');
  });

  t.test('an account that can write is a warning with the fix', async (t) => {
    const report = await doctorWith(t, { ...base, user: db.adminUser, password: db.adminPassword });
    t.equal(source(report).state, 'warn');
    t.ok(report.ok, 'a warning does not fail doctor');
    t.match(formatReport(report, 'zh'), /\[警告\] 数据源 hr: 可以连接.*账号 credit_admin 有写权限[^\n]*\n    处理办法: 请数据库管理员为网关建一个只有 SELECT 权限的账号/);
  });
});

t.test('PostgreSQL', { skip: postgresBinDir() ? false : 'PostgreSQL binaries not installed' }, async (t) => {
  const pg = await startPostgres(t);
  await pg.requirePassword(pg.readOnlyUser, 'right-password-1', 'scram-sha-256');
  const base = { kind: 'postgres' as const, host: pg.host, port: pg.port, database: pg.database, user: pg.readOnlyUser };

  t.test('the read-only account passes', async (t) => {
    const report = await doctorWith(t, { ...base, password: 'right-password-1' });
    t.equal(source(report).state, 'pass', formatReport(report, 'en'));
  });

  t.test('a wrong password fails in the database\'s words', async (t) => {
    const report = await doctorWith(t, { ...base, password: 'wrong-password-456' });
    t.equal(source(report).state, 'fail');
    const en = formatReport(report, 'en');
    t.match(en, /password authentication failed for user "credit_ro"/);
    t.notMatch(en, /wrong-password-456/);
  });
});
