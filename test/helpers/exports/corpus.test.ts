/**
 * The corpus checks itself, independently of the gateway's readers: each
 * file is what its writer claims (a real BIFF8 .xls, a WPS-marked .xlsx, GBK
 * bytes), every row lies where the expectations say, and every shape of
 * issue 13 point 2 occurs at least once.
 */
import t, { type Test } from 'tap';
import * as XLSX from '@e965/xlsx';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCreditCode } from '../../../gateway/identifiers/credit-code.js';
import { checkIdCard } from '../../../gateway/identifiers/id-card.js';
import { buildCorpus, expectedOutcome, travelling, type BuiltExport } from './corpus.js';
import { layout, twoRowHeader } from './layout.js';
import { isDateCell, type Cell, type ExportSpec } from './spec.js';
import { excelSerial } from './writers.js';
import { unzip, WPS_BUILD } from './wps.js';

const GW = 'hs-test';

function sheetjsValue(cell: Cell): unknown {
  if (cell === null) return undefined;
  return isDateCell(cell) ? excelSerial(cell.date) : cell;
}

/** The cells of a CSV line as written (the corpus writes no quoted commas in these rows). */
function csvRows(path: string, encoding: 'gbk' | 'utf-8'): string[][] {
  const bytes = readFileSync(path);
  const text = new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
  return text.split('\r\n').slice(0, -1).map((line) => line.split(','));
}

t.test('the corpus: twelve exports or more, each written by its real writer', async (t) => {
  const dir = t.testdir({ october: {}, november: {} });
  const month0 = await buildCorpus(join(dir, 'october'), 0);
  const month1 = await buildCorpus(join(dir, 'november'), 1);
  t.ok(month0.length >= 12, `${month0.length} exports`);
  t.same(new Set(month0.map((b) => b.spec.writer)), new Set(['xlwt-xls', 'sheetjs-xls', 'sheetjs-xlsx', 'exceljs-xlsx', 'wps-xlsx', 'csv-gbk', 'csv-utf8-bom']), 'every writer is used');
  t.equal(month0.filter((b) => /^[A-Z]\d{2}-\d{3}/.test(b.spec.file)).length, 0, 'no file is named with a category code');

  const hasFile = spawnSync('file', ['--version']).status === 0;
  for (const built of month0) {
    t.test(built.spec.file, async (t) => {
      const kind = hasFile ? spawnSync('file', ['-b', built.path], { encoding: 'utf8' }).stdout : '';
      if (built.path.endsWith('.xls')) {
        if (hasFile) t.match(kind, /CDFV2|Composite Document File V2/, 'an OLE2 compound file, not a renamed .xlsx');
        t.equal(readFileSync(built.path).subarray(0, 4).toString('hex'), 'd0cf11e0', 'the OLE2 signature');
      } else if (built.path.endsWith('.xlsx')) {
        t.equal(readFileSync(built.path).subarray(0, 2).toString(), 'PK', 'a zip package');
      }
      if (built.spec.writer.startsWith('csv')) checkCsv(t, built);
      else checkWorkbook(t, built);
      checkIdentifiers(t, built.spec);
    });
  }

  t.test('the WPS file carries the marks WPS 表格 writes', async (t) => {
    const wps = month0.find((b) => b.spec.writer === 'wps-xlsx')!;
    const parts = await unzip(readFileSync(wps.path));
    t.match(parts.get('docProps/app.xml')!.toString(), /<Application>WPS 表格<\/Application>/);
    t.match(parts.get('docProps/custom.xml')!.toString(), new RegExp(`name="KSOProductBuildVer"><vt:lpwstr>${WPS_BUILD.replace(/\./g, '\\.')}<`));
    const styles = parts.get('xl/styles.xml')!.toString();
    t.match(styles, /<xf numFmtId="31" /, 'yyyy"年"m"月"d"日" by its built-in id');
    t.match(styles, /<xf numFmtId="14" /, 'yyyy/m/d by its built-in id');
    t.notMatch(styles, /formatCode="[^"]*年/, 'no format of its own for the CJK dates');
    t.match(parts.get('[Content_Types].xml')!.toString(), /\/docProps\/custom\.xml/);
  });

  t.test('next month: the same exports with a few rows changed or added, the rest as before', async (t) => {
    month0.forEach((built, i) => {
      const before = expectedOutcome(built.spec, GW);
      const after = expectedOutcome(month1[i]!.spec, GW);
      const moving = travelling(before, after);
      t.ok(moving.length >= 1 && moving.length < after.records.length, `${built.spec.file}: ${moving.length} of ${after.records.length} travel again`);
    });
  });

  t.test('every shape of issue 13 point 2 occurs', async (t) => {
    const specs = month0.map((b) => b.spec);
    const sheets = specs.flatMap((s) => s.sheets);
    const cells = sheets.flatMap((s) => s.rows.flatMap((r) => Object.values(r.cells)));
    const texts = cells.filter((c): c is string => typeof c === 'string');
    const good = sheets.flatMap((s) => s.rows.filter((r) => 'good' in r.expect));
    const shapes: Record<string, boolean> = {
      'title rows above the header': sheets.some((s) => (s.above?.length ?? 0) > 0),
      '合计 below the data': sheets.some((s) => s.below?.some((r) => String(r[0] ?? '').startsWith('合计'))),
      '注 below the data': sheets.some((s) => s.below?.some((r) => String(r[0] ?? '').startsWith('注'))),
      'a two-row header with 行政相对人代码 merged over its sub-columns': sheets.some((s) => twoRowHeader(s.header) && s.header.some((h) => typeof h !== 'string' && h.group === '行政相对人代码')),
      'hidden columns': sheets.some((s) => (s.hiddenColumns?.length ?? 0) > 0),
      'a hidden sheet': sheets.some((s) => s.hidden),
      'a sheet per month': specs.some((s) => s.sheets.filter((x) => x.profile && /月$/.test(x.name)).length >= 2),
      'a sheet per category': specs.some((s) => new Set(s.sheets.map((x) => x.profile).filter(Boolean)).size >= 2),
      'codes typed as numbers (exact)': good.some((r) => Object.values(r.cells).some((c) => typeof c === 'number' && Number.isSafeInteger(c) && c >= 1e9)),
      'an ID typed as a number (precision lost, refused)': sheets.some((s) => s.rows.some((r) => 'bad' in r.expect && r.expect.bad.code === 'FILE_NUMBER_PRECISION')),
      'dates as serials': cells.some(isDateCell),
      'dates as 2017.6.2': texts.some((c) => /^\d{4}\.\d{1,2}\.\d{1,2}$/.test(c)),
      'dates as 2017年6月2日': texts.some((c) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(c)),
      'dates as 20170602': texts.some((c) => /^(19|20)\d{6}$/.test(c)),
      'full-width digits and letters': texts.some((c) => /[０-９]/.test(c)) && texts.some((c) => /[Ａ-Ｚ]/.test(c)),
      'stray spaces': texts.some((c) => /^ | $/.test(c)),
      'ideographic spaces': texts.some((c) => c.includes('\u3000')),
      'an invalid credit code': sheets.some((s) => s.rows.some((r) => 'bad' in r.expect && r.expect.bad.code === 'CREDIT_CODE_CHECK')),
      'a missing required value': sheets.some((s) => s.rows.some((r) => 'bad' in r.expect && r.expect.bad.code === 'FIELD_REQUIRED')),
      'a bad date': sheets.some((s) => s.rows.some((r) => 'bad' in r.expect && r.expect.bad.code === 'DATE_INVALID')),
      'a file matched by its headers only': specs.some((s) => s.profiles.some((p) => !p.match.name)),
      'a returned file': specs.some((s) => s.profiles.some((p) => p.origin === 'returned')),
      'a file of the department\'s own': specs.some((s) => s.profiles.some((p) => p.origin === 'own')),
    };
    for (const [shape, present] of Object.entries(shapes)) t.ok(present, shape);
  });
});

