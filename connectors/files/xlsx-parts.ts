/**
 * The parts of an XLSX workbook every reader needs, parsed once: the
 * archive judged (zip-guard.ts), then exceljs's part parsers driven one
 * part after another — relationships, workbook (sheet list, 1904 system),
 * styles (to tell dates from numbers), shared strings — straight from
 * yauzl's streams. Sheets are streamed later, one at a time.
 *
 * exceljs's WorkbookReader would find parts by scanning local zip headers,
 * and park sheets in temp files when the shared strings come later in the
 * archive (as Excel writes them); driving its part parsers ourselves keeps
 * the checked central directory the only map of the file, and needs no
 * temp files. Those parsers are exceljs internals, so the subset used is
 * typed here, and the XLSX tests pin it.
 */
import type { FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { FileError } from './file-error.js';
import type { FileLimits } from './limits.js';
import { CJK_BUILTIN_FORMATS } from './number-formats.js';
import { CheckedZip, zipFailure } from './zip-guard.js';

export interface SheetFacts {
  id: number;
  name: string;
  rId: string;
  state?: string;
}

/** The exceljs internals driven here: WorkbookReader's part parsers and what they leave behind. */
interface PartParsers {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<SheetRow> }>;
  model?: { sheets?: SheetFacts[] };
  workbookRels?: { Id: string; Target: string }[];
  styles?: { index?: { numFmt?: Record<number, string> } };
}

export interface SheetRow {
  number: number;
  /** 1-based: values[1] is column A; holes for empty cells. */
  values: unknown[];
}

export interface XlsxParts {
  readonly zip: CheckedZip;
  /** In tab order. */
  readonly sheets: readonly SheetFacts[];
  /** The sheet's part name in the archive (xl/worksheets/sheet1.xml), or null when the workbook points nowhere. */
  partOf(sheet: SheetFacts): string | null;
  /** The sheet's rows as exceljs parses them from the part stream, which stays the caller's to destroy. */
  rowsOf(sheet: SheetFacts, part: Readable): AsyncIterator<SheetRow>;
  close(): void;
}

export async function openXlsxParts(file: { handle: FileHandle; size: number }, limits: FileLimits): Promise<XlsxParts> {
  const zip = await CheckedZip.open(file.handle, file.size, limits.zip);
  try {
    // Loaded on first use: exceljs takes ~0.4 s to import, which every command and gateway start would pay.
    const { default: ExcelJS } = await import('exceljs');
    const parsers = new ExcelJS.stream.xlsx.WorkbookReader(null as unknown as Readable, {
      sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
    }) as unknown as PartParsers;
    if (!zip.has('xl/workbook.xml') || !zip.has('xl/_rels/workbook.xml.rels')) {
      throw new FileError('FILE_XLSX_INVALID', { problem: 'no workbook part' });
    }
    await parsers._parseRels(await zip.read('xl/_rels/workbook.xml.rels'));
    await parsers._parseWorkbook(await zip.read('xl/workbook.xml'));
    if (zip.has('xl/styles.xml')) await parsers._parseStyles(await zip.read('xl/styles.xml'));
    addChineseBuiltinFormats(parsers);
    if (zip.has('xl/sharedStrings.xml')) {
      for await (const _ of parsers._parseSharedStrings(await zip.read('xl/sharedStrings.xml'))) void _;
    }
    const partOf = (sheet: SheetFacts): string | null => {
      const target = parsers.workbookRels?.find((r) => r.Id === sheet.rId)?.Target;
      if (!target) return null;
      return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
    };
    return {
      zip,
      sheets: parsers.model?.sheets ?? [],
      partOf,
      rowsOf(sheet, part) {
        const partName = partOf(sheet) ?? '';
        const sheetNo = /(\d+)\.xml$/i.exec(partName)?.[1] ?? '1';
        const emitted = parsers._parseWorksheet(part, sheetNo).next();
        if (emitted.done) throw new FileError('FILE_XLSX_INVALID', { problem: 'worksheet not readable' });
        return emitted.value.value[Symbol.asyncIterator]();
      },
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw zipFailure(err);
  }
}

/**
 * exceljs knows only the locale-neutral built-in formats: a cell styled with
 * format 31 (年月日, written by Excel and WPS in Chinese) would read as a bare
 * day serial. Filled in where the workbook did not define the id itself.
 */
function addChineseBuiltinFormats(parsers: PartParsers): void {
  const index = parsers.styles?.index;
  if (!index) return;
  index.numFmt ??= {};
  for (const [id, format] of Object.entries(CJK_BUILTIN_FORMATS)) index.numFmt[Number(id)] ??= format;
}
