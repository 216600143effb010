/**
 * What a department's IT person reads on the status page about how fresh a
 * job's reads are, against a real MariaDB: without PROCESS the job runs on
 * the fixed lag and the page names the grant; once PROCESS is granted (and
 * the gateway reconnects) the same job reads up to the source's open
 * transactions and the page says so.
 */
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfigFile } from '../../../config/load.js';
import { Gateway } from '../../../gateway/gateway.js';
import type { StatusSnapshot } from '../../../gateway/status/snapshot.js';
import { makeCreditCode } from '../../../scripts/demo/make-demo-data.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';
import { mariadbBinaries, startMariadb, type MariadbServer } from '../../helpers/mariadb.js';

const ROWS = 5;

async function penaltyTable(db: MariadbServer): Promise<void> {
  await db.admin('CREATE TABLE t_penalty (id INT PRIMARY KEY, party_name VARCHAR(100), credit_code CHAR(18), content VARCHAR(200), punish_date CHAR(8), updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) DEFAULT CHARSET = utf8mb4');
  let s = 11;
  const random = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let id = 1; id <= ROWS; id++) {
    await db.admin('INSERT INTO t_penalty (id, party_name, credit_code, content, punish_date, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id, `黄石测试企业${id}有限公司`, makeCreditCode(random, 'company'), `处罚内容${id}`, '20260102', `2026-01-01 08:00:0${id}.250`,
    ]);
  }
}