/** Read back with SheetJS: sheets, hidden flags, merges, hidden columns, and each data row where its row number says. */
function checkWorkbook(t: Test, built: BuiltExport): void {
  const wb = XLSX.read(readFileSync(built.path), { type: 'buffer', cellStyles: true, cellNF: true, cellDates: false });
  t.same(wb.SheetNames, built.spec.sheets.map((s) => s.name), 'the sheets in tab order');
  for (const [i, sheet] of built.spec.sheets.entries()) {
    const grid = layout(sheet);
    const ws = wb.Sheets[sheet.name]!;
    t.equal(Boolean(wb.Workbook?.Sheets?.[i]?.Hidden), grid.hidden, `${sheet.name}: hidden ${grid.hidden}`);
    if (grid.merges.length) {
      const merges = (ws['!merges'] ?? []).map((m) => `${m.s.r},${m.e.r},${m.s.c},${m.e.c}`).sort();
      t.same(merges, grid.merges.map((m) => `${m.top},${m.bottom},${m.left},${m.right}`).sort(), `${sheet.name}: merges`);
    }
    for (const c of grid.hiddenColumns) t.equal(ws['!cols']?.[c]?.hidden, true, `${sheet.name}: column ${grid.columns[c]} hidden`);
    grid.dataRowNumbers.forEach((rowNumber, r) => {
      const row = sheet.rows[r]!;
      const shown = grid.columns.map((_, c) => ws[XLSX.utils.encode_cell({ r: rowNumber - 1, c })]?.v);
      t.same(shown, grid.columns.map((col) => sheetjsValue(row.cells[col] ?? null)), `${sheet.name}!${rowNumber}`);
      grid.columns.forEach((col, c) => {
        const cell = row.cells[col];
        // SheetJS knows no zh-CN built-ins (ids 27-36, 50-58): the WPS styles are checked on their own.
        if (cell && isDateCell(cell) && built.spec.writer !== 'wps-xlsx') t.ok(XLSX.SSF.is_date(ws[XLSX.utils.encode_cell({ r: rowNumber - 1, c })]!.z as string), `${sheet.name}!${rowNumber} ${col} is date-formatted`);
      });
    });
  }
}

function checkCsv(t: Test, built: BuiltExport): void {
  const gbk = built.spec.writer === 'csv-gbk';
  const bytes = readFileSync(built.path);
  if (gbk) t.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'GBK bytes are no UTF-8');
  else t.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf', 'a UTF-8 BOM');
  const rows = csvRows(built.path, gbk ? 'gbk' : 'utf-8');
  const sheet = built.spec.sheets[0]!;
  const grid = layout(sheet);
  grid.dataRowNumbers.forEach((rowNumber, r) => {
    t.same(rows[rowNumber - 1], grid.columns.map((c) => String(sheet.rows[r]!.cells[c] ?? '')), `line ${rowNumber}`);
  });
}

/** Good rows carry identifiers the gateway accepts once half-width; the bad ones fail for the reason given. */
function checkIdentifiers(t: Test, spec: ExportSpec): void {
  for (const r of expectedOutcome(spec, GW).records) {
    const code = r.subject?.code;
    if (!code) continue;
    const result = r.subject!.kind === 'natural' ? checkIdCard(code) : checkCreditCode(code);
    t.ok(result.ok, `${r.sheet}!${r.rowNumber}: ${code} is valid`);
  }
}
