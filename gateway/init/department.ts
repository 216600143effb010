/**
 * The catalog categories a department feeds, found from the name it gives
 * itself. One call site, so it follows the catalog's department names as
 * they grow (today's names for the 2017 providers they absorbed).
 */
import { requireProvider } from '../catalog/catalog.js';
import type { Catalog, CatalogCategory, CatalogProvider } from '../catalog/types.js';

export interface DepartmentCategories {
  providers: readonly Readonly<CatalogProvider>[];
  categories: readonly Readonly<CatalogCategory>[];
}

/** Throws CATALOG_UNKNOWN_PROVIDER, with the closest names, for a name the catalog does not know. */
export function departmentCategories(catalog: Catalog, name: string): DepartmentCategories {
  // TODO(issue 12, part "departments"): resolveDepartment(catalog, name) once it is on main: a merged department feeds every provider it absorbed.
  const provider = requireProvider(catalog, name);
  return { providers: [provider], categories: catalog.categoriesOf(provider.code) };
}
