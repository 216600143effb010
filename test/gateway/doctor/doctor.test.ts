/**
 * `credit-gateway doctor` against real set-ups: a real SQLite business
 * database, the reference receiver as the platform, real store files. A
 * working set-up passes every check; each broken one fails (or warns) in
 * its own check, with the fix, and only there.
 */
import t, { type Test } from 'tap';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { Gateway } from '../../../gateway/gateway.js';
import { Store } from '../../../gateway/store/store.js';
import { installedConfigFile } from '../../../gateway/doctor/default-config.js';
import { runDoctor, type DoctorReport } from '../../../gateway/doctor/doctor.js';
import { formatReport, reportJson } from '../../../gateway/doctor/format.js';
import { createReceiver, type Receiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';

interface SetUp {
  dir: string;
  config: string;
  receiver: Receiver;
  url: string;
}

/** A gateway's files as an installer leaves them: config, a 600 secrets file, a business database; the receiver as platform. */
async function setUp(t: Test, options: { platformSecret?: string; clockOffsetMs?: number } = {}): Promise<SetUp> {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 5);
  business.db.close();
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET }, clockOffsetMs: options.clockOffsetMs });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  editConfig(config, (c) => {
    c.secrets = { file: 'secrets.yaml' };
  });
  writeFileSync(join(dir, 'secrets.yaml'), `platform: ${options.platformSecret ?? TEST_SECRET}\n`, { mode: 0o600 });
  return { dir, config, receiver, url };
}

