import { FileError } from './file-error.js';
import type { FileLimits } from './limits.js';
import type { OpenedFile } from './safe-open.js';
import type { Workbook } from './workbook.js';

export async function openXlsxWorkbook(_file: OpenedFile, _options: { limits: FileLimits; pageSize: number }): Promise<Workbook> {
  throw new FileError('FILE_FORMAT_UNSUPPORTED', { format: 'xlsx' });
}
