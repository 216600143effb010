import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { folderWith, sheetRows, workbook } from './helpers.js';

t.test('a CSV file is a workbook of one unnamed sheet, its cells text as written, numbered as Excel numbers rows', async (t) => {
  const text = '黄石市某局 2026年11月 导出\r\n\r\n文号,名称,金额\r\n"黄罚〔2026〕1号", 甲公司 ,1.50\r\n,,\r\n合计,,1.50\r\n';
  const dir = folderWith(t, { 'export.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
  const book = await workbook(t, dir, 'export.csv', 'csv');
  t.equal(book.format, 'csv');
  t.equal(book.encoding, 'utf-8');
  t.same(book.sheets, [{ name: '', index: 0, hidden: false }]);
  const grid = await book.sheet(0);
  t.same(grid.merges, []);
  t.equal(grid.hiddenColumns.size, 0);
  t.same(await sheetRows(book, 0), [
    { row: 1, cells: ['黄石市某局 2026年11月 导出'] },
    { row: 3, cells: ['文号', '名称', '金额'] },
    { row: 4, cells: ['黄罚〔2026〕1号', ' 甲公司 ', '1.50'] },
    { row: 6, cells: ['合计', null, '1.50'] },
  ], 'blank lines are counted but not returned; text is not trimmed; numbers stay text');
});

t.test('a GBK CSV reads the same as UTF-8', async (t) => {
  const dir = folderWith(t, { 'a.csv': { fixture: 'P07-002_gbk.csv' } });
  const book = await workbook(t, dir, 'a.csv', 'csv');
  t.equal(book.encoding, 'gb18030');
  const rows = await sheetRows(book, 0);
  t.equal(rows[0]!.cells[0], '行政处罚决定书文号');
  t.equal(rows[1]!.row, 2);
});

t.test('an oversized CSV cell is refused on its own and reads null', async (t) => {
  const dir = folderWith(t, { 'a.csv': `a,b\n${'x'.repeat(50)},2\n` });
  const book = await workbook(t, dir, 'a.csv', 'csv', { limits: fileLimits({ maxCellChars: 40 }) });
  t.same(await sheetRows(book, 0), [
    { row: 1, cells: ['a', 'b'] },
    { row: 2, cells: [null, '2'], problems: ['0:FILE_CELL_TOO_LARGE'] },
  ]);
});

t.test('an NDJSON file gives its keys as row 0, then each object in key order at its line', async (t) => {
  const lines = ['not json', '{"编号":"A1","金额":2,"有效":true}', '', '{"编号":"A2","多余":1}', '{"编号":{"x":1},"金额":420102199001011236}'];
  const dir = folderWith(t, { 'a.ndjson': lines.join('\n') });
  const book = await workbook(t, dir, 'a.ndjson', 'ndjson');
  t.same(await sheetRows(book, 0), [
    { row: 0, cells: ['编号', '金额', '有效'] },
    { row: 1, cells: [], problems: ['-1:FILE_JSON_INVALID'] },
    { row: 2, cells: ['A1', 2, true] },
    { row: 4, cells: ['A2', null, null], problems: ['-1:FILE_ROW_RAGGED'] },
    { row: 5, cells: [null, null, null], problems: ['0:FILE_CELL_NOT_SCALAR', '1:FILE_NUMBER_PRECISION'] },
  ]);
});

t.test('a file in no known encoding is refused before a sheet is opened', async (t) => {
  const dir = folderWith(t, { 'a.csv': { fixture: 'invalid-bytes.csv' } });
  await t.rejects(workbook(t, dir, 'a.csv', 'csv'), { code: 'FILE_ENCODING_INVALID' });
});
