/**
 * The drop-folder connector: file names, formats, encodings and the folder
 * watcher. It knows nothing of the catalog, the store or the platform: it
 * hands out ready file names and reads files as pages of plain rows.
 */
export { FolderWatcher, dropFolders } from './folder-watcher.js';
export type { DropFolders, FolderWatcherOptions } from './folder-watcher.js';
export { classifyName, safeName, MAX_NAME_LENGTH } from './naming.js';
export type { DropFormat, NameVerdict } from './naming.js';
export { openInFolder, readBytes, unchangedSince } from './safe-open.js';
export type { OpenedFile } from './safe-open.js';
export { openTable } from './open-table.js';
export type { TableOptions } from './open-table.js';
export type { FileRow, FileTable, RowProblem, RowProblemCode } from './file-table.js';
export { DEFAULT_FILE_LIMITS, fileLimits } from './limits.js';
export type { FileLimits, XlsLimits, ZipLimits } from './limits.js';
export { FileError } from './file-error.js';
export type { FileErrorCode, FileErrorParams } from './file-error.js';
export { EncodingSniffer, sniffEncoding, decodeText } from './encoding.js';
export type { EncodingVerdict, TextEncoding } from './encoding.js';
export { openWorkbook } from './workbook.js';
export type { CellRange, GridRow, SheetGrid, SheetInfo, Workbook, WorkbookFormat, WorkbookOptions } from './workbook.js';
