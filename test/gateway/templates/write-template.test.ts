import t from 'tap';
import ExcelJS from 'exceljs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../../../gateway/catalog/load.js';
import { fieldByHeader } from '../../../gateway/standards/headers.js';
import { loadStandards } from '../../../gateway/standards/load.js';
import type { Standard } from '../../../gateway/standards/types.js';
import { templateCategory } from '../../../gateway/templates/category.js';
import { columnLetter } from '../../../gateway/templates/column-letter.js';
import { NOTES_TABLE_HEADER } from '../../../gateway/templates/notes.js';
import { CODE_TABLE_SHEET, DATA_SHEET, NOTES_SHEET } from '../../../gateway/templates/spec.js';
import { writeTemplate } from '../../../gateway/templates/write-template.js';
import { checkCreditCode } from '../../../gateway/identifiers/credit-code.js';
import { checkIdCard } from '../../../gateway/identifiers/id-card.js';

const catalog = loadCatalog();
const standards = loadStandards();
const penalty = catalog.byCode('P07-002')!;
const standard = standards.standardFor(penalty);

/** Two penalties as a clerk would type them, by Chinese header: codes and ID numbers with valid check characters, as a real register holds them. */
const filled: Record<string, string | number>[] = [
  {
    行政相对人名称: '黄石市某某建材有限公司',
    行政相对人类别: '法人及非法人组织',
    '行政相对人代码_1（统一社会信用代码）': '91420200MA4KLPXR60',
    '行政相对人代码_3（组织机构代码）': '012345678',
    法定代表人: '张三',
    行政处罚决定书文号: '黄人社监罚〔2024〕001号',
    违法行为类型: '未按规定参加社会保险',
    违法事实: '该单位未为 3 名职工办理社会保险登记。',
    处罚依据: '《社会保险法》第八十四条',
    处罚类别: '罚款',
    处罚内容: '罚款人民币伍仟元整',
    '罚款金额（万元）': 0.5,
    处罚决定日期: '2024-03-05',
    处罚有效期: '2025-03-05',
    处罚机关: '黄石市人力资源和社会保障局',
    处罚机关统一社会信用代码: '11420200011035460R',
    数据来源单位: '黄石市人力资源和社会保障局',
    数据来源单位统一社会信用代码: '11420200011035460R',
  },
  {
    行政相对人名称: '李四',
    行政相对人类别: '自然人',
    证件类型: '身份证',
    证件号码: '420202199001011231',
    行政处罚决定书文号: '黄人社监罚〔2024〕002号',
    违法行为类型: '骗取社会保险待遇',
    违法事实: '冒领失业保险金。',
    处罚依据: '《社会保险法》第八十八条',
    处罚类别: '警告;罚款',
    处罚内容: '警告并处罚款',
    '罚款金额（万元）': 0.2,
    处罚决定日期: '2024-04-01',
    处罚有效期: '2025-04-01',
    处罚机关: '黄石市人力资源和社会保障局',
    处罚机关统一社会信用代码: '11420200011035460R',
    数据来源单位: '黄石市人力资源和社会保障局',
    数据来源单位统一社会信用代码: '11420200011035460R',
  },
];

/** What the drop-folder reader does with a workbook: the sheet named 数据 (else the first), headers resolved to field codes. */
function readBack(workbook: ExcelJS.Workbook, std: Standard): Record<string, unknown>[] {
  const sheet = workbook.getWorksheet(DATA_SHEET) ?? workbook.worksheets[0]!;
  const codes: (string | undefined)[] = [];
  sheet.getRow(1).eachCell((cell, col) => {
    codes[col] = fieldByHeader(std, String(cell.value))?.code;
  });
  const records: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const record: Record<string, unknown> = {};
    row.eachCell((cell, col) => {
      if (codes[col]) record[codes[col]!] = cell.value;
    });
    records.push(record);
  });
  return records;
}

t.test('the rows typed into the template carry codes a register could hold: valid check characters throughout', async (t) => {
  const credit = filled.flatMap((row) => Object.entries(row).filter(([header]) => header.includes('统一社会信用代码')).map(([, code]) => String(code)));
  t.ok(credit.length >= 5);
  for (const code of credit) t.ok(checkCreditCode(code).ok, `${code} passes the GB 32100 check`);
  for (const row of filled.filter((r) => r['证件类型'] === '身份证')) t.ok(checkIdCard(String(row['证件号码'])).ok, `${row['证件号码']} passes the GB 11643 check`);
});

t.test('an XLSX template filled in with two rows reads back as two records, values as typed', async (t) => {
  const dir = t.testdir();
  const written = await writeTemplate({ category: penalty, standard, dir });
  t.same(written, { file: join(dir, 'P07-002_行政处罚信息.xlsx') });

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(written.file);
  const sheet = workbook.getWorksheet(DATA_SHEET)!;
  const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  filled.forEach((values, i) => {
    const row = sheet.getRow(i + 2);
    for (const [header, value] of Object.entries(values)) row.getCell(headers.indexOf(header) + 1).value = value;
  });
  await workbook.xlsx.writeFile(written.file);

  const again = new ExcelJS.Workbook();
  await again.xlsx.readFile(written.file);
  const records = readBack(again, standard);
  t.equal(records.length, 2);
  t.same(records, filled.map((values) => Object.fromEntries(Object.entries(values).map(([h, v]) => [fieldByHeader(standard, h)!.code, v]))));
  t.equal(records[0]!['CF_XDR_ZZJG'], '012345678', 'the leading zero survives');
  t.equal(records[1]!['CF_XDR_ZJHM'], '420202199001011231', 'the identity number stays text');
  t.equal(records[0]!['CF_JDRQ'], '2024-03-05', 'the date stays as typed');
});

