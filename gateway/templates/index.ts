/**
 * Data templates: the XLSX or CSV file a department without a database fills
 * in and drops into the gateway's drop folder.
 */
export { buildTemplate } from './build-template.js';
export { listItems } from './code-lists.js';
export { templateCategory } from './category.js';
export { TEMPLATE_ERRORS, TemplateError } from './errors.js';
export type { TemplateErrorCode } from './errors.js';
export { notesFileName, safeFileName, templateBaseName, templateFileName } from './file-name.js';
export type { TemplateFormat } from './file-name.js';
export { NOTES_TABLE_HEADER } from './notes.js';
export { CODE_TABLE_SHEET, DATA_SHEET, NOTES_SHEET, VALIDATED_ROWS } from './spec.js';
export type { ColumnSpec, TemplateSpec, ValidationSpec } from './spec.js';
export { templateXlsx, writeTemplateSpec } from './write-files.js';
export type { WrittenTemplate } from './write-files.js';
export { writeTemplate } from './write-template.js';
export { writeDepartmentTemplates } from './write-department.js';
export type { DepartmentTemplates, DepartmentTemplatesOptions } from './write-department.js';
export type { WriteTemplateOptions } from './write-template.js';
export { templateWorkbook } from './xlsx-workbook.js';
