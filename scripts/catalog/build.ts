/**
 * The catalog built from the notice text: pure, text in, CatalogFile out.
 *
 * Codes: provider `Pnn` is its position in 附件3; category `Pnn-mmm` is the
 * row's position in that provider's list, counting every row the notice
 * prints. A dropped duplicate keeps its number unused, so each code still
 * points a reviewer to its row in the notice and no code moves when the
 * duplicate rule changes.
 */
import type { CatalogCategory, CatalogFile, CatalogProvider, DroppedDuplicate } from '../../gateway/catalog/types.js';
import { PROVIDER_ALIASES } from './aliases.js';
import { parseAnnex2 } from './annex2-parser.js';
import type { Annex2Entry } from './annex2-parser.js';
import { parseAnnex3 } from './annex3-parser.js';
import type { Annex3Provider } from './annex3-parser.js';
import { sectionDuplicates } from './duplicates.js';
import { infoTypeOf } from './info-type.js';
import { sectionsOf, subjectKindOf } from './subject-kind.js';
import type { SectionKind } from './subject-kind.js';

export const CATALOG_SOURCE = '黄信用〔2017〕4号 附件3';

export function providerCode(position: number): string {
  return `P${String(position).padStart(2, '0')}`;
}

export function categoryCode(provider: string, position: number): string {
  return `${provider}-${String(position).padStart(3, '0')}`;
}

const SECTION_WORDS: Record<SectionKind, string> = {
  generic: 'the generic rows',
  legal: 'the legal-person section',
  natural: 'the natural-person section',
};

function aliasesOf(name: string): string[] {
  const aliases = PROVIDER_ALIASES[name];
  if (!aliases) throw new Error(`附件3 provider ${name} has no entry in aliases.ts`);
  return [...aliases];
}

/** Fails when the alias table and 附件3 disagree, or when one alias would name two providers. */
function checkAliasTable(providers: readonly Annex3Provider[]): void {
  const names = new Set(providers.map((p) => p.name));
  for (const key of Object.keys(PROVIDER_ALIASES)) {
    if (!names.has(key)) throw new Error(`aliases.ts names ${key}, which 附件3 does not list`);
  }
  const owner = new Map<string, string>();
  for (const p of providers) owner.set(p.name, p.name);
  for (const p of providers) {
    for (const alias of aliasesOf(p.name)) {
      const taken = owner.get(alias);
      if (taken) throw new Error(`alias ${alias} of ${p.name} already names ${taken}`);
      owner.set(alias, p.name);
    }
  }
}

/**
 * The 附件2 count of a provider, found under its name or an alias. 附件2
 * lists 市红十字会 in both its tables with the same count; differing counts
 * for one provider would be a contradiction worth stopping for.
 */
function annex2CountOf(names: readonly string[], annex2: readonly Annex2Entry[]): number | null {
  const counts = new Set(annex2.filter((e) => names.includes(e.name)).map((e) => e.count));
  if (counts.size > 1) throw new Error(`附件2 gives ${names[0]} different counts: ${[...counts].join(', ')}`);
  return counts.size === 1 ? [...counts][0]! : null;
}

function checkEveryAnnex2EntryMatched(providers: readonly CatalogProvider[], annex2: readonly Annex2Entry[]): void {
  for (const entry of annex2) {
    if (!providers.some((p) => p.name === entry.name || p.aliases.includes(entry.name))) {
      throw new Error(`附件2 line ${entry.line}: ${entry.name} matches no 附件3 provider or alias`);
    }
  }
}

interface ProviderPart {
  provider: CatalogProvider;
  categories: CatalogCategory[];
  duplicates: DroppedDuplicate[];
}

function buildProvider(source: Annex3Provider, position: number, annex2: readonly Annex2Entry[]): ProviderPart {
  const code = providerCode(position);
  const names = source.rows.map((r) => r.name);
  const sections = sectionsOf(names);
  const dropped = new Map(sectionDuplicates(names, sections).map((d) => [d.index, d.duplicateOf]));
  const codeAt = (index: number) => categoryCode(code, index + 1);

  const categories: CatalogCategory[] = [];
  const duplicates: DroppedDuplicate[] = [];
  source.rows.forEach((row, index) => {
    const section = sections[index]!;
    const duplicateOf = dropped.get(index);
    if (duplicateOf !== undefined) {
      duplicates.push({
        code: codeAt(index), provider: code, name: row.name, row: row.line, duplicateOf: codeAt(duplicateOf),
        reason: `repeats ${codeAt(duplicateOf)} within ${SECTION_WORDS[section]} of ${source.name}`,
      });
      return;
    }
    categories.push({
      code: codeAt(index), provider: code, providerName: source.name, name: row.name, frequency: row.frequency,
      subjectKind: subjectKindOf(row.name, section), infoType: infoTypeOf(row.name), row: row.line,
    });
  });

  const aliases = aliasesOf(source.name);
  const provider: CatalogProvider = {
    code, name: source.name, aliases,
    annex2Count: annex2CountOf([source.name, ...aliases], annex2),
    categories: categories.length,
  };
  return { provider, categories, duplicates };
}

export function buildCatalog(noticeText: string): CatalogFile {
  const annex3 = parseAnnex3(noticeText);
  const annex2 = parseAnnex2(noticeText);
  checkAliasTable(annex3);
  const parts = annex3.map((p, i) => buildProvider(p, i + 1, annex2));
  const providers = parts.map((p) => p.provider);
  checkEveryAnnex2EntryMatched(providers, annex2);
  return {
    source: CATALOG_SOURCE,
    providers,
    categories: parts.flatMap((p) => p.categories),
    duplicates: parts.flatMap((p) => p.duplicates),
  };
}
