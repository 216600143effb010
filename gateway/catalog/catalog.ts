/**
 * The catalog as the gateway uses it: the data of seeds/catalog.json, checked
 * once and frozen, with lookups by code, provider name or alias.
 */
import { CatalogError, unknownProvider } from './errors.js';
import { closeDepartmentNames } from './department-lookup.js';
import { buildDepartments } from './departments.js';
import { lookupKey } from './names.js';
import { CATALOG_FREQUENCIES } from './schedule.js';
import { CATALOG_SUBJECT_KINDS, INFO_TYPES } from './types.js';
import type { Catalog, CatalogCategory, CatalogFile, CatalogProvider } from './types.js';

function invalid(message: string): CatalogError {
  return new CatalogError('CATALOG_INVALID', `catalog.json: ${message}`);
}

/** The cross-references a hand edit of catalog.json could break. */
function check(file: CatalogFile): void {
  if (!Array.isArray(file?.providers) || !Array.isArray(file.categories) || !Array.isArray(file.duplicates)) {
    throw invalid('expected providers, categories and duplicates arrays');
  }
  const providers = new Map(file.providers.map((p) => [p.code, p]));
  if (providers.size !== file.providers.length) throw invalid('provider codes repeat');
  const codes = new Set<string>();
  for (const c of file.categories) {
    if (codes.has(c.code)) throw invalid(`category code ${c.code} repeats`);
    codes.add(c.code);
    const provider = providers.get(c.provider);
    if (!provider || provider.name !== c.providerName || !c.code.startsWith(`${c.provider}-`)) {
      throw invalid(`category ${c.code} does not match provider ${c.provider}`);
    }
    if (!(INFO_TYPES as readonly string[]).includes(c.infoType)) throw invalid(`category ${c.code}: unknown infoType ${c.infoType}`);
    if (!CATALOG_FREQUENCIES.includes(c.frequency)) throw invalid(`category ${c.code}: unknown frequency ${c.frequency}`);
    if (!(CATALOG_SUBJECT_KINDS as readonly string[]).includes(c.subjectKind)) {
      throw invalid(`category ${c.code}: unknown subjectKind ${c.subjectKind}`);
    }
  }
  for (const p of file.providers) {
    const count = file.categories.filter((c) => c.provider === p.code).length;
    if (count !== p.categories) throw invalid(`provider ${p.code} says ${p.categories} categories, lists ${count}`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Provider lookup keys: code, name and aliases, normalised like the catalog's names. */
function providerKeys(p: CatalogProvider): string[] {
  return [p.code, p.name, ...p.aliases].map(lookupKey);
}

/**
 * The catalog with its lookups. `departments` (the content of
 * seeds/departments-2019.json) is checked against it; without it the catalog
 * knows only the 2017 names.
 */
export function createCatalog(file: CatalogFile, departments?: unknown): Catalog {
  check(file);
  const data = deepFreeze(structuredClone(file));
  const byCode = new Map(data.categories.map((c) => [c.code, c]));
  const byProviderKey = new Map<string, CatalogProvider>();
  for (const p of data.providers) for (const key of providerKeys(p)) byProviderKey.set(key, p);
  const byProvider = new Map<string, CatalogCategory[]>(data.providers.map((p) => [p.code, []]));
  for (const c of data.categories) byProvider.get(c.provider)!.push(c);
  for (const list of byProvider.values()) Object.freeze(list);
  const provider = (nameOrAliasOrCode: string) => byProviderKey.get(lookupKey(nameOrAliasOrCode));
  const categoriesOf = (providerCode: string) => byProvider.get(lookupKey(providerCode)) ?? Object.freeze([]);
  const today = departments === undefined
    ? { departments: Object.freeze([]), byName: () => undefined }
    : buildDepartments({ providers: data.providers, categories: data.categories, provider, categoriesOf }, departments);

  return Object.freeze({
    source: data.source,
    providers: data.providers,
    categories: data.categories,
    duplicates: data.duplicates,
    byCode: (code: string) => byCode.get(lookupKey(code)),
    provider,
    categoriesOf,
    departments: today.departments,
    department: today.byName,
  });
}

/** The provider, or an error naming the closest names of today and of 2017 (`市建设局` → 市城乡建设委员会). */
export function requireProvider(catalog: Catalog, query: string): CatalogProvider {
  const found = catalog.provider(query);
  if (found) return found;
  throw unknownProvider(query, closeDepartmentNames(catalog, query));
}
