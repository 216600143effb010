/**
 * Departments of today (seeds/departments-2019.json): the names Huangshi's
 * departments carry since the 2018–2019 reorganisation, each with the 2017
 * providers whose categories it now feeds.
 *
 * The file is written by hand, so it is checked against the catalog when it
 * loads, and a bad edit is refused with the entry and member it broke:
 *  - every member is known (a misspelt `assumd` is not silently ignored);
 *  - every provider and category it names exists, a category under its own provider;
 *  - every catalog category belongs to exactly one department of today, so a
 *    merged department's coverage and a split one's never overlap or miss;
 *  - no two departments share a name or short form, and a short form that
 *    is a 2017 name (市发改委) is allowed only for the department that is
 *    exactly that whole provider: old configurations keep their meaning.
 */
import { CatalogError } from './errors.js';
import { lookupKey } from './names.js';
import { DEPARTMENT_CHANGES } from './types.js';
import type {
  AbsorbedProviderEntry, CatalogCategory, CatalogProvider, Department, DepartmentEntry, DepartmentPart, DepartmentsFile,
} from './types.js';

/** What the department check needs of the catalog being built. */
export interface DepartmentCatalogView {
  providers: readonly Readonly<CatalogProvider>[];
  categories: readonly Readonly<CatalogCategory>[];
  /** Provider by code, name or alias. */
  provider(query: string): Readonly<CatalogProvider> | undefined;
  categoriesOf(providerCode: string): readonly Readonly<CatalogCategory>[];
}

function invalid(message: string): CatalogError {
  return new CatalogError('CATALOG_DEPARTMENTS_INVALID', `departments-2019.json: ${message}`);
}

const FILE_MEMBERS = ['about', 'sources', 'departments'];
const ENTRY_MEMBERS = ['name', 'shortForms', 'change', 'absorbed', 'sources', 'assumed', 'note'];
const ABSORBED_MEMBERS = ['provider', 'categories', 'note'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isText);
}

function onlyMembers(value: Record<string, unknown>, allowed: readonly string[], at: string): void {
  const unknown = Object.keys(value).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw invalid(`${at}: unknown member "${unknown}" (allowed: ${allowed.join(', ')})`);
}

function checkFileShape(file: unknown): asserts file is DepartmentsFile {
  if (!isObject(file) || !isObject(file.sources) || !Array.isArray(file.departments)) {
    throw invalid('expected an object with sources and departments');
  }
  onlyMembers(file, FILE_MEMBERS, 'the file');
  for (const [key, text] of Object.entries(file.sources)) if (!isText(text)) throw invalid(`sources.${key}: expected the document's name`);
}

function checkEntryShape(entry: unknown, at: string, sources: Record<string, string>): asserts entry is DepartmentEntry {
  if (!isObject(entry)) throw invalid(`${at}: expected an object`);
  onlyMembers(entry, ENTRY_MEMBERS, at);
  if (!isText(entry.name)) throw invalid(`${at}.name: expected the department's full name`);
  const named = `${at} (${entry.name})`;
  if (!isTextList(entry.shortForms)) throw invalid(`${named}.shortForms: expected a list of names (may be empty)`);
  if (!(DEPARTMENT_CHANGES as readonly unknown[]).includes(entry.change)) {
    throw invalid(`${named}.change: expected one of ${DEPARTMENT_CHANGES.join(', ')}`);
  }
  if (typeof entry.assumed !== 'boolean') throw invalid(`${named}.assumed: expected true or false`);
  if (entry.note !== undefined && !isText(entry.note)) throw invalid(`${named}.note: expected text`);
  if (!isTextList(entry.sources) || entry.sources.length === 0) throw invalid(`${named}.sources: expected a list of document keys`);
  const unknownSource = entry.sources.find((key) => !(key in sources));
  if (unknownSource !== undefined) throw invalid(`${named}.sources: "${unknownSource}" is not a key of sources (${Object.keys(sources).join(', ')})`);
  if (!Array.isArray(entry.absorbed)) throw invalid(`${named}.absorbed: expected a list of providers (may be empty)`);
  entry.absorbed.forEach((part, j) => {
    const partAt = `${named}.absorbed[${j}]`;
    if (!isObject(part)) throw invalid(`${partAt}: expected an object`);
    onlyMembers(part, ABSORBED_MEMBERS, partAt);
    if (!isText(part.provider)) throw invalid(`${partAt}.provider: expected a provider code, e.g. P01`);
    if (part.categories !== undefined && (!isTextList(part.categories) || part.categories.length === 0)) {
      throw invalid(`${partAt}.categories: expected a list of category codes, or no member for the whole provider`);
    }
    if (part.note !== undefined && !isText(part.note)) throw invalid(`${partAt}.note: expected text`);
  });
  if ((entry.absorbed.length === 0) !== (entry.change === 'new')) {
    throw invalid(`${named}: a department feeds no 2017 provider exactly when its change is "new"`);
  }
  if (entry.absorbed.length === 0 && entry.note === undefined) throw invalid(`${named}.note: a new department says why it feeds no category`);
}

