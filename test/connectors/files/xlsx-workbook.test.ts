import t from 'tap';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { CJK_BUILTIN_FORMATS } from '../../../connectors/files/number-formats.js';
import { folderWith, refusal, sheetRows, workbook } from './helpers.js';
import { useChineseBuiltinFormats, xlwtFile } from './xls-writers.js';

/** A monthly export as Excel saves it: a title, a two-row header over merged cells, a hidden column and row, a hidden sheet. */
async function exportBook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2017年6月');
  ws.addRow(['教师资格认定名单']);
  ws.mergeCells('A1:E1');
  ws.addRow(['行政相对人代码', null, '认定日期', '内部编号', '备注']);
  ws.addRow(['统一社会信用代码', '身份证号']);
  ws.mergeCells('A2:B2');
  ws.mergeCells('C2:C3');
  ws.addRow(['914202000000000001', '420102199001011236', new Date(Date.UTC(2017, 5, 2)), 'x', { formula: '1+2', result: 3 }]);
  ws.getCell('C4').numFmt = 'yyyy"年"m"月"d"日"';
  ws.addRow(['914202000000000002', 420102199001011236, 42888, 7, null]);
  ws.getCell('C5').numFmt = 'yyyy.m.d';
  ws.getColumn(4).hidden = true;
  ws.getRow(5).hidden = true;
  wb.addWorksheet('2017年7月').addRow(['七月']);
  wb.addWorksheet('代码表', { state: 'hidden' }).addRow(['01']);
  wb.addWorksheet('内部', { state: 'veryHidden' }).addRow(['x']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

t.test('an .xlsx as a workbook: every sheet in tab order, hidden and very hidden ones marked', async (t) => {
  const book = await workbook(t, folderWith(t, { 'a.xlsx': await exportBook() }), 'a.xlsx', 'xlsx');
  t.equal(book.format, 'xlsx');
  t.same(book.sheets, [
    { name: '2017年6月', index: 0, hidden: false },
    { name: '2017年7月', index: 1, hidden: false },
    { name: '代码表', index: 2, hidden: true },
    { name: '内部', index: 3, hidden: true },
  ]);
  t.same(await sheetRows(book, 2), [{ row: 1, cells: ['01'] }], 'a hidden sheet is still readable');
  t.same(await sheetRows(book, 1), [{ row: 1, cells: ['七月'] }], 'sheets can be read in any order');
});

t.test('merges and hidden columns are known before the rows are read; hidden rows are marked', async (t) => {
  const book = await workbook(t, folderWith(t, { 'a.xlsx': await exportBook() }), 'a.xlsx', 'xlsx');
  const grid = await book.sheet(0);
  t.same([...grid.merges].sort((a, b) => a.top - b.top || a.left - b.left), [
    { top: 1, left: 0, bottom: 1, right: 4 },
    { top: 2, left: 0, bottom: 2, right: 1 },
    { top: 2, left: 2, bottom: 3, right: 2 },
  ]);
  t.same([...grid.hiddenColumns], [3]);
  const rows = [];
  for await (const page of grid.rows()) rows.push(...page);
  t.same(rows.map((r) => ({ row: r.rowNumber, cells: r.cells, problems: r.problems.map((p) => `${p.column}:${p.problem.code}`), hidden: r.hidden })), [
    { row: 1, cells: ['教师资格认定名单'], problems: [], hidden: false },
    { row: 2, cells: ['行政相对人代码', null, '认定日期', '内部编号', '备注'], problems: [], hidden: false },
    { row: 3, cells: ['统一社会信用代码', '身份证号'], problems: [], hidden: false },
    { row: 4, cells: ['914202000000000001', '420102199001011236', '2017-06-02', 'x'], problems: ['4:FILE_FORMULA_CELL'], hidden: false },
    { row: 5, cells: ['914202000000000002', null, '2017-06-02', 7], problems: ['1:FILE_NUMBER_PRECISION'], hidden: true },
  ]);
});

t.test('zh-CN built-in date formats, stored by id only as Excel and WPS in Chinese write them, are dates', async (t) => {
  useChineseBuiltinFormats(CJK_BUILTIN_FORMATS);
  const sheet = XLSX.utils.aoa_to_sheet([
    ['年月日', '年月', '月日', '自定义'],
    [
      { t: 'n', v: 42888, z: CJK_BUILTIN_FORMATS[31] },
      { t: 'n', v: 42888, z: CJK_BUILTIN_FORMATS[27] },
      { t: 'n', v: 42888, z: CJK_BUILTIN_FORMATS[58] },
      { t: 'n', v: 42888, z: 'yyyy/m/d' },
    ],
  ]);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '数据');
  const bytes = XLSX.write(book, { bookType: 'xlsx', type: 'buffer' }) as Buffer;
  const styles = XLSX.read(bytes, { type: 'buffer', bookFiles: true }) as unknown as { files: Record<string, { content: Buffer }> };
  const stylesXml = Buffer.from(styles.files['xl/styles.xml']!.content).toString('utf8');
  t.match(stylesXml, /numFmtId="31"/, 'the cell style names format 31');
  t.notMatch(stylesXml, /<numFmt numFmtId="31"/, 'and the file does not define it');

  const opened = await workbook(t, folderWith(t, { 'wps.xlsx': bytes }), 'wps.xlsx', 'xlsx');
  t.same(await sheetRows(opened, 0), [
    { row: 1, cells: ['年月日', '年月', '月日', '自定义'] },
    { row: 2, cells: ['2017-06-02', '2017-06-02', '2017-06-02', '2017-06-02'] },
  ]);
});

t.test('the 1904 date system of an .xlsx is honoured', async (t) => {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = true;
  const ws = wb.addWorksheet('S');
  ws.addRow([42888]);
  ws.getCell('A1').numFmt = 'yyyy-mm-dd';
  const book = await workbook(t, folderWith(t, { 'a.xlsx': Buffer.from(await wb.xlsx.writeBuffer()) }), 'a.xlsx', 'xlsx');
  t.same(await sheetRows(book, 0), [{ row: 1, cells: ['2021-06-03'] }]);
});

t.test('a spreadsheet is read by its content: an .xlsx named .xls is read as XLSX, an .xls named .xlsx as XLS', async (t) => {
  const xls = xlwtFile("wb.add_sheet('S').write(0, 0, 'biff')");
  const dir = folderWith(t, { 'renamed.xls': await exportBook(), 'renamed.xlsx': xls, 'text.xlsx': 'a,b\n1,2\n' });
  const asXlsx = await workbook(t, dir, 'renamed.xls', 'xls');
  t.equal(asXlsx.format, 'xlsx');
  t.equal(asXlsx.sheets[0]!.name, '2017年6月');
  const asXls = await workbook(t, dir, 'renamed.xlsx', 'xlsx');
  t.equal(asXls.format, 'xls');
  t.same(await sheetRows(asXls, 0), [{ row: 1, cells: ['biff'] }]);
  t.match(await refusal(workbook(t, dir, 'text.xlsx', 'xlsx')), { code: 'FILE_XLSX_INVALID' });
});

t.test('the archive guard still stands before any part is parsed', async (t) => {
  const dir = folderWith(t, { 'a.xlsx': await exportBook() });
  const { fileLimits } = await import('../../../connectors/files/limits.js');
  t.match(await refusal(workbook(t, dir, 'a.xlsx', 'xlsx', { limits: fileLimits({ zip: { maxEntries: 2 } }) })), { code: 'FILE_ZIP_BOMB' });
});