/** A gateway in this process whose one job reads t_penalty as the read-only account; runs only when asked. */
async function startGateway(t: Test, db: MariadbServer, platformUrl: string, dir: string) {
  const file = writeTestConfig({ dir, businessDb: 'unused', platformUrl });
  const config = JSON.parse(readFileSync(file, 'utf8')) as { sources: unknown[] };
  config.sources = [{ name: 'biz', kind: 'mysql', host: db.host, port: db.port, database: db.database, user: db.readOnlyUser, passwordRef: 'biz_db', timeZone: 'Asia/Shanghai' }];
  writeFileSync(file, JSON.stringify(config));
  const env = { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET, CREDIT_GATEWAY_SECRET_BIZ_DB: db.readOnlyPassword };
  const gateway = await Gateway.start(loadConfigFile(file, env), { logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await gateway.stop();
    stopped = true;
  };
  t.teardown(stop);
  const get = async (path: string) => (await fetch(new URL(path, gateway.statusUrl!))).text();
  return { gateway, stop, get, status: async () => JSON.parse(await get('api/status')) as StatusSnapshot };
}

/** The job's row on the overview as its reader sees it: the words, no tags. */
async function jobRowText(get: (path: string) => Promise<string>, lang: 'zh' | 'en' = 'zh'): Promise<string> {
  const page = await get(lang === 'zh' ? '/' : '/?lang=en');
  return (/<tr data-job="penalties">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '').replace(/<[^>]+>/g, '');
}

t.test('the job row says which read bound the last run took, and which grant would make reads fresher', { skip: mariadbBinaries() ? false : 'MariaDB binaries not installed' }, async (t) => {
  const db = await startMariadb(t);
  await penaltyTable(db);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const dir = t.testdir({});

  const blind = await startGateway(t, db, url, dir);
  t.notMatch(await jobRowText(blind.get), /读取上界/, 'nothing is claimed before the job has run');
  t.equal((await blind.gateway.runJob('penalties')).queued, ROWS);
  const lag = (await blind.status()).jobs[0]!.readBound;
  t.match(lag, { bound: { kind: 'fixed-lag', why: 'privilege', detail: 'PROCESS' }, lagSecs: 5, grant: 'PROCESS' }, 'the API names the grant');
  t.match(await jobRowText(blind.get), /读取上界：固定延迟 5 秒：数据库账号缺少 PROCESS 权限，看不到其他会话的事务；授予该权限后读取会更及时，无需其他更改/);
  t.match(await jobRowText(blind.get, 'en'), /read bound: fixed lag 5 s: the account lacks PROCESS and cannot see other sessions&#39; transactions; grant it for fresher reads, nothing else to change/);
  await blind.stop();

  // What the page asks for; MariaDB applies a global privilege from the account's next login.
  await db.admin(`GRANT PROCESS ON *.* TO '${db.readOnlyUser}'@'%'`);
  const seeing = await startGateway(t, db, url, dir);
  await seeing.gateway.runJob('penalties');
  const open = (await seeing.status()).jobs[0]!.readBound;
  t.match(open, { bound: { kind: 'open-transactions', how: 'innodb_trx' }, grant: null });
  t.ok(open!.lagSecs !== null && open!.lagSecs < 5, `reads are fresher than the fixed lag (${open!.lagSecs} s behind the clock)`);
  const row = await jobRowText(seeing.get);
  t.match(row, /读取上界：按源库未结束事务（由 innodb_trx 看到）：每次读到仍未结束的最早事务开始之前/);
  t.notMatch(row, /PROCESS|固定延迟/);
});

/** A gateway in this process reading the SQLite penalty table of createPenaltyDb; runs only when asked. */
async function startSqliteGateway(t: Test, dir: string) {
  const { file, db } = createPenaltyDb(dir, ROWS);
  t.teardown(() => db.close());
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const config = loadConfigFile(writeTestConfig({ dir, businessDb: file, platformUrl: url }), { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET });
  const gateway = await Gateway.start(config, { logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false });
  t.teardown(() => gateway.stop());
  const get = async (path: string) => (await fetch(new URL(path, gateway.statusUrl!))).text();
  return { gateway, db, get, status: async () => JSON.parse(await get('api/status')) as StatusSnapshot };
}

t.test('a SQLite source: the row says the gateway keeps the fixed lag because SQLite shows no other writer, and that nothing needs doing', async (t) => {
  const { gateway, get, status } = await startSqliteGateway(t, t.testdir({}));
  t.equal((await gateway.runJob('penalties')).queued, ROWS);
  t.match((await status()).jobs[0]!.readBound, { bound: { kind: 'fixed-lag', why: 'unsupported', detail: 'sqlite' }, lagSecs: 5, grant: null });
  const row = await jobRowText(get);
  t.match(row, /读取上界：固定延迟 5 秒：SQLite 同一时间只有一个写入者，也不提供查看其他连接未提交事务的方式，网关因此按固定延迟读取，写入在这段时间内提交的行不会漏读；无需授权或更改/);
  t.notMatch(row, /不显示其他会话的事务/);
  t.match(await jobRowText(get, 'en'), /SQLite has one writer at a time .* nothing to grant or change/);
});

t.test('a run that fails before planning its read shows no bound and its failure, not the bound of the run before', async (t) => {
  const { gateway, db, get, status } = await startSqliteGateway(t, t.testdir({}));
  await gateway.runJob('penalties');
  t.match(await jobRowText(get), /读取上界：固定延迟 5 秒/);

  db.exec('ALTER TABLE t_penalty RENAME TO t_penalty_moved');
  // The first failure comes from reading a page: that run did plan its read (the probe was cached), and says so.
  await t.rejects(gateway.runJob('penalties'));
  t.match((await status()).jobs[0]!.readBound, { bound: { kind: 'fixed-lag' } });
  // A failed run drops the cached probe: the next one fails probing the query, before any bound is taken.
  await t.rejects(gateway.runJob('penalties'));
  const failed = (await status()).jobs[0]!;
  t.match(failed.readBound, { bound: null, lagSecs: null, grant: null, failed: { code: failed.lastError!.code } }, 'the API says the run took no bound, and why');
  const row = await jobRowText(get);
  t.match(row, new RegExp(`读取上界：无：上次运行在确定读取范围之前就失败了（${failed.lastError!.code}），没有读取任何行；原因见本行的错误`));
  t.notMatch(row, /固定延迟/, 'the previous run\'s bound is not shown as if it applied');
  const page = await get('/');
  t.match(/<tr data-job="penalties">[\s\S]*?<\/tr>/.exec(page)?.[0], /<div class="sub warn" data-bound="none">/);
  t.match(await jobRowText(get, 'en'), /read bound: none: the last run failed before planning its read \(\w+\) and read nothing/);

  db.exec('ALTER TABLE t_penalty_moved RENAME TO t_penalty');
  await gateway.runJob('penalties');
  t.match(await jobRowText(get), /读取上界：固定延迟 5 秒/, 'the next run that plans its read shows its bound again');
});
