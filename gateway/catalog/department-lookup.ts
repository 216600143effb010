/**
 * Finding a department by the name people give it: today's name or a short
 * form (黄石市市场监督管理局, 市场监管局), or a 2017 name or code (市工商局, P01).
 *
 * A 2017 name keeps its 2017 meaning: 市工商局 is P01 alone, as configurations
 * written before the reorganisation meant it. Where a 2017 provider simply
 * became one department of today (市环保局 → 黄石市生态环境局), both names
 * find that department, with the same categories.
 */
import { closeMatches } from './close-matches.js';
import { soleProvider } from './departments.js';
import { unknownProvider } from './errors.js';
import { normaliseName } from './names.js';
import type { Catalog, CatalogCategory, CatalogProvider, Department, DepartmentPart } from './types.js';

/** The departments of today that took over some of this provider's categories. */
function holders(catalog: Catalog, provider: Readonly<CatalogProvider>): Department[] {
  return catalog.departments.filter((d) => d.parts.some((p) => p.provider.code === provider.code));
}

function fromProviders(catalog: Catalog, name: string, providers: readonly Readonly<CatalogProvider>[], shortForms: readonly string[]): Department {
  const parts: DepartmentPart[] = providers.map((provider) => Object.freeze({ provider, categories: catalog.categoriesOf(provider.code), whole: true }));
  const successors = [...new Set(providers.flatMap((p) => holders(catalog, p).map((d) => d.name)))];
  return Object.freeze({
    name,
    shortForms: Object.freeze([...shortForms]),
    change: '2017' as const,
    parts: Object.freeze(parts),
    providers: Object.freeze([...providers]),
    categories: Object.freeze(parts.flatMap((p) => p.categories)),
    source: catalog.source,
    assumed: false,
    successors: Object.freeze(successors),
  });
}

/** A 2017 provider as a department: today's department when it is exactly that provider, else the provider alone. */
function providerDepartment(catalog: Catalog, provider: Readonly<CatalogProvider>): Department {
  const [only, ...more] = holders(catalog, provider);
  if (only && more.length === 0 && soleProvider(only)?.code === provider.code) return only;
  return fromProviders(catalog, provider.name, [provider], provider.aliases);
}

/** The department this name means (today's name or short form, 2017 name, alias or code), or null. */
export function resolveDepartment(catalog: Catalog, name: string): Department | null {
  const today = catalog.department(name);
  if (today) return today;
  const provider = catalog.provider(name);
  return provider ? providerDepartment(catalog, provider) : null;
}

/** `黄石市住房和城乡建设局 (市住建局; 2017: 市城乡建设委员会)` */
function departmentLabel(d: Department, sole: Readonly<CatalogProvider> | undefined): string {
  // The shortest 市… form is the one people say (市住建局).
  const short = [...d.shortForms].sort((a, b) => a.length - b.length).find((f) => f.startsWith('市')) ?? d.shortForms[0];
  const also = short ? [short] : [];
  if (sole && sole.name !== d.name) also.push(`2017: ${sole.name}`);
  else if (sole && also.length === 0) also.push(...sole.aliases.slice(0, 1));
  return also.length > 0 ? `${d.name} (${also.join('; ')})` : d.name;
}

/** Names close to an unknown one, today's first, each shown once as `full name (short form)`. */
export function closeDepartmentNames(catalog: Catalog, query: string): string[] {
  const represented = new Set<string>();
  const candidates: { item: string; names: string[] }[] = [];
  for (const d of catalog.departments) {
    const sole = soleProvider(d);
    if (sole) represented.add(sole.code);
    const oldNames = sole ? [sole.name, ...sole.aliases] : [];
    candidates.push({ item: departmentLabel(d, sole), names: [d.name, ...d.shortForms, ...oldNames] });
  }
  for (const p of catalog.providers) {
    if (represented.has(p.code)) continue;
    const label = p.aliases.length > 0 ? `${p.name} (${p.aliases[0]})` : p.name;
    const today = holders(catalog, p).map((d) => d.name);
    candidates.push({ item: today.length > 0 ? `${label} → ${today.join(', ')}` : label, names: [p.name, ...p.aliases] });
  }
  return closeMatches(normaliseName(query), candidates);
}

/** Like resolveDepartment, but an unknown name is a CATALOG_UNKNOWN_PROVIDER error naming close matches of today and of 2017. */
export function requireDepartment(catalog: Catalog, name: string): Department {
  const found = resolveDepartment(catalog, name);
  if (found) return found;
  throw unknownProvider(name, closeDepartmentNames(catalog, name));
}

/** Every category the department with this name feeds, grouped by 2017 provider; throws for an unknown name. */
export function departmentCategories(catalog: Catalog, name: string): readonly Readonly<CatalogCategory>[] {
  return requireDepartment(catalog, name).categories;
}

/**
 * The department a gateway's configuration says it is: `gateway.provider`
 * (one code, or a list for a department that feeds several providers) when
 * set, each provider whole; otherwise `gateway.department` resolved by name.
 * Null when neither names anything in the catalog.
 */
export function gatewayDepartment(
  catalog: Catalog,
  gateway: { department: string; provider?: string | readonly string[] },
): Department | null {
  if (gateway.provider === undefined) return resolveDepartment(catalog, gateway.department);
  const codes = typeof gateway.provider === 'string' ? [gateway.provider] : gateway.provider;
  const providers = [...new Set(codes.flatMap((code) => catalog.provider(code) ?? []))];
  if (providers.length === 0) return null;
  if (providers.length === 1) return providerDepartment(catalog, providers[0]!);
  providers.sort((a, b) => catalog.providers.indexOf(a) - catalog.providers.indexOf(b));
  return fromProviders(catalog, gateway.department, providers, []);
}
