/**
 * A category's template as `credit-gateway template` writes it, filled in as
 * a clerk does in Excel: rows typed into 数据 under the Chinese headers.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { loadCatalog } from '../../gateway/catalog/index.js';
import { loadStandards } from '../../gateway/standards/index.js';
import { DATA_SHEET, writeTemplate } from '../../gateway/templates/index.js';

export async function fillTemplate(dir: string, code: string, rows: readonly Record<string, string>[], name: string): Promise<string> {
  const category = loadCatalog().byCode(code)!;
  const written = await writeTemplate({ category, standard: loadStandards().standardFor(category), dir, overwrite: true });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(written.file);
  const sheet = wb.getWorksheet(DATA_SHEET)!;
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  rows.forEach((row, i) => {
    const r = sheet.getRow(i + 2);
    headers.forEach((header, c) => {
      if (row[header] !== undefined) r.getCell(c + 1).value = row[header]!;
    });
    r.commit();
  });
  const out = join(dir, name);
  await wb.xlsx.writeFile(out);
  return out;
}
