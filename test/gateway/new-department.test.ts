/**
 * Issue 12's acceptance: a new department's path, end to end, as child
 * processes of the built CLI. `init` without questions against the
 * department's real MariaDB writes the configuration; `config check`
 * accepts it; a column misspelled in it is found by `config check --probe`
 * with the right one suggested; once fixed, `start` delivers every row to
 * the reference receiver. The same for a department whose data is a SQLite
 * file.
 */
import t from 'tap';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { recordId } from '../../gateway/records/record-id.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { TEST_SECRET } from '../helpers/business-db.js';
import { runCli } from '../helpers/cli.js';
import { expectConserved, startGatewayProcess } from '../helpers/conservation.js';
import { createDepartmentMariadb, createDepartmentSqlite, DEPARTMENT_CREDIT_CODE, departmentRows } from '../helpers/department-table.js';
import { startMariadb } from '../helpers/mariadb.js';
import { until } from '../helpers/wait.js';

const ROWS = 30;

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runCli(args, env);
  return { code, output: stdout + stderr };
}

/** Many gateways run on a test machine at once: the status page takes any free port instead of 8650. */
function freeStatusPort(configFile: string): void {
  writeFileSync(configFile, `${readFileSync(configFile, 'utf8')}\nstatus: { port: 0 }\n`);
}

t.test('a department with a MariaDB database: init, probe finds a misspelled column, fixed, start delivers', async (t) => {
  const server = await startMariadb(t);
  await createDepartmentMariadb(server, ROWS);
  const receiver = createReceiver({ gateways: { 'hs-rsj': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const dir = t.testdir({});
  const configFile = join(dir, 'gateway.yaml');

  const initArgs = [
    'init', '--non-interactive', '--department', '市人社局', '--gateway-id', 'hs-rsj', '--platform-url', url,
    '--db', 'mariadb', '--host', server.host, '--port', String(server.port), '--database', server.database, '--user', server.readOnlyUser,
    '--table', 'P07-002=t_penalty', '--department-code', DEPARTMENT_CREDIT_CODE, '-o', configFile,
  ];
  const refused = await cli(initArgs, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET, CREDIT_GATEWAY_SECRET_DB_PASSWORD: 'not-the-password-71' });
  t.equal(refused.code, 2, 'a database that refuses the login: exit 2, a source problem');
  t.match(refused.output, /SOURCE_UNAVAILABLE/);
  t.notMatch(refused.output, 'not-the-password-71', 'the password tried is not printed');
  t.throws(() => statSync(configFile), 'nothing written');

  const init = await cli(initArgs, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET, CREDIT_GATEWAY_SECRET_DB_PASSWORD: server.readOnlyPassword });
  t.equal(init.code, 0, init.output);
  t.match(init.output, /probe passed/, 'init probed what it wrote against the database, and the probe passed');
  t.notMatch(init.output, server.readOnlyPassword, 'the password is never printed');

  const text = readFileSync(configFile, 'utf8');
  t.notMatch(text, server.readOnlyPassword, 'nor written into the configuration');
  const config = parse(text);
  t.match(config.sources, [{ kind: 'mysql', host: server.host, port: server.port, database: server.database, user: server.readOnlyUser, passwordRef: 'db_password', timeZone: 'Asia/Shanghai' }]);
  t.match(config.jobs, [{ category: 'P07-002', query: 'SELECT * FROM `t_penalty`', mode: 'incremental', cursor: ['updated_at', 'id'], key: ['id'] }]);
  const secrets = parse(readFileSync(join(dir, 'secrets.yaml'), 'utf8'));
  t.same(secrets, { platform: TEST_SECRET, db_password: server.readOnlyPassword }, 'both secrets are in the secrets file');
  t.equal(statSync(join(dir, 'secrets.yaml')).mode & 0o777, 0o600);

  const checked = await cli(['config', 'check', configFile]);
  t.equal(checked.code, 0, `config check accepts what init wrote: ${checked.output}`);

  // The department edits the mapping and slips.
  writeFileSync(configFile, text.replace(/CF_XDR_SHXYM: credit_code\b/, 'CF_XDR_SHXYM: credit_cdoe'));
  t.match(readFileSync(configFile, 'utf8'), /CF_XDR_SHXYM: credit_cdoe/);
  const probe = await cli(['config', 'check', '--probe', configFile]);
  t.equal(probe.code, 1, 'the probe fails: a column the mapping names is missing');
  t.match(probe.output, /credit_cdoe/, 'it names the missing column');
  t.match(probe.output, /credit_cdoe[^\n]*credit_code|did you mean[^\n]*credit_code/, 'and suggests the column that is there');
  writeFileSync(configFile, text);
  freeStatusPort(configFile);

  const gateway = startGatewayProcess(configFile);
  t.teardown(async () => {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  });
  const expected = new Set(departmentRows(ROWS).map((r) => recordId('hs-rsj', 'P07-002', String(r.id))));
  await until(() => receiver.records().length, (n) => n >= ROWS, 90_000).catch(() => undefined);
  const held = receiver.records();
  t.equal(held.length, ROWS, `the platform holds every row: ${gateway.output()}`);
  t.same(held.filter((r) => !expected.has(r.id)).map((r) => r.id), [], 'and nothing else');
  const first = held.find((r) => r.id === recordId('hs-rsj', 'P07-002', '1'));
  t.match(first?.data, {
    CF_XDR_MC: '黄石测试企业1有限公司', CF_WSH: '黄罚〔2026〕1号', CF_JDRQ: '2026-01-02', CF_CFLB: '警告',
    CF_CFJG: '黄石市人力资源和社会保障局', CF_CFJGDM: DEPARTMENT_CREDIT_CODE, CF_XDR_LB: '法人及非法人组织',
  }, 'each field as init mapped it');
});

t.test('a department with a SQLite file: init, check, start delivers every row', async (t) => {
  const dir = t.testdir({});
  const business = createDepartmentSqlite(dir, ROWS);
  t.teardown(() => business.db.close());
  const receiver = createReceiver({ gateways: { 'hs-gjj': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const configFile = join(dir, 'gateway.yaml');

  const init = await cli([
    'init', '--yes', '--department', '市公积金中心', '--gateway-id', 'hs-gjj', '--platform-url', url,
    '--db', 'sqlite', '--file', business.file, '--table', 'P14-003=t_penalty', '--department-code', DEPARTMENT_CREDIT_CODE, '-o', configFile,
  ], { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET });
  t.equal(init.code, 0, init.output);
  const checked = await cli(['config', 'check', configFile]);
  t.equal(checked.code, 0, checked.output);
  freeStatusPort(configFile);

  const gateway = startGatewayProcess(configFile);
  t.teardown(async () => {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  });
  await expectConserved(t, { receiver, business: business.db, gatewayId: 'hs-gjj', category: 'P14-003' });
});