t.test('the written XLSX: data first, then notes; text columns, lists and notes survive a save by another program', async (t) => {
  const dir = t.testdir();
  const { file } = await writeTemplate({ category: penalty, standard, dir });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  t.same(workbook.worksheets.map((w) => w.name), [DATA_SHEET, NOTES_SHEET], 'the shipped lists fit inline: no code table sheet');
  t.notOk(workbook.getWorksheet(CODE_TABLE_SHEET));
  const sheet = workbook.getWorksheet(DATA_SHEET)!;
  t.same((sheet.getRow(1).values as unknown[]).slice(1), standard.fields.map((f) => f.name));
  const at = (code: string): number => standard.fields.findIndex((f) => f.code === code) + 1;
  t.equal(sheet.getColumn(at('CF_XDR_SHXYM')).numFmt, '@');
  t.equal(sheet.getColumn(at('CF_JDRQ')).numFmt, '@');
  t.match(sheet.getRow(1).getCell(at('CF_WSH')).note, /^字段代码：CF_WSH/);
  // exceljs keeps a sheet's validations off its types (gateway/templates/xlsx-workbook.ts reaches them the same way).
  const validation = (address: string): unknown =>
    (sheet as unknown as { dataValidations: { find(a: string): unknown } }).dataValidations.find(address);
  const letter = columnLetter(at('CF_XDR_LB'));
  t.match(validation(`${letter}2`), { type: 'list', formulae: ['"法人及非法人组织,自然人,个体工商户"'] });
  t.match(validation(`${letter}5001`), { type: 'list' });
  const notes = workbook.getWorksheet(NOTES_SHEET)!;
  t.equal(notes.getCell('A1').value, '行政处罚信息 数据模板');
  t.same([notes.getCell('A2').value, notes.getCell('B2').value], ['信息类别代码', 'P07-002']);
  t.equal(notes.getCell('G2').master.address, 'B2', 'a metadata value spans the rest of the row');
  const fieldTable = notes.getColumn(1).values.indexOf('字段代码');
  t.ok(fieldTable > 0, 'the field table has its header row');
  t.same((notes.getRow(fieldTable).values as unknown[]).slice(1), [...NOTES_TABLE_HEADER]);
  t.equal(notes.getCell(fieldTable + 1, 1).value, standard.fields[0]!.code);
  t.notOk(notes.getCell(fieldTable + 1, 2).isMerged, 'table cells are never merged');
});

t.test('a CSV template is UTF-8 with BOM and one header row; its notes go beside it', async (t) => {
  const dir = t.testdir();
  const written = await writeTemplate({ category: penalty, standard, format: 'csv', dir });
  t.same(written, { file: join(dir, 'P07-002_行政处罚信息.csv'), notesFile: join(dir, 'P07-002_行政处罚信息.说明.txt') });
  const bytes = readFileSync(written.file);
  t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  t.equal(bytes.subarray(3).toString('utf8'), `${standard.fields.map((f) => f.name).join(',')}\r\n`);
  const notes = readFileSync(written.notesFile!, 'utf8');
  t.match(notes, /^\uFEFF行政处罚信息 数据模板\r\n信息类别代码：P07-002\r\n/);
  t.match(notes, 'CF_WSH | 行政处罚决定书文号 | 是');
  t.match(notes, '建议改用 XLSX 模板');
});

t.test('without a format, the output name decides; XLSX otherwise', async (t) => {
  const dir = t.testdir();
  const csv = await writeTemplate({ category: penalty, standard, outFile: join(dir, 'P07-002_三月.CSV') });
  t.ok(csv.notesFile, 'a .CSV name gets a CSV and its notes');
  t.same([...readFileSync(csv.file).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const xlsx = await writeTemplate({ category: penalty, standard, outFile: join(dir, 'P07-002_三月.xlsx') });
  t.equal(xlsx.notesFile, undefined);
  t.equal(readFileSync(xlsx.file).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');
});

t.test('an existing file is not replaced unless asked', async (t) => {
  const dir = t.testdir();
  const outFile = join(dir, 'P07-002_已填.xlsx');
  writeFileSync(outFile, 'filled in');
  await t.rejects(writeTemplate({ category: penalty, standard, outFile }), { code: 'TEMPLATE_FILE_EXISTS' });
  t.equal(readFileSync(outFile, 'utf8'), 'filled in');
  await writeTemplate({ category: penalty, standard, outFile, overwrite: true });
  t.not(readFileSync(outFile, 'utf8'), 'filled in');

  const notesOnly = join(dir, 'P07-002_x.说明.txt');
  writeFileSync(notesOnly, 'mine');
  await t.rejects(writeTemplate({ category: penalty, standard, format: 'csv', outFile: join(dir, 'P07-002_x.csv') }), { code: 'TEMPLATE_FILE_EXISTS' });
  t.notOk(existsSync(join(dir, 'P07-002_x.csv')), 'a refused CSV leaves no half pair behind');
});

t.test('a template is asked for by category code; a dropped duplicate names the code to use', async (t) => {
  t.equal(templateCategory(catalog, 'p07-002').code, 'P07-002');
  t.throws(() => templateCategory(catalog, 'P15-011'), { code: 'TEMPLATE_UNKNOWN_CATEGORY', message: /use P15-010/ });
  t.throws(() => templateCategory(catalog, 'P99-001'), { code: 'TEMPLATE_UNKNOWN_CATEGORY', action: /credit-gateway catalog/ });
});
