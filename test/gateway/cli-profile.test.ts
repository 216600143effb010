import t from 'tap';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { BOM, licencesCsv, penaltiesMixedCsv, penaltiesMixedXlsx, teachersXls, teachersXlsx } from '../helpers/profile-samples.js';

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
  const help = await runCli(['profile', 'suggest', '--help']);
  t.match(help.stdout, /--json prints one object:[\s\S]*trial {2,}the sample read with the profile as the drop folder reads it/, 'the help says what the JSON holds');
});

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

t.test('an export of companies and people, a credit-code and an ID-number column: both proposed as the subject\'s code, and every row of the sample would be sent', async (t) => {
  const dir = t.testdir({});
  for (const file of [penaltiesMixedCsv(dir), await penaltiesMixedXlsx(dir)]) {
    const run = await runCli(['profile', 'suggest', file, '--category', 'P07-002']);
    t.equal(run.code, 0, run.stderr);
    const [profile] = parse(run.stdout) as Record<string, unknown>[];
    t.match(profile, {
      subject: { kind: { column: '行政相对人类别', values: { 法人及非法人组织: 'legal', 自然人: 'natural' } }, name: '行政相对人名称', code: ['统一社会信用代码', '证件号码'] },
      fields: { CF_XDR_SHXYM: '统一社会信用代码', CF_XDR_ZJHM: '证件号码', CF_XDR_ZJLX: { column: '行政相对人类别', codes: { 自然人: '身份证', 法人及非法人组织: '' } } },
    });
    t.notOk('key' in profile!, 'no key naming one of the code columns');
    t.match(run.stdout, /# 法人和个体工商户的代码在“统一社会信用代码”列，自然人的证件号码在“证件号码”列：每行取其中填写了的一列/);
    t.match(run.stdout, /# Trial of \S+ on the sample \(nothing stored, nothing sent\): 4 data rows, 4 would be sent, 0 rejected/, `${file}: companies and people alike`);
  }
});
