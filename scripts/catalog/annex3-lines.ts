/**
 * Reading one line of 附件3's table. The table came out of a PDF as
 * tab-separated cells, four columns: 序号, 数据提供单位, 类别, 对接频率. The
 * extraction is messy in a few known ways, each handled by a named function
 * below; a line that fits none of them is an error, never a guess.
 */
import { normaliseName } from '../../gateway/catalog/names.js';
import { CATALOG_FREQUENCIES } from '../../gateway/catalog/schedule.js';
import type { NoticeLine } from './notice-sections.js';

export interface CategoryCell {
  /** Normalised category name. */
  name: string;
  frequency: string;
}

export type Annex3Line =
  | { kind: 'skip'; line: number; why: 'page break' | 'title' | 'column header' }
  /** A provider's first line: its number and name, with its first category unless the line stands alone. */
  | { kind: 'provider'; line: number; seq: number; name: string; category: CategoryCell | null }
  | { kind: 'category'; line: number; category: CategoryCell };

/**
 * Rows are shifted: the same kind of row starts with zero, two or four empty
 * cells (`\t\t3\t市民政局…`, `\t\t\t\t行政处罚信息\t实时`, `个人处罚信息\t实时\t\t`),
 * because merged cells of the PDF table become a varying number of tabs.
 * Position in the line therefore means nothing; only the order of non-empty
 * cells does. This drops the leading and trailing empty cells.
 */
export function trimShiftedCells(cells: string[]): string[] {
  let start = 0;
  let end = cells.length;
  while (start < end && cells[start]!.trim() === '') start++;
  while (end > start && cells[end - 1]!.trim() === '') end--;
  return cells.slice(start, end).map((c) => c.trim());
}

/** A blank line is a page break of the PDF: it neither ends a provider nor a list. */
export function isPageBreak(cells: string[]): boolean {
  return cells.length === 0;
}

function isColumnHeader(cells: string[]): boolean {
  return cells[0] === '序号';
}

/** The table's title, the one single-cell line before the column header. */
function isTitle(cells: string[]): boolean {
  return cells.length === 1 && /数据项$/.test(cells[0]!);
}

function isProviderNumber(cell: string): boolean {
  return /^\d+$/.test(cell);
}

function frequencyCell(cell: string, line: number): string {
  // The gateway must be able to schedule every frequency the catalog states; the notice itself only uses 实时.
  if (!CATALOG_FREQUENCIES.includes(cell)) {
    throw new Error(`附件3 line ${line}: "${cell}" is not a frequency (expected one of ${CATALOG_FREQUENCIES.join(', ')})`);
  }
  return cell;
}

function categoryCell(name: string, frequency: string, line: number): CategoryCell {
  return { name: normaliseName(name), frequency: frequencyCell(frequency, line) };
}

/**
 * Some providers' number and name stand alone on their line
 * (`\t\t9\t市城乡建设委员会`), and their categories follow on lines of their
 * own; for most, the first category shares the provider's line.
 */
function providerLineWithoutCategory(cells: string[]): boolean {
  return cells.length === 2 && isProviderNumber(cells[0]!);
}

function providerLineWithCategory(cells: string[]): boolean {
  return cells.length === 4 && isProviderNumber(cells[0]!);
}

/** A category row: name and frequency, whatever the indentation. */
function categoryLine(cells: string[]): boolean {
  return cells.length === 2 && !isProviderNumber(cells[0]!);
}

/** Classifies one line of 附件3; throws on a line of unknown shape. */
export function readAnnex3Line({ line, text }: NoticeLine): Annex3Line {
  const cells = trimShiftedCells(text.split('\t'));
  if (isPageBreak(cells)) return { kind: 'skip', line, why: 'page break' };
  if (isColumnHeader(cells)) return { kind: 'skip', line, why: 'column header' };
  if (isTitle(cells)) return { kind: 'skip', line, why: 'title' };
  if (cells.some((c) => c === '')) {
    throw new Error(`附件3 line ${line}: an empty cell between filled ones: ${JSON.stringify(text)}`);
  }
  if (providerLineWithoutCategory(cells)) {
    return { kind: 'provider', line, seq: Number(cells[0]), name: normaliseName(cells[1]!), category: null };
  }
  if (providerLineWithCategory(cells)) {
    return {
      kind: 'provider', line, seq: Number(cells[0]), name: normaliseName(cells[1]!),
      category: categoryCell(cells[2]!, cells[3]!, line),
    };
  }
  if (categoryLine(cells)) return { kind: 'category', line, category: categoryCell(cells[0]!, cells[1]!, line) };
  throw new Error(`附件3 line ${line}: not a provider or category row: ${JSON.stringify(text)}`);
}
