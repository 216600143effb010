import t from 'tap';
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';

const BOM = '\uFEFF';

/** 湖北省食品药品监管信息化业务平台-style CSV: a title, an export time, a two-row header (行政相对人代码 over its codes), a 合计 row. */
const licencesCsv = [
  '行政许可信息导出' + ','.repeat(17),
  '导出时间：2017-06-05' + ','.repeat(17),
  '行政相对人名称,行政相对人类别,行政相对人代码,,,法定代表人,行政许可决定文书名称,行政许可决定文书号,许可类别,许可内容,许可决定日期,有效期自,有效期至,许可机关,许可机关统一社会信用代码,当前状态,数据来源单位,数据来源单位统一社会信用代码',
  ',,统一社会信用代码,组织机构代码,工商注册号' + ','.repeat(13),
  '黄石市某某药房,法人及非法人组织,91420200045FUX8H1K,,,赵六,药品经营许可证,鄂食药许〔2017〕1号,普通,药品零售,2017-06-02,2017-06-02,2022-06-01,黄石市食品药品监督管理局,91420200846J0URW7B,有效,黄石市食品药品监督管理局,91420200846J0URW7B',
  '黄石市某某诊所,法人及非法人组织,91420200846J0URW7C,,,钱七,药品经营许可证,鄂食药许〔2017〕2号,普通,药品零售,2017-06-03,2017-06-03,2022-06-02,黄石市食品药品监督管理局,91420200846J0URW7B,有效,黄石市食品药品监督管理局,91420200846J0URW7B',
  '合计,2' + ','.repeat(16),
].join('\r\n');

