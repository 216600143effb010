/**
 * A drop folder configured as a source, run by the composition root: a
 * filled-in template dropped into incoming/ reaches the reference receiver,
 * the file ends in processed/, and the status snapshot shows its rows; a
 * bad row gets an error report beside the file and its Chinese reason on
 * the status page.
 */
import t, { type Test } from 'tap';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { fillTemplate } from '../helpers/filled-template.js';

const GATEWAY = 'hs-rsj';
const SECRET = 'hs-credit-test-secret';
const logger = pino({ level: 'silent' });

async function until<T>(what: () => T, ok: (v: T) => boolean, label: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = what();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function setup(t: Test) {
  const dir = t.testdir({});
  const receiver = createReceiver({ gateways: { [GATEWAY]: SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, JSON.stringify({
    gateway: { id: GATEWAY, department: '市人社局', dataDir: './data' },
    platform: { url, secretRef: 'platform', backoffBaseMs: 50, backoffMaxMs: 500, heartbeatIntervalSecs: 3600 },
    status: { host: '127.0.0.1', port: 0 },
    sources: [{ name: 'drop', kind: 'folder', path: './drop', stableMs: 200 }],
  }));
  const gateway = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: SECRET }), { logger, softwareVersion: 'test' });
  t.teardown(async () => {
    await gateway.stop();
    await receiver.close();
  });
  const folder = (sub: string) => join(dir, 'drop', sub);
  return { dir, gateway, receiver, folder };
}

/** The template the template command writes, filled in by a clerk with Excel: rows typed into 数据. */
function filledTemplate(dir: string, rows: Record<string, string>[]): Promise<string> {
  return fillTemplate(dir, 'P07-002', rows, `filled-${rows.length}.xlsx`);
}

const authority = { 处罚机关: '黄石市人力资源和社会保障局', 处罚机关统一社会信用代码: '11420200011079463Y', 数据来源单位: '黄石市人力资源和社会保障局', 数据来源单位统一社会信用代码: '11420200011079463Y' };
const row = (n: number, name: string, code: string, extra: Record<string, string> = {}) => ({
  行政相对人名称: name, 行政相对人类别: '法人及非法人组织', '行政相对人代码_1（统一社会信用代码）': code, 法定代表人: '张伟', 行政处罚决定书文号: `黄人社监罚〔2026〕${n}号`,
  违法行为类型: '未按规定缴纳社会保险费', 违法事实: '经查，该单位未按规定为职工缴纳社会保险费', 处罚依据: '《社会保险法》第八十六条',
  处罚类别: '罚款', 处罚内容: '罚款人民币壹万元', '罚款金额（万元）': '1', 处罚决定日期: '2026-11-05', 处罚有效期: '2027-11-04', ...authority, ...extra,
});

/** Dropped as a careful copy does: under a temporary name, then renamed into place. */
function drop(incoming: string, file: string, name: string): void {
  copyFileSync(file, join(incoming, `${name}.part`));
  renameSync(join(incoming, `${name}.part`), join(incoming, name));
}

t.test('a filled-in template dropped into the folder reaches the platform, ends in processed/, and shows on the status page', async (t) => {
  const g = await setup(t);
  const filled = await filledTemplate(g.dir, [row(31, '黄石市甲贸易有限公司', '91420200045FUX8H1K'), row(32, '黄石市丙建筑有限公司', '9142020024TAJQBP0R')]);
  drop(g.folder('incoming'), filled, 'P07-002_2026-11.xlsx');

  const held = await until(() => g.receiver.records(), (r) => r.length === 2, 'both records reached the platform');
  t.match(held.find((r) => r.data?.CF_WSH === '黄人社监罚〔2026〕31号'), {
    category: 'P07-002', op: 'upsert',
    subject: { kind: 'legal', name: '黄石市甲贸易有限公司', code: '91420200045FUX8H1K' },
    data: { CF_JDRQ: '2026-11-05', CF_YXQ: '2027-11-04', CF_NR_FK: '1', CF_CFLB: '罚款' },
  });
  const processed = await until(() => readdirSync(g.folder('processed')), (n) => n.length === 1, 'the file was moved');
  t.match(processed[0], /_P07-002_2026-11\.xlsx$/);
  t.same(readdirSync(g.folder('incoming')), []);

  // The file is moved before its turn is over: the source row counts it once the turn has ended.
  const snapshot = await until(() => g.gateway.snapshot(), (s) => s.totals.delivered === 2 && s.sources[0]!.files!.processed === 1, 'the snapshot counts the file and both delivered');
  t.match(snapshot.totals, { read: 2, queued: 2, delivered: 2, rejectedLocal: 0 });
  t.match(snapshot.sources, [{ name: 'drop', kind: 'folder', state: 'ok', lastError: null, files: { processed: 1, rejected: 0, left: 0, rowsRead: 2, queued: 2, rejectedRows: 0 } }]);
  t.equal(snapshot.verdict.level, 'ok');
  const page = await (await fetch(g.gateway.statusUrl!)).text();
  t.match(page, /文件目录/);
  t.match(page, /文件：已处理 1，整体拒收 0，待重试 0；行：读取 2，入队 2，拒收 0/);
});

