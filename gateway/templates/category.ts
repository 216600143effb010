/**
 * The category a template is asked for, by its code. A dropped duplicate's
 * code names the category it repeats, since a clerk may have it from the
 * notice's own numbering.
 */
import type { Catalog, CatalogCategory } from '../catalog/types.js';
import { TemplateError } from './errors.js';

export function templateCategory(catalog: Catalog, code: string): Readonly<CatalogCategory> {
  const found = catalog.byCode(code);
  if (found) return found;
  const duplicate = catalog.duplicates.find((d) => d.code.toUpperCase() === code.trim().toUpperCase());
  throw new TemplateError('TEMPLATE_UNKNOWN_CATEGORY', duplicate
    ? `${duplicate.code} repeats ${duplicate.duplicateOf} (${duplicate.name}); use ${duplicate.duplicateOf}`
    : code);
}
