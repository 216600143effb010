import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { folderWith, refusal, table } from './helpers.js';

t.test('a file over the size limit is refused before a byte is parsed', async (t) => {
  const limit = 1000;
  const dir = folderWith(t, { 'big.csv': Buffer.concat([Buffer.from('a\n'), Buffer.alloc(limit - 1, 0x31)]) });
  t.same(await refusal(table(t, dir, 'big.csv', 'csv', { limits: fileLimits({ maxFileBytes: limit }) })), {
    code: 'FILE_TOO_LARGE', params: { bytes: limit + 1, limit },
  });
});

t.test('a text file in no known encoding is refused whole, naming the line', async (t) => {
  const dir = folderWith(t, { 'bad.csv': { fixture: 'invalid-bytes.csv' }, 'bad.ndjson': { fixture: 'invalid-bytes.csv' }, 'u16.csv': { fixture: 'utf16.csv' } });
  t.same(await refusal(table(t, dir, 'bad.csv', 'csv')), {
    code: 'FILE_ENCODING_INVALID', params: { reason: 'neither', line: 2, byte: 5, gb18030Line: 2 },
  });
  t.match(await refusal(table(t, dir, 'bad.ndjson', 'ndjson')), { code: 'FILE_ENCODING_INVALID' });
  t.match(await refusal(table(t, dir, 'u16.csv', 'csv')), { code: 'FILE_ENCODING_INVALID', params: { reason: 'utf16' } });
});

t.test('the file handle survives the encoding pass and the table: the gateway still checks and moves the file', async (t) => {
  const dir = folderWith(t, { 'ok.csv': { fixture: 'P07-002_gbk.csv' } });
  const csv = await table(t, dir, 'ok.csv', 'csv');
  for await (const _ of csv.pages()) void _;
  await csv.close();
  t.pass('closing the table twice (here and at teardown) is harmless');
});

t.test('a CSV named .xlsx is a damaged workbook, not a crash', async (t) => {
  const dir = folderWith(t, { 'x.xlsx': { fixture: 'P07-002_utf8.csv' } });
  t.match(await refusal(table(t, dir, 'x.xlsx', 'xlsx')), { code: 'FILE_XLSX_INVALID' });
});

t.test('a template saved as .xls is read the template way: its 数据 sheet, the first row with content as header', async (t) => {
  const { xlwtFile } = await import('./xls-writers.js');
  const { allRows, plain } = await import('./helpers.js');
  const bytes = xlwtFile(`
notes = wb.add_sheet('填写说明')
notes.write(0, 0, '请在“数据”表中填写')
data = wb.add_sheet('数据')
for c, h in enumerate(['行政处罚决定书文号', '处罚决定日期', '罚款金额（万元）']):
    data.write(0, c, h)
data.write(1, 0, '黄人社监罚〔2026〕1号')
data.write(1, 1, datetime.date(2026, 11, 5), xlwt.easyxf(num_format_str='yyyy-mm-dd'))
data.write(1, 2, 1.5)
data.write(3, 0, '黄人社监罚〔2026〕2号')
data.write(3, 2, xlwt.Formula('1+2'))
`);
  const dir = folderWith(t, { 'P07-002_2026-11.xls': bytes });
  const xls = await table(t, dir, 'P07-002_2026-11.xls', 'xls', { sheet: '数据' });
  t.equal(xls.format, 'xls');
  t.equal(xls.sheet, '数据');
  t.equal(xls.headerRow, 1);
  t.same(xls.headers, ['行政处罚决定书文号', '处罚决定日期', '罚款金额（万元）']);
  t.same(plain(await allRows(xls)), [
    { rowNumber: 2, values: { 行政处罚决定书文号: '黄人社监罚〔2026〕1号', 处罚决定日期: '2026-11-05', '罚款金额（万元）': 1.5 }, problems: [] },
    { rowNumber: 4, values: { 行政处罚决定书文号: '黄人社监罚〔2026〕2号', 处罚决定日期: null, '罚款金额（万元）': null }, problems: ['FILE_FORMULA_CELL'] },
  ]);
});

t.test('a damaged .xls is refused as a damaged workbook', async (t) => {
  const dir = folderWith(t, { 'P07-002.xls': 'not a workbook' });
  t.match(await refusal(table(t, dir, 'P07-002.xls', 'xls')), { code: 'FILE_XLS_INVALID' });
});
