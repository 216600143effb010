/**
 * What `credit-gateway catalog [--provider NAME] [--json]` prints: the whole
 * catalog or one provider's part of it, as a table grouped by provider or as
 * JSON of the same selection.
 */
import { requireProvider } from './catalog.js';
import type { Catalog, CatalogCategory, CatalogFile, CatalogProvider } from './types.js';

export interface FormatOptions {
  /** Code, name or alias of one provider; all providers when absent. */
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

function providerHeading(p: CatalogProvider): string {
  const aliases = p.aliases.length > 0 ? ` (${p.aliases.join(', ')})` : '';
  const annex2 = p.annex2Count === null ? 'not in 附件2' : `附件2: ${p.annex2Count}`;
  return `${p.code} ${p.name}${aliases}: ${plural(p.categories, 'category', 'categories')}, ${annex2}`;
}

function providerBlock(p: CatalogProvider, categories: readonly CatalogCategory[]): string[] {
  const rows = [
    ['code', 'name', 'subject', 'info type', 'frequency'],
    ...categories.map((c) => [c.code, c.name, c.subjectKind, c.infoType, c.frequency]),
  ];
  return [providerHeading(p), ...table(rows).map((line) => `  ${line}`)];
}

function selection(catalog: Catalog, providerQuery: string | undefined): CatalogFile {
  const providers = providerQuery === undefined ? catalog.providers : [requireProvider(catalog, providerQuery)];
  const codes = new Set(providers.map((p) => p.code));
  return {
    source: catalog.source,
    providers: [...providers],
    categories: catalog.categories.filter((c) => codes.has(c.provider)),
    duplicates: catalog.duplicates.filter((d) => codes.has(d.provider)),
  };
}

/** Throws a CATALOG_UNKNOWN_PROVIDER error, naming close matches, for an unknown provider. */
export function formatCatalog(catalog: Catalog, options: FormatOptions = {}): string {
  const selected = selection(catalog, options.provider);
  if (options.json) return `${JSON.stringify(selected, null, 2)}\n`;
  const blocks = selected.providers.map((p) => providerBlock(p, catalog.categoriesOf(p.code)).join('\n'));
  const total = `${plural(selected.providers.length, 'provider')}, ${plural(selected.categories.length, 'category', 'categories')}`
    + ` (${catalog.source})`;
  return `${[...blocks, total].join('\n\n')}\n`;
}