function buildPart(catalog: DepartmentCatalogView, part: AbsorbedProviderEntry, at: string): DepartmentPart {
  const provider = catalog.providers.find((p) => p.code === part.provider);
  if (!provider) throw invalid(`${at}.provider: no provider ${part.provider} in the catalog`);
  const all = catalog.categoriesOf(provider.code);
  let categories = all;
  if (part.categories) {
    const codes = new Set<string>();
    for (const code of part.categories) {
      if (codes.has(code)) throw invalid(`${at}.categories: ${code} repeats`);
      codes.add(code);
      if (!all.some((c) => c.code === code)) throw invalid(`${at}.categories: ${code} is not a category of ${provider.code} ${provider.name}`);
    }
    categories = all.filter((c) => codes.has(c.code));
  }
  return Object.freeze({
    provider,
    categories: Object.freeze(categories),
    whole: categories.length === all.length,
    ...(part.note ? { note: part.note } : {}),
  });
}

function citation(file: DepartmentsFile, keys: readonly string[]): string {
  return keys.map((key) => file.sources[key]!).join('；');
}

function buildDepartment(catalog: DepartmentCatalogView, file: DepartmentsFile, entry: DepartmentEntry, at: string): Department {
  const named = `${at} (${entry.name})`;
  const parts = entry.absorbed.map((part, j) => buildPart(catalog, part, `${named}.absorbed[${j}]`));
  const repeated = parts.find((p, j) => parts.findIndex((q) => q.provider.code === p.provider.code) !== j);
  if (repeated) throw invalid(`${named}.absorbed: ${repeated.provider.code} is listed twice; list its categories once`);
  const order = (p: DepartmentPart) => catalog.providers.indexOf(p.provider);
  const sorted = [...parts].sort((a, b) => order(a) - order(b));
  return Object.freeze({
    name: entry.name,
    shortForms: Object.freeze([...entry.shortForms]),
    change: entry.change,
    parts: Object.freeze(sorted),
    providers: Object.freeze(sorted.map((p) => p.provider)),
    categories: Object.freeze(sorted.flatMap((p) => p.categories)),
    source: citation(file, entry.sources),
    assumed: entry.assumed,
    ...(entry.note ? { note: entry.note } : {}),
    successors: Object.freeze([]),
  });
}

/** Every catalog category under exactly one department of today. */
function checkPartition(catalog: DepartmentCatalogView, departments: readonly Department[]): void {
  const home = new Map<string, string>();
  for (const d of departments) {
    for (const c of d.categories) {
      const other = home.get(c.code);
      if (other !== undefined) throw invalid(`category ${c.code} (${c.providerName} ${c.name}) is under both ${other} and ${d.name}; give it one department`);
      home.set(c.code, d.name);
    }
  }
  const homeless = catalog.categories.filter((c) => !home.has(c.code));
  if (homeless.length > 0) {
    const listed = homeless.slice(0, 5).map((c) => `${c.code} (${c.providerName} ${c.name})`).join(', ');
    throw invalid(`${homeless.length} catalog categories belong to no department, e.g. ${listed}; add their provider to the department that took it over`);
  }
}

/** Whether a department is exactly one whole 2017 provider: then that provider's 2017 names may name it too. */
export function soleProvider(d: Department): Readonly<CatalogProvider> | undefined {
  return d.parts.length === 1 && d.parts[0]!.whole ? d.parts[0]!.provider : undefined;
}

function checkNames(catalog: DepartmentCatalogView, departments: readonly Department[]): Map<string, Department> {
  const byKey = new Map<string, Department>();
  departments.forEach((d, i) => {
    for (const name of [d.name, ...d.shortForms]) {
      const key = lookupKey(name);
      const other = byKey.get(key);
      if (other !== undefined) {
        throw invalid(other === d
          ? `departments[${i}] (${d.name}): "${name}" is listed twice`
          : `departments[${i}] (${d.name}): "${name}" already names ${other.name}; a name must point at one department`);
      }
      const provider = catalog.provider(name);
      if (provider && soleProvider(d)?.code !== provider.code) {
        throw invalid(`departments[${i}] (${d.name}): "${name}" is the 2017 name of ${provider.code} ${provider.name}, which this department is not exactly; `
          + 'a 2017 name keeps meaning its 2017 provider, so leave it out of shortForms');
      }
      byKey.set(key, d);
    }
  });
  return byKey;
}

export interface DepartmentIndex {
  departments: readonly Department[];
  /** Department by full name or short form of today. */
  byName(query: string): Department | undefined;
}

/** Checks the file against the catalog and builds the frozen departments; throws CATALOG_DEPARTMENTS_INVALID naming the bad entry. */
export function buildDepartments(catalog: DepartmentCatalogView, file: unknown): DepartmentIndex {
  checkFileShape(file);
  const departments = file.departments.map((entry, i) => {
    checkEntryShape(entry, `departments[${i}]`, file.sources);
    return buildDepartment(catalog, file, entry, `departments[${i}]`);
  });
  checkPartition(catalog, departments);
  const byKey = checkNames(catalog, departments);
  Object.freeze(departments);
  return { departments, byName: (query: string) => byKey.get(lookupKey(query)) };
}
