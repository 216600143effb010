/**
 * End to end, wired by hand as the composition root will: a file dropped
 * into the folder, read by the watcher and the drop-folder job, mapped with
 * the real 行政处罚 data standard, committed to the real store, delivered by
 * the real Deliverer and PlatformClient to the reference receiver.
 */
import t, { type Test } from 'tap';
import { copyFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { PlatformClient } from '../../../gateway/delivery/client.js';
import { Deliverer } from '../../../gateway/delivery/deliverer.js';
import { DropFolder, type DropFolderOptions } from '../../../gateway/files/drop-folder.js';
import type { FileOutcome } from '../../../gateway/files/drop-folder-job.js';
import { categoryFromMapping, type FileCategory } from '../../../gateway/files/file-category.js';
import type { FieldRule } from '../../../gateway/mapping/types.js';
import { loadStandards, lookupHeader } from '../../../gateway/standards/index.js';
import { Store } from '../../../gateway/store/store.js';
import { DATA_SHEET } from '../../../gateway/templates/index.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { fixture, readReport, testDir } from './helpers.js';
import { fillTemplate } from '../../helpers/filled-template.js';

const GATEWAY = 'hs-rsj';
const SECRET = 'hs-credit-demo-secret';
const silent = pino({ level: 'silent' });

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The category as the composition root would build it from the catalog and the data standard. */
function penaltyCategory(): FileCategory {
  const category = loadCatalog().byCode('P07-002')!;
  const standard = loadStandards().standardFor(category);
  const fields: Record<string, string | FieldRule> = {};
  for (const f of standard.fields) fields[f.code] = f.type === 'date' ? { column: f.code, date: 'excel' } : f.code;
  return categoryFromMapping({
    code: category.code,
    resolveHeader: (header) => {
      const match = lookupHeader(standard, header);
      return match.kind === 'field' ? match.field.code : match.kind === 'retired' ? { retired: match.retired.note } : null;
    },
    mapping: {
      name: 'drop-folder',
      category: category.code,
      key: ['CF_WSH', 'CF_XDR_SHXYM'],
      subject: {
        kind: { column: 'CF_XDR_LB', values: { 法人及非法人组织: 'legal', 个体工商户: 'individual_business', 自然人: 'natural' } },
        name: 'CF_XDR_MC',
        code: 'CF_XDR_SHXYM',
      },
      fields,
    },
    validate: { requiredFields: standard.fields.filter((f) => f.required).map((f) => f.code) },
    fieldName: (code) => standard.fields.find((f) => f.code === code)?.name,
    sheet: DATA_SHEET,
  });
}

async function gateway(t: Test, options: Partial<DropFolderOptions> = {}) {
  const dir = testDir(t);
  const receiver = createReceiver({ gateways: { [GATEWAY]: SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const store = Store.open({ file: join(dir, 'gateway.sqlite') });
  t.teardown(() => store.close());
  const client = new PlatformClient({ url, gatewayId: GATEWAY, secret: SECRET, timeoutMs: 5000, logger: silent });
  t.teardown(() => client.close());
  const deliverer = new Deliverer({ store, client, limits: { maxRecords: 500, maxBytes: 1024 * 1024 }, backoff: { baseMs: 100, maxMs: 1000 }, logger: silent });
  const category = penaltyCategory();
  const outcomes: FileOutcome[] = [];
  const folder = new DropFolder({
    root: join(dir, 'drop'),
    job: 'drop-folder',
    gatewayId: GATEWAY,
    category: (code) => (code.toUpperCase() === category.code ? category : null),
    store,
    watch: { stableMs: 200, pollMs: 25, rescanMs: 1000 },
    onPage: () => deliverer.wake(),
    onOutcome: (o) => outcomes.push(o),
    ...options,
  });
  await folder.start();
  t.teardown(() => folder.stop());
  return { dir, receiver, store, deliverer, folder, outcomes };
}

/** The template the template command writes, filled in by a clerk with Excel: rows typed into 数据. */
function filledTemplate(dir: string, rows: Record<string, string>[]): Promise<string> {
  return fillTemplate(dir, 'P07-002', rows, 'filled.xlsx');
}

const authority = { 处罚机关: '黄石市人力资源和社会保障局', 处罚机关统一社会信用代码: '11420200011079463Y', 数据来源单位: '黄石市人力资源和社会保障局', 数据来源单位统一社会信用代码: '11420200011079463Y' };
const row = (n: number, name: string, code: string, extra: Record<string, string> = {}) => ({
  行政相对人名称: name, 行政相对人类别: '法人及非法人组织', '行政相对人代码_1（统一社会信用代码）': code, 行政处罚决定书文号: `黄人社监罚〔2026〕${n}号`,
  违法行为类型: '未按规定缴纳社会保险费', 违法事实: '经查，该单位未按规定为职工缴纳社会保险费', 处罚依据: '《社会保险法》第八十六条',
  处罚类别: '罚款', 处罚内容: '罚款人民币壹万元', '罚款金额（万元）': '1', 处罚决定日期: '2026-11-05', 处罚有效期: '2027-11-04', ...authority, ...extra,
});

t.test('a filled-in template dropped into the folder reaches the platform; dropped again, it sends nothing', async (t) => {
  const g = await gateway(t);
  const filled = await filledTemplate(g.dir, [
    row(31, '黄石市甲贸易有限公司', '91420200045FUX8H1K'),
    row(32, '黄石市丙建筑有限公司', '9142020024TAJQBP0R'),
    // Invalid on purpose: the check character of 9142020024TAJQBP0 is R; this row is refused, the others go.
    row(33, '黄石市丁有限公司', '9142020024TAJQBP0X'),
  ]);
  // Written under a temporary name and renamed into place, as a careful copy does.
  const incoming = g.folder.folders.incoming;
  copyFileSync(filled, join(incoming, 'P07-002_2026-11.xlsx.part'));
  renameSync(join(incoming, 'P07-002_2026-11.xlsx.part'), join(incoming, 'P07-002_2026-11.xlsx'));

  await until(() => g.outcomes.length === 1, 'the file has had its turn');
  const [outcome] = g.outcomes as Extract<FileOutcome, { status: 'processed' }>[];
  t.match(outcome, { status: 'processed', category: 'P07-002', rows: 3, queued: 2, refused: 1 });
  t.same(readReport(outcome!.report!).slice(1).map((r) => r.slice(1, 4)), [['4', '行政相对人代码_1（统一社会信用代码）', 'CREDIT_CODE_CHECK']]);

  t.same(await g.deliverer.flush(), { pending: 0 });
  const held = g.receiver.records().sort((a, b) => a.seq - b.seq);
  t.equal(held.length, 2);
  t.match(held[0], {
    category: 'P07-002', op: 'upsert',
    subject: { kind: 'legal', name: '黄石市甲贸易有限公司', code: '91420200045FUX8H1K' },
    data: { CF_WSH: '黄人社监罚〔2026〕31号', CF_JDRQ: '2026-11-05', CF_YXQ: '2027-11-04', CF_NR_FK: '1', CF_CFJG: '黄石市人力资源和社会保障局' },
  });
  t.same(g.store.listRejections().map((r) => [r.code, r.field]), [['CREDIT_CODE_CHECK', 'subject.code']], 'the refused row waits on the status page');

  const batches = g.receiver.batches().length;
  copyFileSync(filled, join(incoming, 'P07-002_2026-11.xlsx'));
  await until(() => g.outcomes.length === 2, 'the second drop has had its turn');
  t.match(g.outcomes[1], { status: 'processed', queued: 0, unchanged: 2, refused: 1 });
  t.same(await g.deliverer.flush(), { pending: 0 });
  t.equal(g.receiver.batches().length, batches, 'no batch was sent for it');
  t.equal(readdirSync(g.folder.folders.processed).filter((n) => !n.endsWith('.errors.csv')).length, 2);
  t.equal(g.folder.health.state, 'ok');
});

t.test('a GB18030 file headed by field codes reaches the platform with its characters intact, and only a changed row travels again', async (t) => {
  const g = await gateway(t);
  const incoming = g.folder.folders.incoming;
  copyFileSync(fixture('P07-002_penalties-gb18030.csv'), join(incoming, 'P07-002_gbk.csv'));
  await until(() => g.outcomes.length === 1, 'the file has had its turn');
  t.match(g.outcomes[0], { status: 'processed', rows: 2, queued: 2, refused: 0, report: null });
  await g.deliverer.flush();
  t.same(g.receiver.records().map((r) => r.subject?.name).sort(), ['黄石市甲贸易有限公司', '黄石市𠮷祥餐饮有限公司']);

  // The clerk corrects one amount and drops the file again as XLSX.
  const filled = await filledTemplate(g.dir, [
    row(21, '黄石市甲贸易有限公司', '91420200045FUX8H1K', { 违法行为类型: '未按规定缴纳社会保险费', 违法事实: '经查，该单位未按规定为职工缴纳社会保险费', 处罚内容: '罚款人民币叁万元', '罚款金额（万元）': '3.5', 处罚有效期: '2027-11-04' }),
  ]);
  copyFileSync(filled, join(incoming, 'P07-002_fixed.xlsx'));
  await until(() => g.outcomes.length === 2, 'the correction has had its turn');
  t.match(g.outcomes[1], { status: 'processed', queued: 1 });
  await g.deliverer.flush();
  const corrected = g.receiver.records().find((r) => r.subject?.name === '黄石市甲贸易有限公司')!;
  t.equal(corrected.data!.CF_NR_FK, '3.5');
  t.equal(corrected.seq, 3, 'a new version of the same record, not a new record');
  t.equal(g.receiver.records().length, 2);
});

t.test('a hostile file is refused with a report, and the folder goes on with the next one', async (t) => {
  const g = await gateway(t);
  const incoming = g.folder.folders.incoming;
  copyFileSync(fixture('invalid-bytes.csv'), join(incoming, 'P07-002_a.csv'));
  await until(() => g.outcomes.length === 1, 'the bad file has had its turn');
  copyFileSync(fixture('P07-002_penalties-gb18030.csv'), join(incoming, 'P07-002_b.csv'));
  await until(() => g.outcomes.length === 2, 'the good file has had its turn');
  t.match(g.outcomes, [{ status: 'rejected', code: 'FILE_ENCODING_INVALID' }, { status: 'processed', queued: 2 }]);
  t.equal(readdirSync(g.folder.folders.rejected).length, 2, 'the file and its report');
  t.match(g.folder.health, { state: 'ok', counts: { processed: 1, rejected: 1, left: 0 } });
});

t.test('no room on disk: a dropped file waits in incoming/ and is read once there is room; a page the full disk refused is not the folder failing', async (t) => {
  let paused = true;
  let refusals = 1;
  let diskFull = 0;
  let asked = 0;
  const real: { store?: Store } = {};
  const g = await gateway(t, {
    paused: () => {
      asked += 1;
      return paused;
    },
    onDiskFull: () => (diskFull += 1),
    // The store, as a full disk makes it: the first page meets SQLITE_FULL (and is rolled back whole).
    store: new Proxy({} as Store, {
      get: (_target, name) => {
        const store = real.store!;
        if (name === 'commitPage' && refusals > 0) {
          return () => {
            refusals -= 1;
            throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          };
        }
        const value = Reflect.get(store, name) as unknown;
        return typeof value === 'function' ? value.bind(store) : value;
      },
    }),
  });
  real.store = g.store;
  const incoming = g.folder.folders.incoming;
  copyFileSync(fixture('P07-002_penalties-gb18030.csv'), join(incoming, 'P07-002_gbk.csv'));
  // Offered twice (when it became ready, and on a rescan), refused both times.
  await until(() => asked >= 2, 'the file was offered again while paused');
  t.same(g.outcomes, [], 'nothing was read while reading is paused');
  t.same(readdirSync(incoming), ['P07-002_gbk.csv'], 'the file waits where it was dropped');

  paused = false;
  await until(() => g.outcomes.length === 1, 'the file had its turn on a full disk');
  t.match(g.outcomes[0], { status: 'left', code: 'SQLITE_FULL' });
  t.equal(diskFull, 1, 'the full disk was reported to the disk guard');
  t.not(g.folder.health.state, 'failing', 'the folder is not shown as failing: it is the disk');
  await until(() => g.outcomes.length === 2, 'the file was read again on a later rescan');
  t.match(g.outcomes[1], { status: 'processed', rows: 2, queued: 2 });
  await g.deliverer.flush();
  t.equal(g.receiver.records().length, 2, 'and its rows reached the platform');
});

t.test('a folder is watching from its start, before any file, and counts the files waiting in incoming/', async (t) => {
  // A file still being written (its size not yet stable for a minute) waits in incoming/.
  const g = await gateway(t, { watch: { stableMs: 60_000, pollMs: 25, rescanMs: 1000 } });
  const health = g.folder.health;
  t.equal(health.state, 'watching', 'watching, not "not run"');
  t.ok(health.watchingSince && Date.parse(health.watchingSince) <= Date.now(), 'since its start');
  t.equal(health.waiting, 0, 'nothing waiting yet');
  const filled = await filledTemplate(g.dir, [row(41, '黄石市甲贸易有限公司', '91420200045FUX8H1K')]);
  copyFileSync(filled, join(g.folder.folders.incoming, 'P07-002_waiting.xlsx'));
  await until(() => g.folder.health.waiting === 1, 'the file is counted as waiting');
  t.equal(g.folder.health.state, 'watching', 'still watching while nothing was read');
});
