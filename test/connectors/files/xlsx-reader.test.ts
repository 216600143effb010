import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { chooseSheet } from '../../../connectors/files/xlsx-reader.js';
import { allRows, folderWith, plain, refusal, table } from './helpers.js';
import { filledTemplate, HEADERS, workbook } from './xlsx-workbooks.js';

t.test('a filled-in template is read at its 数据 sheet, even though the notes sheet comes first', async (t) => {
  const dir = folderWith(t, { 'P07-002.xlsx': await filledTemplate() });
  const x = await table(t, dir, 'P07-002.xlsx', 'xlsx', { sheet: '数据' });
  t.equal(x.sheet, '数据');
  t.equal(x.encoding, null);
  t.equal(x.headerRow, 1);
  t.same(x.headers, HEADERS);
  const rows = await allRows(x);
  t.same(rows.map((r) => r.rowNumber), [2, 3, 4, 6], 'the empty row 5 and the formatted empty rows below are skipped');
  const [dated, rich, formula, precise] = plain(rows);

  t.test('a date cell is the day as typed; a number in a cell not formatted as a date stays a number', async (t) => {
    t.equal(dated!.values['处罚决定日期'], '2026-11-05');
    t.equal(rich!.values['处罚决定日期'], '2026-11-06', 'column D is date-formatted, so the serial 46332 is a date too');
    t.equal(dated!.values['罚款金额（万元）'], 1.5);
    t.same(dated!.problems, []);
  });

  t.test('rich text is its text', async (t) => {
    t.equal(rich!.values['相对人名称'], '黄石市乙餐饮有限公司');
    t.equal(rich!.values['罚款金额（万元）'], null);
  });

  t.test('a formula refuses the row, never evaluated, its cached result never used', async (t) => {
    t.same(formula!.problems, ['FILE_FORMULA_CELL']);
    t.equal(formula!.values['罚款金额（万元）'], null);
    t.match(rows[2]!.problems[0], { column: '罚款金额（万元）', params: { cell: 'E4' } });
  });

  t.test('an identity number typed as a number and an error value refuse the row', async (t) => {
    t.same(precise!.problems, ['FILE_NUMBER_PRECISION', 'FILE_CELL_ERROR']);
    t.match(rows[3]!.problems, [{ params: { cell: 'C6' } }, { params: { cell: 'E6', error: '#N/A' } }]);
  });
});

t.test('without a named sheet, the first visible sheet is read; a hidden first sheet is passed over', async (t) => {
  const dir = folderWith(t, {
    'plain.xlsx': await workbook({ Sheet1: [['a'], [1]], Sheet2: [['b'], [2]] }),
    'hidden.xlsx': await workbook({ 代码表: [['x']], Sheet1: [['a'], [1]] }, { hidden: ['代码表'] }),
    'renamed.xlsx': await workbook({ 说明: [['notes']], 我的数据: [['a'], [1]] }),
  });
  t.equal((await table(t, dir, 'plain.xlsx', 'xlsx', { sheet: '数据' })).sheet, 'Sheet1', 'a workbook without 数据 is read at its first sheet');
  t.equal((await table(t, dir, 'hidden.xlsx', 'xlsx')).sheet, 'Sheet1');
  t.same((await table(t, dir, 'renamed.xlsx', 'xlsx', { sheet: '数据' })).headers, ['notes'], 'a renamed data sheet is not guessed at: the header check will refuse this');
});

t.test('chooseSheet: the named sheet, else the first visible, else the first', async (t) => {
  const s = (name: string, state?: string) => ({ id: 1, name, rId: 'r', ...(state ? { state } : {}) });
  t.equal(chooseSheet([s('说明'), s('数据')], '数据')?.name, '数据');
  t.equal(chooseSheet([s('说明'), s('数据 ')], '数据')?.name, '数据 ', 'a stray space in the tab name does not matter');
  t.equal(chooseSheet([s('a', 'hidden'), s('b')])?.name, 'b');
  t.equal(chooseSheet([s('a', 'veryHidden')])?.name, 'a');
  t.equal(chooseSheet([]), null);
});

t.test('the header row can be fixed, for workbooks with a title above it', async (t) => {
  const dir = folderWith(t, { 'titled.xlsx': await workbook({ 数据: [['行政处罚信息'], ['a', 'b'], [1, 2]] }) });
  t.same((await table(t, dir, 'titled.xlsx', 'xlsx', { headerRow: 2 })).headers, ['a', 'b']);
  t.same((await table(t, dir, 'titled.xlsx', 'xlsx')).headers, ['行政处罚信息'], 'by default the first row with content');
});

t.test('cells past the header with text in them make the row ragged; an oversized cell refuses its row', async (t) => {
  const dir = folderWith(t, { 'w.xlsx': await workbook({ 数据: [['a', 'b'], [1, 2, 'stray'], ['x'.repeat(30), 3], [4, 5]] }) });
  const rows = await allRows(await table(t, dir, 'w.xlsx', 'xlsx', { limits: fileLimits({ maxCellChars: 20 }) }));
  t.same(plain(rows).map((r) => [r.rowNumber, r.problems]), [[2, ['FILE_ROW_RAGGED']], [3, ['FILE_CELL_TOO_LARGE']], [4, []]]);
});

t.test('a formula in the header row refuses the file', async (t) => {
  const dir = folderWith(t, { 'f.xlsx': await workbook({ 数据: [['a', { formula: '1+1', result: 2 }], [1, 2]] }) });
  t.match(await refusal(table(t, dir, 'f.xlsx', 'xlsx')), { code: 'FILE_FORMULA_CELL', params: { cell: 'B1' } });
});

t.test('an empty workbook sheet has no header', async (t) => {
  const dir = folderWith(t, { 'e.xlsx': await workbook({ 数据: [] }) });
  t.match(await refusal(table(t, dir, 'e.xlsx', 'xlsx')), { code: 'FILE_EMPTY' });
});
