/**
 * Reading a sample export for `profile suggest`: opened as the drop folder
 * opens files (a plain file, no links), read by the same workbook reader,
 * every sheet held in memory up to a cap, the file closed whatever happens.
 * The only I/O of the suggest module.
 */
import { basename, dirname } from 'node:path';
import { FileError } from '../../../connectors/files/file-error.js';
import { DEFAULT_FILE_LIMITS } from '../../../connectors/files/limits.js';
import { openInFolder } from '../../../connectors/files/safe-open.js';
import { openWorkbook, type GridRow, type WorkbookFormat } from '../../../connectors/files/workbook.js';
import type { Sample, SampleSheet } from './sample.js';

/** Rows kept per sheet: a sample shows its shapes long before this, and memory stays bounded. */
export const SAMPLE_ROWS = 20_000;

const FORMATS: Record<string, WorkbookFormat> = { '.csv': 'csv', '.xlsx': 'xlsx', '.xls': 'xls', '.ndjson': 'ndjson' };

export function formatOf(name: string): WorkbookFormat {
  const dot = name.lastIndexOf('.');
  const format = dot < 0 ? undefined : FORMATS[name.slice(dot).toLowerCase()];
  if (!format) throw new FileError('FILE_FORMAT_UNSUPPORTED', { format: dot < 0 ? '(none)' : name.slice(dot) });
  return format;
}

export async function readSample(path: string, options: { maxRows?: number } = {}): Promise<Sample> {
  return readSampleIn(dirname(path), basename(path), options);
}

/** A file of `folder` by its plain name, opened as the drop folder opens files (no link, nothing outside the folder). */
export async function readSampleIn(folder: string, name: string, options: { maxRows?: number } = {}): Promise<Sample> {
  const maxRows = options.maxRows ?? SAMPLE_ROWS;
  const format = formatOf(name);
  const file = await openInFolder(folder, name);
  try {
    const workbook = await openWorkbook(file, format, { limits: DEFAULT_FILE_LIMITS });
    try {
      const sheets: SampleSheet[] = [];
      for (const info of workbook.sheets) {
        const grid = await workbook.sheet(info.index);
        const rows: GridRow[] = [];
        let cut = false;
        for await (const page of grid.rows()) {
          rows.push(...page.slice(0, maxRows - rows.length));
          if (rows.length >= maxRows) {
            cut = true;
            break;
          }
        }
        sheets.push({ info, hiddenColumns: grid.hiddenColumns, merges: grid.merges, rows, ...(cut ? { cut } : {}) });
      }
      return { fileName: name, format, sheets };
    } finally {
      await workbook.close();
    }
  } finally {
    await file.handle.close();
  }
}
