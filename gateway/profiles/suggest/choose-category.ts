/**
 * Which category a sheet is: the candidate whose standard the header fits
 * best (the standards are few, the categories many), then among the
 * categories that share that standard the one whose name the export itself
 * repeats (its title rows, sheet name, file name: 教师资格认定 → 教师资格
 * 认定信息). Candidates are the one asked for, else the department's, else
 * every category. Pure.
 */
import type { CatalogCategory } from '../../catalog/types.js';
import type { Standard } from '../../standards/types.js';
import { findHeader, type FoundHeader } from './find-header.js';
import { cellText } from '../shape.js';
import type { SampleSheet } from './sample.js';

export interface CategoryChoice {
  category: Readonly<CatalogCategory>;
  standard: Readonly<Standard>;
  header: FoundHeader;
  /** Other candidates of the same standard, best first (at most 5), for the clerk to consider. */
  alternatives: Readonly<CatalogCategory>[];
}

/** Share of the name's character pairs found in the text: how much of a category name the export says. */
export function nameEvidence(name: string, text: string): number {
  const chars = [...name.replace(/信息$/, '')];
  if (chars.length < 2) return 0;
  let found = 0;
  for (let i = 0; i + 1 < chars.length; i++) if (text.includes(chars[i]! + chars[i + 1]!)) found++;
  return found / (chars.length - 1);
}

/** The text of the rows above the header (titles, units), the sheet's name and the file's name. */
export function contextText(sheet: SampleSheet, header: FoundHeader | null, fileName: string): string {
  const above = header ? sheet.rows.filter((r) => r.rowNumber < header.row) : [];
  return [fileName, sheet.info.name, ...above.flatMap((r) => r.cells.map(cellText))].join(' ');
}

export function chooseCategory(
  sheet: SampleSheet,
  candidates: readonly Readonly<CatalogCategory>[],
  standardFor: (category: Readonly<CatalogCategory>) => Readonly<Standard>,
  fileName: string,
): CategoryChoice | null {
  const byStandard = new Map<Readonly<Standard>, Readonly<CatalogCategory>[]>();
  for (const c of candidates) {
    const standard = standardFor(c);
    byStandard.set(standard, [...(byStandard.get(standard) ?? []), c]);
  }
  let best: { standard: Readonly<Standard>; header: FoundHeader } | null = null;
  for (const standard of byStandard.keys()) {
    const header = findHeader(sheet, standard);
    if (header && (best === null || header.mapping.score > best.header.mapping.score)) best = { standard, header };
  }
  if (best === null) return null;
  const context = contextText(sheet, best.header, fileName);
  const ranked = byStandard.get(best.standard)!
    .map((category, order) => ({ category, order, evidence: nameEvidence(category.name, context) }))
    .sort((a, b) => b.evidence - a.evidence || a.order - b.order)
    .map((r) => r.category);
  return { category: ranked[0]!, standard: best.standard, header: best.header, alternatives: ranked.slice(1, 6) };
}
