/**
 * `credit-gateway template --provider NAME`: one template per category the
 * department feeds, into one folder. A merged department (市场监管局) gets
 * the templates of every 2017 provider it took over.
 *
 * Every target is checked before the first is written: a folder that already
 * holds some of them (perhaps filled in) is left exactly as it was.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireDepartment } from '../catalog/department-lookup.js';
import type { Catalog, CatalogCategory } from '../catalog/types.js';
import type { Standard } from '../standards/types.js';
import { TemplateError } from './errors.js';
import { notesFileName, templateFileName, type TemplateFormat } from './file-name.js';
import type { WrittenTemplate } from './write-files.js';
import { writeTemplate } from './write-template.js';

export interface DepartmentTemplatesOptions {
  catalog: Catalog;
  /** A name of today, a 2017 name or alias, or a provider code. */
  department: string;
  standardFor: (category: Readonly<CatalogCategory>) => Standard;
  format: TemplateFormat;
  dir: string;
  overwrite?: boolean;
}

export interface DepartmentTemplates {
  department: string;
  written: WrittenTemplate[];
}

/** Throws CATALOG_UNKNOWN_PROVIDER for an unknown name, TEMPLATE_NO_CATEGORIES for a department with none, TEMPLATE_FILE_EXISTS before writing anything. */
export async function writeDepartmentTemplates(o: DepartmentTemplatesOptions): Promise<DepartmentTemplates> {
  const department = requireDepartment(o.catalog, o.department);
  if (department.categories.length === 0) throw new TemplateError('TEMPLATE_NO_CATEGORIES', department.name);
  const targets = department.categories.map((category) => ({ category, outFile: join(o.dir, templateFileName(category, o.format)) }));
  if (!o.overwrite) {
    const taken = targets.flatMap((t) => [t.outFile, ...(o.format === 'csv' ? [notesFileName(t.outFile)] : [])]).filter((f) => existsSync(f));
    if (taken.length > 0) throw new TemplateError('TEMPLATE_FILE_EXISTS', `${taken.length} of them, e.g. ${taken[0]}`);
  }
  mkdirSync(o.dir, { recursive: true });
  const written: WrittenTemplate[] = [];
  for (const t of targets) {
    written.push(await writeTemplate({ category: t.category, standard: o.standardFor(t.category), format: o.format, outFile: t.outFile, overwrite: o.overwrite ?? false }));
  }
  return { department: department.name, written };
}