function editConfig(file: string, edit: (config: Record<string, any>) => void): void {
  const config = JSON.parse(readFileSync(file, 'utf8'));
  edit(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

function doctor(config: string): Promise<DoctorReport> {
  // No CREDIT_GATEWAY_SECRET_* from the test's environment: the secrets file is what is checked.
  return runDoctor({ configFile: config, softwareVersion: '9.9.9-test', env: {}, systemd: false });
}

function stateOf(report: DoctorReport, id: string): string | undefined {
  return report.checks.find((c) => c.id === id)?.state;
}

function notPassing(report: DoctorReport): string[] {
  return report.checks.filter((c) => c.state !== 'pass').map((c) => `${c.id}=${c.state}`);
}

const quiet = pino({ level: 'silent' });

/** Starts the gateway in this process once, so it makes its store, then stops it. */
async function runGatewayOnce(config: string): Promise<void> {
  const gateway = await Gateway.start(loadConfigFile(config, {}), { logger: quiet, softwareVersion: 'test', serveStatus: false, schedule: false });
  await gateway.runJob('penalties', 'regular');
  await gateway.flush();
  await gateway.stop();
}

t.test('a working set-up passes every check but the service (not running), and says so in Chinese and English', async (t) => {
  const s = await setUp(t);
  await runGatewayOnce(s.config);
  const report = await doctor(s.config);
  t.same(notPassing(report), ['service=warn'], 'only "not running" is not a pass');
  t.ok(report.ok, 'a warning alone is not a failure');
  for (const id of ['config', 'secrets', 'source:biz', 'platform', 'auth', 'platform-clock', 'disk', 'store', 'store-privacy', 'version']) {
    t.equal(stateOf(report, id), 'pass', `${id} passes`);
  }
  const zh = formatReport(report, 'zh');
  t.match(zh, /\[通过\] 配置文件/);
  t.match(zh, /\[通过\] 平台身份认证/);
  t.match(zh, /\[警告\] 服务运行状态: 网关没有运行/);
  t.match(zh, /处理办法: 运行 credit-gateway start/);
  t.match(zh, /没有失败项/);
  const en = formatReport(report, 'en');
  t.match(en, /\[PASS\] store integrity: .*quick_check ok/);
  t.match(en, /\[WARN\] service state/);
  t.notMatch(zh + en, new RegExp(TEST_SECRET), 'the secret is never printed');
  const json = JSON.parse(reportJson(report, 'en'));
  t.equal(json.ok, true);
  t.same(Object.keys(json.checks[0]).sort(), ['fix', 'id', 'message', 'state', 'title']);
  t.equal(json.checks.find((c: { id: string }) => c.id === 'service').fix.includes('credit-gateway start'), true, 'the fix is in the JSON too');
  t.equal(s.receiver.heartbeats().length, 2, 'the doctor sent one real heartbeat (after the gateway\'s own)');
});

t.test('while a gateway holds the data folder, doctor still reads the store and says it runs', async (t) => {
  const s = await setUp(t);
  const gateway = await Gateway.start(loadConfigFile(s.config, {}), { logger: quiet, softwareVersion: 'test', serveStatus: false });
  t.teardown(() => gateway.stop());
  await gateway.runJob('penalties', 'regular');
  const report = await doctor(s.config);
  t.same(notPassing(report), [], 'every check passes');
  const service = report.checks.find((c) => c.id === 'service')!;
  t.equal(service.params?.pid, process.pid, 'the process holding the lock is named');
  t.equal(stateOf(report, 'store'), 'pass', 'quick_check ran on the running store');
});

t.test('the platform down: the platform check fails with the fix, authentication and clock are not checked, exit code says failure', async (t) => {
  const s = await setUp(t);
  await s.receiver.close();
  const report = await doctor(s.config);
  t.notOk(report.ok);
  const platform = report.checks.find((c) => c.id === 'platform')!;
  t.equal(platform.state, 'fail');
  t.equal(platform.params?.code, 'DELIVERY_UNREACHABLE');
  t.match(formatReport(report, 'zh'), /\[失败\] 平台连通与 TLS: 无法访问平台 http:\/\/127\.0\.0\.1:\d+.*\n    处理办法: 检查政务外网连接/);
  t.equal(stateOf(report, 'auth'), 'skip');
  t.equal(stateOf(report, 'platform-clock'), 'skip');
  t.equal(stateOf(report, 'config'), 'pass', 'the other checks still run');
  t.equal(stateOf(report, 'source:biz'), 'pass');
});

t.test('a wrong platform secret fails authentication naming the secret, not the clock', async (t) => {
  const s = await setUp(t, { platformSecret: 'not-the-secret-the-center-issued' });
  const report = await doctor(s.config);
  t.notOk(report.ok);
  t.same(notPassing(report), ['auth=fail', 'service=warn']);
  const auth = report.checks.find((c) => c.id === 'auth')!;
  t.equal(auth.message, 'auth.secret');
  const en = formatReport(report, 'en');
  t.match(en, /the platform secret is wrong/);
  t.match(en, /credit-gateway secrets set platform -f SECRETS_FILE/);
  t.notMatch(en, /not-the-secret/, 'the wrong secret is not printed either');
  t.equal(stateOf(report, 'platform-clock'), 'pass', 'the clock was measured from the refusal and is right');
});

t.test('the platform clock 10 minutes off: the clock check fails with the offset, the secret is still shown right', async (t) => {
  const s = await setUp(t, { clockOffsetMs: 600_000 });
  const report = await doctor(s.config);
  t.notOk(report.ok);
  const clock = report.checks.find((c) => c.id === 'platform-clock')!;
  t.equal(clock.state, 'fail');
  t.ok(Math.abs(Number(clock.params?.offsetSecs) - 600) <= 2, `offset ${clock.params?.offsetSecs} s is about 600 s`);
  t.equal(stateOf(report, 'auth'), 'pass', 'signed again on the platform\'s time, the secret is accepted');
  t.match(formatReport(report, 'zh'), /本机时钟与平台相差 (599|600|601) 秒[^\n]*\n    处理办法: 为本机配置 NTP/);
});

t.test('a platform clock 2 minutes off is a warning, not a failure', async (t) => {
  const s = await setUp(t, { clockOffsetMs: -120_000 });
  const report = await doctor(s.config);
  t.ok(report.ok);
  t.equal(stateOf(report, 'platform-clock'), 'warn');
});

t.test('a secrets file others can read fails with the chmod; the other checks still run on its values', async (t) => {
  const s = await setUp(t);
  chmodSync(join(s.dir, 'secrets.yaml'), 0o644);
  const report = await doctor(s.config);
  t.notOk(report.ok);
  t.same(notPassing(report), ['secrets=fail', 'service=warn']);
  t.match(formatReport(report, 'zh'), new RegExp(`密钥文件 ${join(s.dir, 'secrets.yaml')} 的权限为 644[^\\n]*\\n    处理办法: 以网关用户运行 chmod 600 ${join(s.dir, 'secrets.yaml')}`));
  t.equal(stateOf(report, 'auth'), 'pass');
});

t.test('a missing secret is named with the member that refers to it', async (t) => {
  const s = await setUp(t);
  writeFileSync(join(s.dir, 'secrets.yaml'), 'other: x\n', { mode: 0o600 });
  const report = await doctor(s.config);
  t.equal(stateOf(report, 'secrets'), 'fail');
  t.match(formatReport(report, 'en'), /these secrets are not set: platform \(platform\.secretRef\)/);
});

t.test('an invalid configuration fails with the member path, and nothing else is checked', async (t) => {
  const s = await setUp(t);
  editConfig(s.config, (c) => {
    c.platform.timeoutMs = 'soon';
  });
  const report = await doctor(s.config);
  t.notOk(report.ok);
  t.equal(stateOf(report, 'config'), 'fail');
  t.match(formatReport(report, 'en'), /platform\.timeoutMs/);
  t.same(report.checks.filter((c) => c.id !== 'config').map((c) => c.state).filter((x) => x !== 'skip'), []);
});

t.test('a damaged store fails the store check with the way out; a loose store file fails privacy with the chmod', async (t) => {
  const s = await setUp(t);
  await runGatewayOnce(s.config);
  const file = join(s.dir, 'data', 'gateway.sqlite');
  // Overwrite the middle of the file (its pages, not its header): start opens it, quick_check does not pass.
  const size = readFileSync(file).length;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.max(4096, Math.floor(size / 2 / 4096) * 4096));
  closeSync(fd);
  chmodSync(file, 0o644);
  const report = await doctor(s.config);
  t.notOk(report.ok);
  const store = report.checks.find((c) => c.id === 'store')!;
  t.equal(store.state, 'fail');
  t.equal(store.params?.code, 'STORE_DAMAGED');
  t.notMatch(String(store.params?.detail), /header|cut/, 'found by reading the pages, not by the header: ' + String(store.params?.detail));
  const en = formatReport(report, 'en');
  t.match(en, /credit-gateway store recover --config FILE/);
  t.equal(stateOf(report, 'store-privacy'), 'fail');
  t.match(en, new RegExp(`chmod 600 '${file}'`));
});

t.test('an emptied store is recognised as lost', async (t) => {
  const s = await setUp(t);
  await runGatewayOnce(s.config);
  writeFileSync(join(s.dir, 'data', 'gateway.sqlite'), '');
  const report = await doctor(s.config);
  t.equal(report.checks.find((c) => c.id === 'store')?.params?.code, 'STORE_LOST');
});

t.test('a store written by a newer release fails the version check', async (t) => {
  const s = await setUp(t);
  await runGatewayOnce(s.config);
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(join(s.dir, 'data', 'gateway.sqlite'));
  db.pragma('user_version = 999');
  db.close();
  const report = await doctor(s.config);
  t.equal(stateOf(report, 'version'), 'fail');
  t.match(formatReport(report, 'en'), /store version 999 is newer than \d+/);
});

t.test('before the first start: no store yet is not a failure', async (t) => {
  const s = await setUp(t);
  const report = await doctor(s.config);
  t.ok(report.ok);
  t.equal(report.checks.find((c) => c.id === 'store')?.message, 'store.notYet');
});

t.test('the configuration is checked as start checks it: every problem start would refuse, at its line, and the other checks still run', async (t) => {
  const s = await setUp(t);
  editConfig(s.config, (c) => {
    c.jobs[0].fields.CF_NRR = 'content';
    c.platform.url = c.platform.url.replace('http://', 'http://user:pass@');
  });
  const report = await doctor(s.config);
  t.notOk(report.ok);
  const config = report.checks.find((c) => c.id === 'config')!;
  t.equal(config.state, 'fail');
  const detail = String(config.params?.detail);
  t.match(detail, /\d+:\d+ jobs\[0\]\.fields\.CF_NRR CONFIG_FIELD_UNKNOWN/, 'an unknown field code, at its line, which the old check let through');
  t.match(detail, /platform\.url CONFIG_PLATFORM_URL_CREDENTIALS/, 'credentials in the URL, at the same time');
  t.notMatch(detail, /pass@/, 'and not repeated');
  t.equal(stateOf(report, 'secrets'), 'pass', 'the secrets are still checked on their own line');
});

t.test('a gateway run by the credit center\'s bundle: the bundle\'s sources are the ones checked', async (t) => {
  const s = await setUp(t);
  await runGatewayOnce(s.config);
  const business = JSON.parse(readFileSync(s.config, 'utf8')).sources[0].file as string;
  const bundle = { gatewayId: 'hs-test', version: 3, issuedAt: '2026-12-01T09:00:00+08:00', sources: [{ name: 'from_center', kind: 'sqlite', file: business }], jobs: [] };
  const store = Store.open({ file: join(s.dir, 'data', 'gateway.sqlite') });
  store.recordBundleOutcome({ version: 3, status: 'applied', message: 'applied', at: new Date().toISOString(), via: 'folder' }, { bytes: Buffer.from(JSON.stringify(bundle)), signature: 'not checked by doctor' });
  store.close();
  const report = await doctor(s.config);
  t.equal(report.checks.find((c) => c.id === 'sources')?.message, 'sources.fromBundle');
  t.equal(stateOf(report, 'source:from_center'), 'pass');
  t.equal(stateOf(report, 'source:biz'), undefined, 'the local file\'s source is not the one running');
  t.match(formatReport(report, 'zh'), /信用中心下发的配置包（版本 3），其中有 1 个数据源/);
});

t.test('an installed release: the versions current and previous point at are named, and where its configuration is', async (t) => {
  const s = await setUp(t);
  await runGatewayOnce(s.config);
  const root = join(s.dir, 'prefix');
  const home = join(root, 'opt', 'credit-gateway');
  for (const version of ['1.0.0', '1.1.0']) mkdirSync(join(home, version), { recursive: true });
  symlinkSync(join(home, '1.1.0'), join(home, 'current'));
  symlinkSync(join(home, '1.0.0'), join(home, 'previous'));
  const report = await runDoctor({ configFile: s.config, softwareVersion: '1.1.0', env: { CREDIT_GATEWAY_HOME: home }, systemd: false });
  t.match(formatReport(report, 'en'), /software 1\.1\.0, store version \d+ \(this build's\); installed: current 1\.1\.0, previous 1\.0\.0/);
  t.equal(installedConfigFile({ CREDIT_GATEWAY_HOME: home }), join(root, 'etc', 'credit-gateway', 'gateway.yaml'));
  t.equal(installedConfigFile({}), null);
});
