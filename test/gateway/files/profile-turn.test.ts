/**
 * A national system's CSV export dropped as the clerk saves it: UTF-8 with
 * BOM, title rows above the header, a 合计 row and notes below,
 * full-width digits and stray spaces, no category code in its name. Read by
 * its profile: every good row committed with provenance, the bad row
 * reported at the row the export shows, under the export's header.
 */
import t from 'tap';
import ExcelJS from 'exceljs';
import { readdirSync } from 'node:fs';
import { compiled, PEOPLE, pharmacistProfile } from '../profiles/fixtures.js';
import { drop, folders, job, openStore, readReport } from './helpers.js';

const [a, b, c] = PEOPLE as unknown as [typeof PEOPLE[0], typeof PEOPLE[0], typeof PEOPLE[0]];

const EXPORT = [
  '湖北省食品药品监管信息化业务平台 药师资格信息,,,,',
  '导出时间：2017-07-01 09:30,,,,',
  '序号,姓名,身份证号,证书编号,取得日期',
  `1, ${a.name} ,${a.id},${a.cert},2017.6.2`,
  // Wrong on purpose: the row the profile's checks refuse (ID_CHECK_DIGIT; 420202199001011231 would be valid).
  `2,${b.name},420202199001011234,${b.cert},2017-06-02`,
  `3,${c.name},${c.id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))},${c.cert}　,2017年6月2日`,
  '合计,3 人,,,',
  '注：本表由系统自动生成,,,,',
].join('\r\n');

t.test('a CSV export with titles, a 合计 row and full-width digits is read by its profile', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, '药师资格2017年6月.csv', `\uFEFF${EXPORT}\r\n`);
  const profile = compiled(pharmacistProfile({ fields: { ...pharmacistProfile().fields, ZG_ZJHM: { column: '身份证号', halfWidth: true } } }));
  const outcome = await job(store, f, { profiles: () => [profile] }).process('药师资格2017年6月.csv');
  t.match(outcome, { status: 'processed', category: 'P06-031', rows: 3, queued: 2, refused: 1, readWith: { profiles: ['湖北省食品药品监管信息化业务平台 药师资格导出'], provenance: [{ kind: 'system', system: '湖北省食品药品监管信息化业务平台' }], sheets: [''] } });
  if (outcome.status !== 'processed') return;
  t.same(readReport(outcome.report!).slice(1).map((r) => r.slice(0, 4)), [['', '5', '身份证号', 'ID_CHECK_DIGIT']], 'the bad row at its row in the export, under its header');
  const batch = store.nextBatch({ maxRecords: 10, maxBytes: 1e6 }, () => 'b')!;
  const lines = batch.records.map((r) => JSON.parse(r.line));
  t.same(lines.map((l) => [l.data.ZG_ZSBH, l.data.ZG_ZJHM, l.data.ZG_RQ]), [[a.cert, a.id, '2017-06-02'], [c.cert, c.id, '2017-06-02']]);
  t.same(lines[0].provenance, { kind: 'system', system: '湖北省食品药品监管信息化业务平台', profile: 'hbfda-ys' });
  t.same(readdirSync(f.incoming), []);
});

t.test('next month’s export with one row changed sends only that row', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const j = job(store, f, { profiles: () => [compiled()] });
  drop(f, '药师资格1.csv', `${EXPORT}\r\n`);
  t.match(await j.process('药师资格1.csv'), { status: 'processed', queued: 2, refused: 1 }, 'the full-width ID is read as the identity check normalises it');
  drop(f, '药师资格2.csv', `${EXPORT.replace(c.name, '王小五')}\r\n`);
  t.match(await j.process('药师资格2.csv'), { status: 'processed', queued: 1, unchanged: 1 });
});

t.test('a name no profile knows and no category code starts is refused with FILE_PROFILE_NONE', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, '其他导出.csv', '单位,人数\r\n黄石,3\r\n');
  const outcome = await job(store, f, { profiles: () => [compiled()] }).process('其他导出.csv');
  t.match(outcome, { status: 'rejected', code: 'FILE_PROFILE_NONE' });
});

t.test('a file named otherwise is still claimed by its header signature', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, 'export (3).csv', `${EXPORT}\r\n`);
  t.match(await job(store, f, { profiles: () => [compiled()] }).process('export (3).csv'), { status: 'processed', category: 'P06-031', queued: 2 });
});

t.test('a column the profile reads but the export lacks is said once in the report, and its field is sent empty', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, '药师资格2017年7月.csv', `\uFEFF${EXPORT}\r\n`);
  // 专业 is optional in the standard: a profile naming it (or misspelling a header) must not go unnoticed.
  const profile = compiled(pharmacistProfile({ fields: { ...pharmacistProfile().fields, ZG_ZY: '专业' } }));
  const outcome = await job(store, f, { profiles: () => [profile] }).process('药师资格2017年7月.csv');
  t.match(outcome, { status: 'processed', queued: 2, refused: 1 });
  if (outcome.status !== 'processed') return;
  const notices = readReport(outcome.report!).filter((r) => r[3] === 'FILE_COLUMN_ABSENT');
  t.same(notices.map((r) => r.slice(0, 3)), [['', '3', '专业']], 'one line, at the header row, naming the column as the profile writes it');
  t.match(notices[0]![4], /专业.*按空值发送/);
});

t.test('a record a clerk appends below the 合计 row without its 证书编号 is rejected for it, not passed over with the totals', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2017年6月');
  ws.addRow(['湖北省食品药品监管信息化业务平台 药师资格信息']);
  ws.mergeCells('A1:E1');
  ws.addRow(['序号', '姓名', '身份证号', '证书编号', '取得日期']);
  ws.addRow([1, a.name, a.id, a.cert, '2017-06-02']);
  ws.addRow([2, c.name, c.id, c.cert, '2017-06-02']);
  ws.addRow(['合计', '2 人']);
  ws.addRow([3, b.name, b.id, null, '2017-06-20']);
  ws.addRow(['制表人：王', null, '审核人：赵']);
  ws.addRow([null, null, null, null, '2017年7月1日']);
  drop(f, '药师资格2017年6月.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  const outcome = await job(store, f, { profiles: () => [compiled()] }).process('药师资格2017年6月.xlsx');
  t.match(outcome, { status: 'processed', rows: 3, queued: 2, refused: 1 }, 'the appended row is counted and refused; 合计, 制表人 and the date are not rows');
  if (outcome.status !== 'processed' || !t.ok(outcome.report, 'an error report beside the file')) return;
  const lines = readReport(outcome.report!).slice(1);
  t.same(lines.map((r) => r.slice(0, 4)), [['2017年6月', '6', '证书编号', 'KEY_MISSING']], 'at the row the clerk typed it, under the column left empty');
  t.match(lines[0]![4], /证书编号.*为空/);
});
