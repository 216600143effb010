/**
 * seeds/catalog.json as text: valid JSON with one provider, category or
 * duplicate per line, so a regenerated catalog reviews as a diff of rows.
 */
import type { CatalogFile } from '../../gateway/catalog/types.js';

function rows(items: readonly object[]): string {
  return items.length === 0 ? '[]' : `[\n${items.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]`;
}

export function serializeCatalog(file: CatalogFile): string {
  return [
    '{',
    `  "source": ${JSON.stringify(file.source)},`,
    `  "providers": ${rows(file.providers)},`,
    `  "categories": ${rows(file.categories)},`,
    `  "duplicates": ${rows(file.duplicates)}`,
    '}',
    '',
  ].join('\n');
}
