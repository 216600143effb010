/**
 * The template command's one call: build a category's template and write it.
 */
import { join } from 'node:path';
import type { CatalogCategory } from '../catalog/types.js';
import { loadStandards } from '../standards/load.js';
import type { CodeTable, Standard } from '../standards/types.js';
import { buildTemplate } from './build-template.js';
import { templateFileName } from './file-name.js';
import type { TemplateFormat } from './file-name.js';
import { writeTemplateSpec } from './write-files.js';
import type { WrittenTemplate } from './write-files.js';

export interface WriteTemplateOptions {
  category: CatalogCategory;
  standard: Standard;
  /**
   * By default the extension of `outFile` decides (`.csv` → CSV), else XLSX:
   * only XLSX keeps notes, drop-down lists and text cells in one file.
   */
  format?: TemplateFormat;
  /** Where to write; by default `<dir>/<category code>_<category name>.<format>`. */
  outFile?: string;
  /** Folder for the default name; the working directory unless given. */
  dir?: string;
  /** Replace an existing file; off by default, since it may be a filled-in template. */
  overwrite?: boolean;
  /** The code tables the standard refers to; the shipped ones unless given. */
  codeTables?: Readonly<Record<string, CodeTable>>;
}

export async function writeTemplate(options: WriteTemplateOptions): Promise<WrittenTemplate> {
  const format = options.format ?? (options.outFile && /\.csv$/i.test(options.outFile) ? 'csv' : 'xlsx');
  const spec = buildTemplate(options.category, options.standard, options.codeTables ?? loadStandards().codeTables, format);
  const outFile = options.outFile ?? join(options.dir ?? process.cwd(), templateFileName(options.category, format));
  return writeTemplateSpec(spec, { format, outFile, overwrite: options.overwrite ?? false });
}
