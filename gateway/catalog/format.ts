/**
 * What `credit-gateway catalog [--provider NAME] [--json]` prints: the whole
 * catalog, one 2017 provider's part of it, or a department of today's
 * categories grouped by the 2017 provider each came from, as a table or as
 * JSON of the same selection.
 */
import { requireDepartment } from './department-lookup.js';
import type { Catalog, CatalogCategory, CatalogFile, CatalogProvider, Department } from './types.js';

export interface FormatOptions {
  /** Code, name or alias of one 2017 provider, or a department's name of today; all providers when absent. */
  provider?: string;
  json?: boolean;
}

/** Columns a string takes in a terminal: CJK and full-width forms take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf)
      || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
      || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => displayWidth(r[col]!))));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : pad(cell, widths[col]!))).join('  '));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const categoryCount = (n: number) => plural(n, 'category', 'categories');

function providerHeading(p: CatalogProvider, shown = p.categories): string {
  const aliases = p.aliases.length > 0 ? ` (${p.aliases.join(', ')})` : '';
  const annex2 = p.annex2Count === null ? 'not in 附件2' : `附件2: ${p.annex2Count}`;
  const count = shown === p.categories ? categoryCount(p.categories) : `${shown} of ${categoryCount(p.categories)}`;
  return `${p.code} ${p.name}${aliases}: ${count}, ${annex2}`;
}

function categoryTable(categories: readonly CatalogCategory[]): string[] {
  const rows = [
    ['code', 'name', 'subject', 'info type', 'frequency'],
    ...categories.map((c) => [c.code, c.name, c.subjectKind, c.infoType, c.frequency]),
  ];
  return table(rows).map((line) => `  ${line}`);
}

function trust(d: Department): string {
  return d.assumed ? 'assumed: follows the national and provincial plans; the city\'s own document was not checked' : 'not assumed';
}

/** Where a 2017 provider's categories are today: one line, or none before the departments file is loaded. */
function todayLine(catalog: Catalog, p: CatalogProvider): string[] {
  const holders = catalog.departments.flatMap((d) => {
    const part = d.parts.find((x) => x.provider.code === p.code);
    if (!part) return [];
    const which = part.whole ? ''
      : part.categories.length <= 3 ? `, ${part.categories.map((c) => c.code).join(', ')}`
        : `, ${part.categories.length} of ${categoryCount(p.categories)}`;
    return [`${d.name} (${d.change}${which}${d.assumed ? ', assumed' : ''})`];
  });
  return holders.length > 0 ? [`since the 2018–2019 reorganisation: ${holders.join('; ')}`] : [];
}

function departmentHeading(d: Department): string[] {
  const names = d.shortForms.length > 0 ? ` (${d.shortForms.join(', ')})` : '';
  const feeds = d.categories.length === 0
    ? 'feeds no category of the 2017 catalog'
    : `${categoryCount(d.categories.length)} from ${plural(d.providers.length, 'provider')} of 2017`;
  return [
    `${d.name}${names}: ${d.change} in the 2018–2019 reorganisation, ${feeds}`,
    `  source: ${d.source}`,
    `  ${trust(d)}`,
    ...(d.note ? [`  note: ${d.note}`] : []),
  ];
}

function departmentBlocks(d: Department): string[] {
  return [
    departmentHeading(d).join('\n'),
    ...d.parts.map((part) => [
      `from 2017 ${providerHeading(part.provider, part.categories.length)}`,
      ...(part.note ? [`  note: ${part.note}`] : []),
      ...categoryTable(part.categories),
    ].join('\n')),
  ];
}

function selection(catalog: Catalog, providers: readonly CatalogProvider[], categories: readonly CatalogCategory[]): CatalogFile {
  const codes = new Set(categories.map((c) => c.code));
  const providerCodes = new Set(providers.map((p) => p.code));
  return {
    source: catalog.source,
    providers: [...providers],
    categories: [...categories],
    duplicates: catalog.duplicates.filter((d) => providerCodes.has(d.provider) && codes.has(d.duplicateOf)),
  };
}

function departmentJson(d: Department) {
  return {
    name: d.name, shortForms: d.shortForms, change: d.change, source: d.source, assumed: d.assumed,
    ...(d.note ? { note: d.note } : {}),
    parts: d.parts.map((p) => ({ provider: p.provider.code, providerName: p.provider.name, whole: p.whole, categories: p.categories.map((c) => c.code), ...(p.note ? { note: p.note } : {}) })),
  };
}

function formatDepartment(catalog: Catalog, d: Department, json: boolean | undefined): string {
  if (json) return `${JSON.stringify({ ...selection(catalog, d.providers, d.categories), department: departmentJson(d) }, null, 2)}\n`;
  const total = `${plural(d.providers.length, 'provider')} of 2017, ${categoryCount(d.categories.length)}`
    + ` (${catalog.source}; names of today: seeds/departments-2019.json)`;
  return `${[...departmentBlocks(d), total].join('\n\n')}\n`;
}

function formatProviders(catalog: Catalog, providers: readonly CatalogProvider[], json: boolean | undefined): string {
  const categories = providers.flatMap((p) => catalog.categoriesOf(p.code));
  const one = providers.length === 1 ? providers[0] : undefined;
  if (json) {
    const today = one ? { today: catalog.departments.filter((d) => d.providers.includes(one)).map(departmentJson) } : {};
    return `${JSON.stringify({ ...selection(catalog, providers, categories), ...today }, null, 2)}\n`;
  }
  const blocks = providers.map((p) => [providerHeading(p), ...categoryTable(catalog.categoriesOf(p.code))].join('\n'));
  const since = one ? todayLine(catalog, one) : [];
  const total = `${plural(providers.length, 'provider')}, ${categoryCount(categories.length)} (${catalog.source})`;
  return `${[...blocks, ...since, total].join('\n\n')}\n`;
}

/**
 * A 2017 name, alias or code prints that provider as in 2017, with where its
 * categories are today; a name of today prints the department. Throws a
 * CATALOG_UNKNOWN_PROVIDER error, naming close matches, for an unknown name.
 */
export function formatCatalog(catalog: Catalog, options: FormatOptions = {}): string {
  if (options.provider === undefined) return formatProviders(catalog, catalog.providers, options.json);
  const provider = catalog.provider(options.provider);
  if (provider) return formatProviders(catalog, [provider], options.json);
  return formatDepartment(catalog, requireDepartment(catalog, options.provider), options.json);
}