t.test('a CSV export with title rows and a two-row header: a profile to paste, and the sample tried with it', async (t) => {
  const dir = t.testdir({ '许可信息_20170605.csv': BOM + licencesCsv });
  const run = await runCli(['profile', 'suggest', join(dir, '许可信息_20170605.csv'), '--category', 'P06-010']);
  t.equal(run.code, 0, run.stderr);
  const [profile] = parse(run.stdout) as Record<string, unknown>[];
  t.match(profile, {
    origin: 'system',
    system: '<fill in>',
    match: { name: ['许可信息_*.csv'] },
    header: { rows: 2 },
    category: 'P06-010',
    key: ['行政许可决定文书号', '行政相对人代码/统一社会信用代码'],
    fields: { XK_XDR_MC: '行政相对人名称', XK_XDR_SHXYM: '行政相对人代码/统一社会信用代码', XK_JDRQ: { column: '许可决定日期', date: 'YYYY-MM-DD' } },
  });
  t.match(run.stdout, /# Trial of \S+ on the sample \(nothing stored, nothing sent\): 2 data rows, 1 would be sent, 1 rejected; 1 row\(s\) below the data/);
  t.ok(run.stdout.includes('#   CREDIT_CODE_CHECK × 1\n#     第6行 行政相对人代码/统一社会信用代码=91420200846J0URW7C: 统一社会信用代码校验位错误'), 'the refused row as the clerk finds it, with the export\'s header');
});

t.test('--json gives the profiles, their notes and trials for scripts', async (t) => {
  const dir = t.testdir({ 'export.csv': BOM + licencesCsv });
  const run = await runCli(['profile', 'suggest', join(dir, 'export.csv'), '--category', 'P06-010', '--json']);
  t.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  t.equal(out.file, 'export.csv');
  t.match(out.profiles[0], { profile: { category: 'P06-010' }, standard: 'xzxk', sheets: [{ sheet: '', headerRow: 3, headerRows: 2 }], trial: { rows: 2, sent: 1, rejected: 1 } });
});

/** 全国教师资格信息系统-style .xlsx written by exceljs: a merged title row; no column for the required 发证机关统一社会信用代码 or 数据来源单位. */
async function teachersXlsx(dir: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2017年6月');
  ws.addRow(['资格证书信息（全国教师资格信息系统导出）']);
  ws.mergeCells('A1:F1');
  ws.addRow(['姓名', '证件号码', '资格名称', '取得（注册）日期', '发证机关', '备注']);
  ws.addRow(['张三', '420202199002154568', '高级中学教师资格', '2017年6月2日', '黄石市教育局', null]);
  ws.addRow(['李四', '420202199001011231', '初级中学教师资格', '2017.6.3', '黄石市教育局', null]);
  const file = join(dir, '教师资格_201706.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

/** A real .xls written by SheetJS: one sheet per month, a title row and a 合计 row in each; every required column there. */
function teachersXls(dir: string): string {
  const month = (day: string) => XLSX.utils.aoa_to_sheet([
    ['资格证书信息导出'],
    ['姓名', '证件号码', '资格名称', '取得（注册）日期', '发证机关', '发证机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码'],
    ['张三', '420202199002154568', '高级中学教师资格', `2017年6月${day}日`, '黄石市教育局', '91420200045FUX8H1K', '黄石市教育局', '91420200045FUX8H1K'],
    ['合计', '1 人'],
  ]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, month('2'), '5月');
  XLSX.utils.book_append_sheet(wb, month('3'), '6月');
  const file = join(dir, '教师资格.xls');
  writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xls' }) as Buffer);
  return file;
}

t.test('an .xlsx with a title row, written by exceljs: required fields it lacks are left to fill in, and the trial says the file would not be read yet', async (t) => {
  const run = await runCli(['profile', 'suggest', await teachersXlsx(t.testdir({})), '--category', 'P13-002']);
  t.equal(run.code, 0, run.stderr);
  const [profile] = parse(run.stdout) as Record<string, unknown>[];
  t.match(profile, {
    title: '资格证书信息（全国教师资格信息系统导出）',
    key: ['证件号码', '资格名称', '取得（注册）日期'],
    subject: { kind: 'natural', name: '姓名', code: '证件号码' },
    fields: { ZG_ZJHM: '证件号码', ZG_RQ: { column: '取得（注册）日期', date: 'any' }, ZG_JGDM: '<fill in: 发证机关统一社会信用代码>' },
  });
  t.match(run.stdout, /# 工作表“2017年6月”：表头在第 2 行/);
  t.match(run.stdout, /# Trial of \S+ on the sample \(nothing stored, nothing sent\): 0 data rows, 0 would be sent/);
  t.match(run.stdout, /#   FILE_COLUMN_MISSING × 3\n#     2017年6月!2 <fill in: 发证机关统一社会信用代码>: /);
});

t.test('a real .xls (Excel 97-2003) written by SheetJS: one sheet per month, a 合计 row', async (t) => {
  const run = await runCli(['profile', 'suggest', teachersXls(t.testdir({})), '--category', 'P13-002', '--json']);
  t.equal(run.code, 0, run.stderr);
  const [p] = JSON.parse(run.stdout).profiles;
  t.same(p.sheets.map((s: { sheet: string }) => s.sheet), ['5月', '6月'], 'both months in one profile');
  t.match(p.profile.fields, { ZG_ZTMC: '姓名', ZG_RQ: { column: '取得（注册）日期', date: 'zh' } });
  t.match(p.trial, { rows: 2, sent: 2, rejected: 0, notData: 2 });
});

t.test('the YAML printed, pasted under profiles: of a configuration, passes config check (CSV, .xlsx, .xls)', async (t) => {
  const dir = t.testdir({ '许可信息_20170605.csv': BOM + licencesCsv });
  const samples: [string, string][] = [
    [join(dir, '许可信息_20170605.csv'), 'P06-010'],
    [await teachersXlsx(dir), 'P13-002'],
    [teachersXls(dir), 'P13-002'],
  ];
  for (const [file, category] of samples) {
    const run = await runCli(['profile', 'suggest', file, '--category', category]);
    t.equal(run.code, 0, run.stderr);
    const config = join(dir, 'gateway.yaml');
    writeFileSync(config, [
      'gateway: { id: hs-test, department: 市食品药品监督管理局, dataDir: ./data }',
      'platform: { url: "http://127.0.0.1:9/", secretRef: platform }',
      'sources: []',
      'jobs: []',
      'profiles:',
      ...run.stdout.split('\n').map((l) => `  ${l}`),
    ].join('\n'));
    const check = await runCli(['config', 'check', config], { CREDIT_GATEWAY_SECRET_PLATFORM: 'platform-secret' });
    t.equal(check.code, 0, `${file}: ${check.stderr}`);
    t.match(check.stdout, /ok/);
  }
});

t.test('what cannot be proposed fails with a code and the exit status of its kind', async (t) => {
  const dir = t.testdir({ 'notes.csv': '说明,内容\r\n一,二\r\n', 'a.txt': 'x', 'export.csv': BOM + licencesCsv });
  const none = await runCli(['profile', 'suggest', join(dir, 'notes.csv')]);
  t.equal(none.code, 1);
  t.match(none.stderr, /^SUGGEST_NO_CATEGORY: /);
  const unknown = await runCli(['profile', 'suggest', join(dir, 'export.csv'), '--category', 'P99-999']);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /^SUGGEST_CATEGORY_UNKNOWN: /);
  const sheet = await runCli(['profile', 'suggest', join(dir, 'export.csv'), '--sheet', '数据']);
  t.equal(sheet.code, 1);
  t.match(sheet.stderr, /^SUGGEST_SHEET_UNKNOWN: /);
  const format = await runCli(['profile', 'suggest', join(dir, 'a.txt')]);
  t.equal(format.code, 2, 'the file cannot be read: a source problem');
  t.match(format.stderr, /^FILE_FORMAT_UNSUPPORTED: /);
  const missing = await runCli(['profile', 'suggest', join(dir, 'gone.csv')]);
  t.not(missing.code, 0);
});

t.test('with a configuration, the department\'s categories are the candidates and its name fills 数据来源单位', async (t) => {
  const dir = t.testdir({
    'export.csv': BOM + licencesCsv,
    'no-source.csv': BOM + licencesCsv.split('\r\n').map((l) => l.split(',').slice(0, 16).join(',')).join('\r\n'),
    'gateway.yaml': [
      'gateway: { id: hs-spj, department: 市食品药品监督管理局, dataDir: ./data }',
      'platform: { url: "http://127.0.0.1:9/", secretRef: platform }',
      'sources: []',
      'jobs: []',
    ].join('\n'),
  });
  const run = await runCli(['profile', 'suggest', join(dir, 'export.csv'), '--config', join(dir, 'gateway.yaml'), '--json']);
  t.equal(run.code, 0, run.stderr);
  const [p] = JSON.parse(run.stdout).profiles;
  t.match(p.profile.category, /^P06-/, 'one of 市食品药品监督管理局\'s categories');
  t.equal(p.profile.fields.XK_LYDW, '数据来源单位', 'a column the export has is used');
  const without = await runCli(['profile', 'suggest', join(dir, 'no-source.csv'), '--config', join(dir, 'gateway.yaml'), '--json']);
  t.equal(without.code, 0, without.stderr);
  t.same(JSON.parse(without.stdout).profiles[0].profile.fields.XK_LYDW, { const: '市食品药品监督管理局' }, 'else the department is the 数据来源单位');
});
