/** The drop-folder source: a ready file in, committed pages and a moved file (with its error report) out. */
export { DropFolder } from './drop-folder.js';
export type { DropFolderHealth, DropFolderOptions } from './drop-folder.js';
export { DropFolderJob } from './drop-folder-job.js';
export type { DropFolderJobOptions, FileOutcome, FileStore } from './drop-folder-job.js';
export { categoryFromMapping } from './file-category.js';
export type { FileCategory, HeaderResolution, MappedCategorySpec } from './file-category.js';
export type { FileCounts } from './file-turn.js';
export { neutraliseCell, reportText, REPORT_COLUMNS } from './error-report.js';
export type { ReportLine } from './error-report.js';
