/**
 * Real writers for the corpus: xlwt (Python, as many national systems'
 * back ends export .xls), SheetJS (.xls BIFF8 and .xlsx), exceljs (.xlsx),
 * WPS (exceljs's parts rewritten as WPS 表格 saves them) and CSV.
 */
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeCsv } from './csv.js';
import { isDateCell, type Cell, type Grid, type Writer } from './spec.js';
import { wpsRewrite } from './wps.js';
import { besideTest } from '../beside.js';

export const PYTHON = '/usr/bin/python3';
const XLWT_SCRIPT = besideTest(import.meta.url, './write-xls.py');

/** Days since 1899-12-30: Excel's 1900 date system, as every writer here stores a date. */
export function excelSerial(isoDay: string): number {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

export async function writeWorkbook(path: string, writer: Writer, grids: Grid[]): Promise<void> {
  switch (writer) {
    case 'xlwt-xls': return writeXlwt(path, grids);
    case 'sheetjs-xls': return writeFileSync(path, sheetjs(grids, 'xls'));
    case 'sheetjs-xlsx': return writeFileSync(path, sheetjs(grids, 'xlsx'));
    case 'exceljs-xlsx': return writeFileSync(path, await exceljs(grids));
    case 'wps-xlsx': return writeFileSync(path, await wpsRewrite(await exceljs(grids)));
    case 'csv-gbk':
    case 'csv-utf8-bom':
      if (grids.length !== 1) throw new Error('a CSV has one sheet');
      return writeFileSync(path, writeCsv(grids[0]!, writer === 'csv-gbk' ? 'gbk' : 'utf8-bom'));
  }
}

function writeXlwt(path: string, grids: Grid[]): void {
  const sheets = grids.map((g) => ({
    name: g.name,
    hidden: g.hidden,
    rows: g.rows,
    merges: g.merges.map((m) => [m.top, m.bottom, m.left, m.right]),
    hiddenColumns: g.hiddenColumns,
  }));
  const run = spawnSync(PYTHON, [XLWT_SCRIPT], { input: JSON.stringify({ path, sheets }), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`xlwt failed (${run.status}): ${run.stderr || run.error?.message}`);
}

function sheetjsCell(cell: Cell): XLSX.CellObject | null {
  if (cell === null) return null;
  if (isDateCell(cell)) return { t: 'n', v: excelSerial(cell.date), z: cell.format ?? 'yyyy-mm-dd' };
  return typeof cell === 'number' ? { t: 'n', v: cell } : { t: 's', v: cell };
}

function sheetjs(grids: Grid[], bookType: 'xls' | 'xlsx'): Buffer {
  const wb = XLSX.utils.book_new();
  for (const g of grids) {
    const ws: XLSX.WorkSheet = {};
    let right = 0;
    g.rows.forEach((row, r) => row.forEach((cell, c) => {
      const value = sheetjsCell(cell);
      if (value) ws[XLSX.utils.encode_cell({ r, c })] = value;
      right = Math.max(right, c);
    }));
    ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: Math.max(g.rows.length - 1, 0), c: right } });
    ws['!merges'] = g.merges.map((m) => ({ s: { r: m.top, c: m.left }, e: { r: m.bottom, c: m.right } }));
    if (g.hiddenColumns.length) ws['!cols'] = Array.from({ length: right + 1 }, (_, c) => (g.hiddenColumns.includes(c) ? { hidden: true } : {}));
    XLSX.utils.book_append_sheet(wb, ws, g.name);
  }
  wb.Workbook = { Sheets: grids.map((g) => ({ Hidden: g.hidden ? 1 : 0 })) };
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}

async function exceljs(grids: Grid[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Administrator';
  for (const g of grids) {
    const ws = wb.addWorksheet(g.name, g.hidden ? { state: 'hidden' } : {});
    g.rows.forEach((row, r) => row.forEach((cell, c) => {
      if (cell === null) return;
      const target = ws.getCell(r + 1, c + 1);
      if (isDateCell(cell)) {
        const [y, m, d] = cell.date.split('-').map(Number) as [number, number, number];
        target.value = new Date(Date.UTC(y, m - 1, d));
        target.numFmt = cell.format ?? 'yyyy-mm-dd';
      } else target.value = cell;
    }));
    for (const m of g.merges) ws.mergeCells(m.top + 1, m.left + 1, m.bottom + 1, m.right + 1);
    for (const c of g.hiddenColumns) ws.getColumn(c + 1).hidden = true;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
