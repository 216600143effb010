import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { FileRow, FileTable } from '../../../connectors/files/file-table.js';
import { fileLimits, type FileLimits } from '../../../connectors/files/limits.js';
import type { DropFormat } from '../../../connectors/files/naming.js';
import { openTable } from '../../../connectors/files/open-table.js';
import { openInFolder, type OpenedFile } from '../../../connectors/files/safe-open.js';
import { openWorkbook, type Workbook, type WorkbookFormat } from '../../../connectors/files/workbook.js';
import { besideTest } from '../../helpers/beside.js';

export const fixture = (name: string) => besideTest(import.meta.url, `../../fixtures/files/${name}`);

/** A folder holding the given files (fixtures by name, or bytes). */
export function folderWith(t: Test, files: Record<string, string | Buffer | { fixture: string }>): string {
  const dir = t.testdir({});
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'object' && !Buffer.isBuffer(content)) copyFileSync(fixture(content.fixture), join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Opens `name` in `dir` as a table and closes file and table when the test ends. */
export async function table(
  t: Test,
  dir: string,
  name: string,
  format: DropFormat,
  options: { limits?: FileLimits; pageSize?: number; sheet?: string; headerRow?: number } = {},
): Promise<FileTable> {
  const file: OpenedFile = await openInFolder(dir, name);
  t.teardown(() => file.handle.close());
  const opened = await openTable(file, format, { limits: fileLimits(), pageSize: 100, ...options });
  t.teardown(() => opened.close());
  return opened;
}

export async function allRows(table: FileTable): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  for await (const page of table.pages()) rows.push(...page);
  return rows;
}

/** Plain objects, so tap's `same` compares them regardless of their null prototype. */
export function plain(rows: FileRow[]): { rowNumber: number; values: Record<string, unknown>; problems: string[] }[] {
  return rows.map((r) => ({ rowNumber: r.rowNumber, values: { ...r.values }, problems: r.problems.map((p) => p.code) }));
}

/** What a refusal looks like to the gateway: its code and facts. */
export async function refusal(promise: Promise<unknown>): Promise<{ code: string; params: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; params?: Record<string, unknown> };
    return { code: e.code, params: { ...e.params } };
  }
  throw new Error('expected a refusal');
}

/** Opens `name` in `dir` as a workbook and closes file and workbook when the test ends. */
export async function workbook(t: Test, dir: string, name: string, format: WorkbookFormat, options: { limits?: FileLimits; pageSize?: number } = {}): Promise<Workbook> {
  const file: OpenedFile = await openInFolder(dir, name);
  t.teardown(() => file.handle.close());
  const opened = await openWorkbook(file, format, { limits: fileLimits(), pageSize: 100, ...options });
  t.teardown(() => opened.close());
  return opened;
}

/** Every row of one sheet, as plain data: row number, cells, refused cells as `column:code`, and hidden rows marked. */
export async function sheetRows(book: Workbook, index: number): Promise<{ row: number; cells: unknown[]; problems?: string[]; hidden?: true }[]> {
  const grid = await book.sheet(index);
  const rows: { row: number; cells: unknown[]; problems?: string[]; hidden?: true }[] = [];
  for await (const page of grid.rows()) {
    for (const r of page) {
      rows.push({
        row: r.rowNumber,
        cells: [...r.cells],
        ...(r.problems.length > 0 ? { problems: r.problems.map((p) => `${p.column}:${p.problem.code}`) } : {}),
        ...(r.hidden ? { hidden: true as const } : {}),
      });
    }
  }
  return rows;
}
