import t from 'tap';
import { Readable } from 'node:stream';
import { openCsv } from '../../../connectors/files/csv-reader.js';
import { fileLimits } from '../../../connectors/files/limits.js';
import { allRows, folderWith, plain, refusal, table } from './helpers.js';

const expected = [
  { rowNumber: 2, values: { 行政处罚决定书文号: '黄人社监罚〔2026〕1号', 相对人名称: '黄石市甲贸易有限公司', 统一社会信用代码: '91420200045FUX8H1K', 处罚类别: '罚款', 处罚决定日期: '2026-11-05', '罚款金额（万元）': '1.5', 处罚机关: '黄石市人力资源和社会保障局' }, problems: [] },
  { rowNumber: 3, values: { 行政处罚决定书文号: '黄人社监罚〔2026〕2号', 相对人名称: '黄石市𠮷祥餐饮有限公司', 统一社会信用代码: '9142020010UP4A1B07', 处罚类别: '警告', 处罚决定日期: '2026-11-06', '罚款金额（万元）': '', 处罚机关: '黄石市人力资源和社会保障局' }, problems: [] },
  { rowNumber: 4, values: { 行政处罚决定书文号: '黄人社监罚〔2026〕3号', 相对人名称: '黄石市丙建筑有限公司（简称"丙建"）', 统一社会信用代码: '9142020024TAJQBP0R', 处罚类别: '罚款', 处罚决定日期: '2026-11-07', '罚款金额（万元）': '20', 处罚机关: '黄石市人力资源和社会保障局' }, problems: [] },
];

t.test('the same rows read alike from UTF-8, UTF-8 with BOM, GB18030 and GBK', async (t) => {
  const dir = folderWith(t, {
    'utf8.csv': { fixture: 'P07-002_utf8.csv' },
    'bom.csv': { fixture: 'P07-002_utf8-bom.csv' },
    'gb18030.csv': { fixture: 'P07-002_gb18030.csv' },
    'gbk.csv': { fixture: 'P07-002_gbk.csv' },
  });
  for (const [name, encoding] of [['utf8.csv', 'utf-8'], ['bom.csv', 'utf-8'], ['gb18030.csv', 'gb18030'], ['gbk.csv', 'gb18030']] as const) {
    const csv = await table(t, dir, name, 'csv');
    t.equal(csv.encoding, encoding, `${name} is ${encoding}`);
    t.same(csv.headers, Object.keys(expected[0]!.values), `${name}: headers, BOM-free`);
    const rows = plain(await allRows(csv));
    if (name === 'gbk.csv') rows[1]!.values['相对人名称'] = String(rows[1]!.values['相对人名称']).replace('吉', '𠮷');
    t.same(rows, expected, `${name}: rows`);
  }
});

t.test('ragged rows are refused one by one, with the row numbers Excel shows; the rest is read', async (t) => {
  const dir = folderWith(t, { 'r.csv': { fixture: 'ragged.csv' } });
  t.same(plain(await allRows(await table(t, dir, 'r.csv', 'csv'))), [
    { rowNumber: 2, values: { a: '1', b: '2', c: '3' }, problems: [] },
    { rowNumber: 3, values: { a: '4', b: '5', c: null }, problems: ['FILE_ROW_RAGGED'] },
    { rowNumber: 4, values: { a: '6', b: '7', c: '8' }, problems: ['FILE_ROW_RAGGED'] },
    { rowNumber: 5, values: { a: '10', b: '11', c: '12' }, problems: [] },
    { rowNumber: 7, values: { a: '13', b: '14', c: '15' }, problems: [] },
  ], 'row 6 is an empty line: counted, not returned');
});

t.test('a quote never closed stops the reading at its row, after the rows before it', async (t) => {
  const dir = folderWith(t, { 'q.csv': { fixture: 'unclosed-quote.csv' } });
  const csv = await table(t, dir, 'q.csv', 'csv', { pageSize: 1 });
  const seen: number[] = [];
  const failure = await refusal((async () => {
    for await (const page of csv.pages()) seen.push(...page.map((r) => r.rowNumber));
  })());
  t.same(seen, [2]);
  t.equal(failure.code, 'FILE_CSV_MALFORMED');
});

t.test('an oversized cell refuses its row; a record over the parser limit stops the file with FILE_ROW_TOO_LARGE', async (t) => {
  const big = `a,b\r\n1,${'x'.repeat(50)}\r\n2,ok\r\n3,${'y'.repeat(500)}\r\n4,never read\r\n`;
  const dir = folderWith(t, { 'big.csv': big });
  const csv = await table(t, dir, 'big.csv', 'csv', { limits: fileLimits({ maxCellChars: 40, maxRowBytes: 200 }), pageSize: 1 });
  const rows: ReturnType<typeof plain> = [];
  const failure = await refusal((async () => {
    for await (const page of csv.pages()) rows.push(...plain(page));
  })());
  t.same(rows, [
    { rowNumber: 2, values: { a: '1', b: null }, problems: ['FILE_CELL_TOO_LARGE'] },
    { rowNumber: 3, values: { a: '2', b: 'ok' }, problems: [] },
  ]);
  t.match(failure, { code: 'FILE_ROW_TOO_LARGE', params: { row: 4 } });
});

t.test('a file with no header row is refused', async (t) => {
  const dir = folderWith(t, { 'e.csv': '', 'blank.csv': '\r\n,,\r\n' });
  t.match(await refusal(table(t, dir, 'e.csv', 'csv')), { code: 'FILE_EMPTY' });
  t.match(await refusal(table(t, dir, 'blank.csv', 'csv')), { code: 'FILE_EMPTY' });
});

t.test('rows are streamed: the first page arrives after reading a small part of a large input', async (t) => {
  let produced = 0;
  const total = 20_000;
  async function* bytes() {
    yield Buffer.from('id,name\n');
    for (let i = 0; i < total; i++) {
      produced += 1;
      yield Buffer.from(`${i},name ${i}\n`);
    }
  }
  const csv = await openCsv(Readable.from(bytes()), { encoding: 'utf-8', limits: fileLimits(), pageSize: 100 });
  const pages = csv.pages();
  const first = await pages.next();
  t.equal(first.done, false);
  t.equal((first.value as unknown[]).length, 100);
  t.ok(produced < total / 4, `only ${produced} of ${total} lines were produced for the first page`);
  let rows = 100;
  for await (const page of pages) rows += page.length;
  t.equal(rows, total, 'and every row arrives in the end');
  await csv.close();
});
