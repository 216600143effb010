import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { CJK_BUILTIN_FORMATS } from '../../../connectors/files/number-formats.js';
import { folderWith, refusal, sheetRows, workbook } from './helpers.js';
import { sheetjsXls, useChineseBuiltinFormats, xlwtFile } from './xls-writers.js';

// A national system's monthly export, as a Python exporter (xlwt) writes it.
const EXPORT = xlwtFile(`
month = wb.add_sheet('2017年6月')
month.write_merge(0, 0, 0, 5, '教师资格认定名单')
month.write_merge(1, 1, 0, 1, '行政相对人代码')
month.write(2, 0, '统一社会信用代码')
month.write(2, 1, '身份证号')
month.write(1, 2, '认定日期')
month.write(1, 3, '发证日期')
month.write(1, 4, '登记日期')
month.write(1, 5, '内部编号')
month.write(3, 0, '914202000000000001')
month.write(3, 1, 420102199001011236)
month.write(3, 2, datetime.date(2017, 6, 2), xlwt.easyxf(num_format_str='yyyy"年"m"月"d"日"'))
month.write(3, 3, datetime.date(2017, 6, 3), xlwt.easyxf(num_format_str='yyyy.m.d'))
month.write(3, 4, datetime.datetime(2017, 6, 4, 9, 30), xlwt.easyxf(num_format_str='M/D/YY h:mm'))
month.write(3, 5, 'x')
month.write(4, 0, '00123')
month.write(4, 1, 123)
month.write(4, 2, xlwt.Formula('1+2'))
month.write(4, 3, 42888)
month.write(4, 4, 1.5)
month.write(5, 0, '合计')
month.col(5).hidden = True
month.row(4).hidden = True
july = wb.add_sheet('2017年7月')
july.write(0, 0, '七月')
notes = wb.add_sheet('代码表')
notes.visibility = 1
notes.write(0, 0, '01')
`);

t.test('an .xls export written by xlwt: every sheet in tab order, hidden ones marked', async (t) => {
  const book = await workbook(t, folderWith(t, { 'export.xls': EXPORT }), 'export.xls', 'xls');
  t.equal(book.format, 'xls');
  t.equal(book.encoding, null);
  t.same(book.sheets, [
    { name: '2017年6月', index: 0, hidden: false },
    { name: '2017年7月', index: 1, hidden: false },
    { name: '代码表', index: 2, hidden: true },
  ]);
  t.same(await sheetRows(book, 1), [{ row: 1, cells: ['七月'] }]);
  t.same(await sheetRows(book, 2), [{ row: 1, cells: ['01'] }], 'a hidden sheet is still readable');
});

t.test('merges and hidden columns are known before the rows; hidden rows are marked', async (t) => {
  const book = await workbook(t, folderWith(t, { 'export.xls': EXPORT }), 'export.xls', 'xls');
  const grid = await book.sheet(0);
  t.same([...grid.merges].sort((a, b) => a.top - b.top), [
    { top: 1, left: 0, bottom: 1, right: 5 },
    { top: 2, left: 0, bottom: 2, right: 1 },
  ]);
  t.same([...grid.hiddenColumns], [5]);
});

t.test('cells of an .xls read by the shared rules', async (t) => {
  const book = await workbook(t, folderWith(t, { 'export.xls': EXPORT }), 'export.xls', 'xls');
  t.same(await sheetRows(book, 0), [
    { row: 1, cells: ['教师资格认定名单'] },
    { row: 2, cells: ['行政相对人代码', null, '认定日期', '发证日期', '登记日期', '内部编号'] },
    { row: 3, cells: ['统一社会信用代码', '身份证号'] },
    { row: 4, cells: ['914202000000000001', null, '2017-06-02', '2017-06-03', '2017-06-04 09:30:00', 'x'], problems: ['1:FILE_NUMBER_PRECISION'] },
    { row: 5, cells: ['00123', 123, null, 42888, 1.5], problems: ['2:FILE_FORMULA_CELL'], hidden: true },
    { row: 6, cells: ['合计'] },
  ], 'dates by their format (年月日, y.m.d, the default date with a time), codes as text stay text, numbers stay numbers, an 18-digit number and a formula refused');
});

t.test('an .xls written by SheetJS: zh-CN built-in date formats stored by id only, error values, booleans', async (t) => {
  useChineseBuiltinFormats(CJK_BUILTIN_FORMATS);
  const bytes = sheetjsXls({
    数据: [
      ['日期', '年月', '结果', '有效'],
      [{ t: 'n', v: 42888, z: CJK_BUILTIN_FORMATS[31] }, { t: 'n', v: 42888, z: CJK_BUILTIN_FORMATS[57] }, { t: 'e', v: 0x07 }, true],
    ],
    说明: [['hidden']],
  }, { hidden: ['说明'] });
  const book = await workbook(t, folderWith(t, { 'a.xls': bytes }), 'a.xls', 'xls');
  t.same(book.sheets.map((s) => s.hidden), [false, true]);
  t.same(await sheetRows(book, 0), [
    { row: 1, cells: ['日期', '年月', '结果', '有效'] },
    { row: 2, cells: ['2017-06-02', '2017-06-02', null, true], problems: ['2:FILE_CELL_ERROR'] },
  ]);
});

t.test('the 1904 date system is honoured', async (t) => {
  const bytes = sheetjsXls({ S: [[{ t: 'n', v: 42888, z: 'yyyy.m.d' }]] }, { date1904: true });
  const book = await workbook(t, folderWith(t, { 'a.xls': bytes }), 'a.xls', 'xls');
  t.same(await sheetRows(book, 0), [{ row: 1, cells: ['2021-06-03'] }]);
});

t.test('files that are not usable .xls are refused with a clear code', async (t) => {
  const dir = folderWith(t, {
    'truncated.xls': EXPORT.subarray(0, Math.floor(EXPORT.length / 2)),
    'page.xls': '<html><body><table><tr><td>姓名</td></tr></table></body></html>',
    'empty.xls': '',
  });
  t.match(await refusal(workbook(t, dir, 'truncated.xls', 'xls')), { code: 'FILE_XLS_INVALID' });
  t.match(await refusal(workbook(t, dir, 'page.xls', 'xls')), { code: 'FILE_XLS_INVALID', params: { problem: 'not an Excel 97-2003 file' } },
    'a web page saved under an .xls name is not read as a sheet');
  t.match(await refusal(workbook(t, dir, 'empty.xls', 'xls')), { code: 'FILE_XLS_INVALID' });
});

t.test('a file over the .xls size limit is refused unread', async (t) => {
  const dir = folderWith(t, { 'a.xls': EXPORT });
  t.match(await refusal(workbook(t, dir, 'a.xls', 'xls', { limits: fileLimits({ xls: { maxBytes: 1000 } }) })), { code: 'FILE_TOO_LARGE', params: { limit: 1000 } });
});