t.test('a file with one bad row sends the good rows, gets its .errors.csv, and the rejection shows with its Chinese reason', async (t) => {
  const g = await setup(t);
  const filled = await filledTemplate(g.dir, [
    row(41, '黄石市甲贸易有限公司', '91420200045FUX8H1K'),
    // The bad row: its check character should be R.
    row(42, '黄石市丁有限公司', '9142020024TAJQBP0X'),
  ]);
  drop(g.folder('incoming'), filled, 'P07-002_bad.xlsx');

  await until(() => g.receiver.records(), (r) => r.length === 1, 'the good record reached the platform');
  const processed = await until(() => readdirSync(g.folder('processed')).sort(), (n) => n.length === 2, 'the file and its report were moved');
  const report = processed.find((n) => n.endsWith('P07-002_bad.xlsx.errors.csv'));
  t.ok(report, 'the report lies beside the file');
  const text = readFileSync(join(g.folder('processed'), report!), 'utf8');
  t.match(text, /行政相对人代码_1（统一社会信用代码）/);
  t.match(text, /CREDIT_CODE_CHECK/);
  t.match(text, /统一社会信用代码校验位错误/);
  t.notOk(existsSync(join(g.folder('incoming'), 'P07-002_bad.xlsx')));

  const snapshot = await until(() => g.gateway.snapshot(), (s) => s.sources[0]!.files!.processed === 1, 'the file\'s turn has ended');
  t.match(snapshot.totals, { read: 2, rejectedLocal: 1 });
  t.match(snapshot.rejections.recent, [{ source: 'local', job: 'drop:folder', category: 'P07-002', field: 'subject.code', code: 'CREDIT_CODE_CHECK', message: /统一社会信用代码校验位错误：应为/ }]);
  t.match(snapshot.sources, [{ name: 'drop', state: 'ok', files: { processed: 1, rowsRead: 2, queued: 1, rejectedRows: 1 } }]);
  t.equal(snapshot.verdict.level, 'attention');
  const page = await (await fetch(g.gateway.statusUrl!)).text();
  t.match(page, /统一社会信用代码校验位错误/);
});

t.test('a file the folder cannot use as a whole is refused, and the source row says so', async (t) => {
  const g = await setup(t);
  writeFileSync(join(g.folder('incoming'), 'P07-002_x.csv'), '不认识的列\n1\n');
  await until(() => readdirSync(g.folder('rejected')), (n) => n.length === 2, 'the file and its report were refused');
  const snapshot = await until(() => g.gateway.snapshot(), (s) => s.sources[0]!.state === 'attention', 'the source needs attention');
  t.match(snapshot.sources[0], { state: 'attention', files: { rejected: 1 }, warnings: [{ message: /P07-002_x\.csv.*被整体拒收/ }] });
  t.equal(snapshot.verdict.level, 'attention');
});

t.test('a natural person in a 行政处罚 file is keyed and sent by the 证件号码 its 行政相对人类别 calls for', async (t) => {
  const g = await setup(t);
  const person = row(51, '张三', '', { 行政相对人类别: '自然人', 证件类型: '身份证', 证件号码: '420202199001011231', 法定代表人: '' });
  delete (person as Record<string, string>)['行政相对人代码_1（统一社会信用代码）'];
  const filled = await filledTemplate(g.dir, [person, row(52, '黄石市甲贸易有限公司', '91420200045FUX8H1K')]);
  drop(g.folder('incoming'), filled, 'P07-002_people.xlsx');
  const held = await until(() => g.receiver.records(), (r) => r.length === 2, 'both records reached the platform');
  t.match(held.find((r) => r.data?.CF_WSH === '黄人社监罚〔2026〕51号'), { subject: { kind: 'natural', name: '张三', code: '420202199001011231' }, data: { CF_XDR_LB: '自然人' } });
  t.same(g.gateway.store.listRejections(), []);
});
