/**
 * Sample exports for `profile suggest`, written the way the systems write
 * them (exceljs for .xlsx, SheetJS for a real .xls), shared by the CLI tests
 * and the status page's 生成导出方案 test.
 */
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BOM = '\uFEFF';

/**
 * 湖北省食品药品监管信息化业务平台-style CSV: a title, an export time, a two-row header (行政相对人代码 over its codes), a 合计 row.
 * The second data row's credit code is invalid on purpose (its check character is B, not C): the trial refuses it.
 */
export const licencesCsv = [
  '行政许可信息导出' + ','.repeat(17),
  '导出时间：2017-06-05' + ','.repeat(17),
  '行政相对人名称,行政相对人类别,行政相对人代码,,,法定代表人,行政许可决定文书名称,行政许可决定文书号,许可类别,许可内容,许可决定日期,有效期自,有效期至,许可机关,许可机关统一社会信用代码,当前状态,数据来源单位,数据来源单位统一社会信用代码',
  ',,统一社会信用代码,组织机构代码,工商注册号' + ','.repeat(13),
  '黄石市某某药房,法人及非法人组织,91420200045FUX8H1K,,,赵六,药品经营许可证,鄂食药许〔2017〕1号,普通,药品零售,2017-06-02,2017-06-02,2022-06-01,黄石市食品药品监督管理局,91420200846J0URW7B,有效,黄石市食品药品监督管理局,91420200846J0URW7B',
  '黄石市某某诊所,法人及非法人组织,91420200846J0URW7C,,,钱七,药品经营许可证,鄂食药许〔2017〕2号,普通,药品零售,2017-06-03,2017-06-03,2022-06-02,黄石市食品药品监督管理局,91420200846J0URW7B,有效,黄石市食品药品监督管理局,91420200846J0URW7B',
  '合计,2' + ','.repeat(16),
].join('\r\n');

/** 全国教师资格信息系统-style .xlsx written by exceljs: a merged title row; no column for the required 发证机关统一社会信用代码 or 数据来源单位. */
export async function teachersXlsx(dir: string): Promise<string> {
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
export function teachersXls(dir: string): string {
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

/** The rows of a 行政处罚 export holding both kinds of subject: companies with a 统一社会信用代码, people with a 身份证号 (证件号码), each with the other blank. */
const penaltiesMixed = [
  ['行政相对人名称', '行政相对人类别', '统一社会信用代码', '法定代表人', '证件号码', '行政处罚决定书文号', '违法行为类型', '违法事实', '处罚依据', '处罚类别', '处罚内容', '罚款金额（万元）', '处罚决定日期', '处罚有效期', '处罚机关', '处罚机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码'],
  ['黄石市甲贸易有限公司', '法人及非法人组织', '91420200045FUX8H1K', '王经理', '', '黄人社监罚〔2017〕1号', '未按规定参加社会保险', '未为职工办理社会保险登记', '《社会保险法》第八十四条', '罚款', '罚款人民币伍仟元整', '0.5', '2017-06-02', '2018-06-01', '黄石市人力资源和社会保障局', '11420200011079463Y', '黄石市人力资源和社会保障局', '11420200011079463Y'],
  ['李四', '自然人', '', '', '420202199001011231', '黄人社监罚〔2017〕2号', '骗取社会保险待遇', '冒领失业保险金', '《社会保险法》第八十八条', '罚款', '罚款人民币贰仟元整', '0.2', '2017-06-03', '2018-06-02', '黄石市人力资源和社会保障局', '11420200011079463Y', '黄石市人力资源和社会保障局', '11420200011079463Y'],
  ['黄石市丙建筑有限公司', '法人及非法人组织', '9142020024TAJQBP0R', '赵经理', '', '黄人社监罚〔2017〕3号', '未按规定参加社会保险', '未为职工办理社会保险登记', '《社会保险法》第八十四条', '罚款', '罚款人民币壹万元整', '1', '2017-06-05', '2018-06-04', '黄石市人力资源和社会保障局', '11420200011079463Y', '黄石市人力资源和社会保障局', '11420200011079463Y'],
  ['王五', '自然人', '', '', '420202198503120046', '黄人社监罚〔2017〕4号', '骗取社会保险待遇', '冒领养老保险金', '《社会保险法》第八十八条', '罚款', '罚款人民币叁仟元整', '0.3', '2017-06-06', '2018-06-05', '黄石市人力资源和社会保障局', '11420200011079463Y', '黄石市人力资源和社会保障局', '11420200011079463Y'],
];

/** The mixed 行政处罚 export as a CSV (UTF-8 with BOM, as the system writes it). */
export function penaltiesMixedCsv(dir: string): string {
  const file = join(dir, '行政处罚_201706.csv');
  writeFileSync(file, BOM + penaltiesMixed.map((r) => r.join(',')).join('\r\n') + '\r\n');
  return file;
}

/** The same export as an .xlsx written by exceljs, the code columns as text. */
export async function penaltiesMixedXlsx(dir: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('处罚信息');
  for (const row of penaltiesMixed) ws.addRow(row.map((v) => (v === '' ? null : v)));
  const file = join(dir, '行政处罚_201706.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}
