/** Workbooks for the XLSX tests, made with exceljs as a clerk's Excel would save them. */
import ExcelJS from 'exceljs';

export const HEADERS = ['行政处罚决定书文号', '相对人名称', '统一社会信用代码', '处罚决定日期', '罚款金额（万元）'];

/**
 * A filled-in template: a notes sheet first, then 数据 with one row of each
 * kind of cell the readers must handle, then a hidden code table.
 */
export async function filledTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('填写说明').addRow(['请在“数据”表中填写，每行一条记录']);
  const ws = wb.addWorksheet('数据');
  ws.addRow(HEADERS);
  ws.getColumn(4).numFmt = 'yyyy-mm-dd';
  ws.addRow(['黄人社监罚〔2026〕1号', '黄石市甲贸易有限公司', '91420200045FUX8H1K', new Date(Date.UTC(2026, 10, 5)), 1.5]);
  ws.addRow(['黄人社监罚〔2026〕2号', { richText: [{ text: '黄石市', font: { bold: true } }, { text: '乙餐饮有限公司' }] }, '9142020010UP4A1B07', 46332, null]);
  ws.addRow(['黄人社监罚〔2026〕3号', '黄石市丙建筑有限公司', '9142020024TAJQBP0R', '2026-11-07', { formula: 'B2*2', result: 3 }]);
  ws.addRow([]);
  ws.addRow(['黄人社监罚〔2026〕4号', '黄石市丁有限公司', 420102199001011236, '2026-11-08', { error: '#N/A' }]);
  // Formatted, empty rows below the data, as a template with validations has.
  for (let r = 7; r <= 200; r++) for (let c = 1; c <= HEADERS.length; c++) ws.getCell(r, c).numFmt = '@';
  const codes = wb.addWorksheet('代码表', { state: 'hidden' });
  codes.addRow(['罚款', '警告']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A workbook with the given sheets, each a list of rows. */
export async function workbook(sheets: Record<string, unknown[][]>, options: { hidden?: string[] } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name, options.hidden?.includes(name) ? { state: 'hidden' } : {});
    for (const row of rows) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
