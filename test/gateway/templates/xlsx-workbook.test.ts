import t, { type Test } from 'tap';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { CODE_TABLE_SHEET, DATA_SHEET, NOTES_SHEET } from '../../../gateway/templates/spec.js';
import type { TemplateSpec } from '../../../gateway/templates/spec.js';
import { columnLetter } from '../../../gateway/templates/column-letter.js';
import { writeTemplateSpec } from '../../../gateway/templates/write-files.js';

/** A spec written by hand, so the writer is tested apart from how specs are built. */
const spec: TemplateSpec = {
  category: { code: 'P99-001', name: '测试信息', providerName: '市测试局', infoType: '通用' },
  standard: { code: 'TY', name: '通用', version: '1.0' },
  baseName: 'P99-001_测试信息',
  data: {
    name: DATA_SHEET,
    lastValidatedRow: 101,
    columns: [
      { header: '文号', code: 'WH', required: true, width: 20, text: true, note: '字段代码：WH' },
      {
        header: '类别', code: 'LB', required: false, width: 10, text: true, note: '字段代码：LB',
        validation: {
          type: 'list', formulae: ['"甲,乙"'], allowBlank: true,
          errorStyle: 'stop', errorTitle: '类别', error: '请从下拉列表中选择', promptTitle: '类别', prompt: '从列表中选择',
        },
      },
      {
        header: '地区', code: 'DQ', required: false, width: 10, text: true, note: '字段代码：DQ',
        validation: {
          type: 'list', formulae: [`'${CODE_TABLE_SHEET}'!$A$2:$A$3`], allowBlank: true,
          errorStyle: 'stop', errorTitle: '地区', error: '请从下拉列表中选择', promptTitle: '地区', prompt: '从列表中选择',
        },
      },
      { header: '金额', code: 'JE', required: false, width: 12, text: false, note: '字段代码：JE' },
    ],
  },
  notes: {
    name: NOTES_SHEET,
    widths: [20, 40],
    rows: [
      { cells: ['测试信息 数据模板'], style: 'title' },
      { cells: ['信息类别代码', 'P99-001'], style: 'meta' },
    ],
  },
  codeTables: { name: CODE_TABLE_SHEET, columns: [{ header: '地区', values: ['黄石港区', '西塞山区'] }] },
};

async function written(t: Test, s: TemplateSpec = spec): Promise<ExcelJS.Workbook> {
  const file = join(t.testdir(), 'x.xlsx');
  await writeTemplateSpec(s, { format: 'xlsx', outFile: file });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

t.test('column letters count like Excel', async (t) => {
  t.same([1, 2, 26, 27, 52, 53, 702, 703].map(columnLetter), ['A', 'B', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
});

t.test('sheets come in order: data first, notes, then the code tables hidden', async (t) => {
  const workbook = await written(t);
  t.same(workbook.worksheets.map((w) => [w.name, w.state]), [
    [DATA_SHEET, 'visible'],
    [NOTES_SHEET, 'visible'],
    [CODE_TABLE_SHEET, 'hidden'],
  ]);
});

t.test('the data sheet holds one header row and nothing below it', async (t) => {
  const sheet = (await written(t)).getWorksheet(DATA_SHEET)!;
  t.same(sheet.getRow(1).values, [undefined, '文号', '类别', '地区', '金额']);
  t.equal(sheet.actualRowCount, 1, 'no styled blank rows a reader would have to skip');
  t.match(sheet.views[0], { state: 'frozen', ySplit: 1 });
  t.equal(sheet.getCell('A1').note, '字段代码：WH', 'the field code travels in the header note');
});

t.test('text columns are formatted as text, numbers are left alone', async (t) => {
  const sheet = (await written(t)).getWorksheet(DATA_SHEET)!;
  t.equal(sheet.getColumn(1).numFmt, '@');
  t.equal(sheet.getColumn(3).numFmt, '@');
  t.not(sheet.getColumn(4).numFmt, '@');
});

t.test('required headers look different from optional ones', async (t) => {
  const sheet = (await written(t)).getWorksheet(DATA_SHEET)!;
  t.not(JSON.stringify(sheet.getCell('A1').font), JSON.stringify(sheet.getCell('B1').font));
});

t.test('validations cover the data rows of their column, and only those', async (t) => {
  const sheet = (await written(t)).getWorksheet(DATA_SHEET)!;
  // exceljs keeps a sheet's validations off its types (xlsx-workbook.ts reaches them the same way).
  const validations = (sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }).dataValidations;
  t.match(validations.find('B2'), { type: 'list', formulae: ['"甲,乙"'], showErrorMessage: true, errorStyle: 'stop' });
  t.match(validations.find('B101'), { type: 'list' });
  t.equal(validations.find('B1'), undefined, 'the header is free');
  t.equal(validations.find('B102'), undefined);
  t.match(validations.find('C50'), { type: 'list', formulae: [`'${CODE_TABLE_SHEET}'!$A$2:$A$3`] });
  t.equal(validations.find('A2'), undefined);
});

t.test('the code table sheet lists each table in a column under its name', async (t) => {
  const sheet = (await written(t)).getWorksheet(CODE_TABLE_SHEET)!;
  t.same(sheet.getColumn(1).values, [undefined, '地区', '黄石港区', '西塞山区']);
});

t.test('without long code tables there is no code table sheet', async (t) => {
  const { codeTables: _, ...short } = spec;
  const workbook = await written(t, short);
  t.same(workbook.worksheets.map((w) => w.name), [DATA_SHEET, NOTES_SHEET]);
});

t.test('the notes sheet holds its rows as text', async (t) => {
  const sheet = (await written(t)).getWorksheet(NOTES_SHEET)!;
  t.equal(sheet.getCell('A1').value, '测试信息 数据模板');
  t.same(sheet.getRow(2).values, [undefined, '信息类别代码', 'P99-001']);
});
