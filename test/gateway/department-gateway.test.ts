/**
 * A gateway that introduces itself by its name of today: 黄石市市场监督管理局
 * took over 市工商局, 市质监局, 市食药监局, 市物价局 and 市科技局's patent row,
 * so its status page counts and offers all of them.
 */
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfigFile } from '../../config/load.js';
import { Gateway } from '../../gateway/gateway.js';
import type { StatusSnapshot } from '../../gateway/status/snapshot.js';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';

async function startAs(t: Test, gateway: Record<string, unknown>, category: string) {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 12);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  const file = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  const config = JSON.parse(readFileSync(file, 'utf8')) as { gateway: Record<string, unknown>; jobs: { category: string }[] };
  config.gateway = { ...config.gateway, ...gateway };
  config.jobs[0]!.category = category;
  writeFileSync(file, JSON.stringify(config));
  const running = await Gateway.start(loadConfigFile(file, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }), {
    logger: pino({ level: 'silent' }), softwareVersion: 'test', schedule: false,
  });
  t.teardown(async () => {
    await running.stop();
    await receiver.close();
    business.db.close();
  });
  const get = async (path: string) => (await fetch(new URL(path, running.statusUrl!))).text();
  return { gateway: running, receiver, get, status: async () => JSON.parse(await get('api/status')) as StatusSnapshot };
}

t.test('a gateway named 黄石市市场监督管理局 covers every category of the 2017 providers it took over', async (t) => {
  // 市工商局's 行政处罚信息 follows the same standard as the test table's penalties.
  const { gateway, receiver, get, status } = await startAs(t, { department: '黄石市市场监督管理局' }, 'P01-003');
  const run = await gateway.runJob('penalties');
  t.equal(run.queued, 12);
  t.equal((await gateway.flush()).pending, 0);
  t.equal(receiver.records().length, 12);
  t.ok(receiver.records().every((r) => r.category === 'P01-003'));

  const coverage = (await status()).coverage;
  t.equal(coverage.length, 84, '23 of 市工商局, 24 of 市质监局, 34 of 市食药监局, 市科技局\'s patent row, 2 of 市物价局');
  t.same([...new Set(coverage.map((r) => r.code.slice(0, 3)))].sort(), ['P01', 'P02', 'P06', 'P15', 'P35']);
  const byCode = new Map(coverage.map((r) => [r.code, r]));
  t.equal(byCode.get('P01-003')?.state, 'ok', 'the fed category delivered this period');
  t.equal(byCode.get('P06-003')?.state, 'unfed', 'a 2017 食药监 category is listed, waiting for a job');
  t.ok(byCode.has('P15-010'));
  t.notOk(byCode.has('P15-001'), 'the rest of 市科技局 is not this department\'s');

  const upload = await get('upload');
  t.match(upload, /href="\/templates\/P02-009\.xlsx"/, 'the upload page offers the templates of every absorbed provider');
  t.match(upload, /href="\/templates\/P35-001\.xlsx"/);
  const template = await fetch(new URL('templates/P06-003.xlsx', gateway.statusUrl!));
  t.equal(template.status, 200);
  t.match(template.headers.get('content-type') ?? '', /spreadsheetml/);
});

t.test('an old configuration by 2017 name means what it meant', async (t) => {
  const byOldName = await startAs(t, { department: '市工商局' }, 'P01-003');
  const old = (await byOldName.status()).coverage;
  t.equal(old.length, 23, '市工商局 is still P01 alone');
  t.ok(old.every((r) => r.code.startsWith('P01-')));
});

t.test('an old configuration by provider code means what it meant', async (t) => {
  const byCode = await startAs(t, { department: '市人社局（演示）', provider: 'P07' }, 'P07-002');
  t.equal((await byCode.status()).coverage.length, 31);
  t.equal((await byCode.status()).gateway.provider, 'P07');
});

t.test('a department that took over providers the reorganisation table does not join lists them all', async (t) => {
  const { status } = await startAs(t, { department: '黄石市住房和城乡建设局', provider: ['P09', 'P17'] }, 'P09-011');
  const s = await status();
  t.equal(s.coverage.length, 17 + 10);
  t.equal(s.gateway.provider, 'P09、P17', 'the page names both providers');
});
