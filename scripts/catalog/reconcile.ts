/**
 * The catalog's totals next to the notice's own: the body's "504类信息" and
 * 附件2's count per department. Explaining each difference is the reader's
 * job (seeds/README.md, and the test that pins them); this only computes.
 */
import type { CatalogFile } from '../../gateway/catalog/types.js';
import { parseAnnex2 } from './annex2-parser.js';
import { bodyCategoryTotal } from './notice-sections.js';

export interface ProviderReconciliation {
  code: string;
  name: string;
  /** Rows 附件3 prints for the provider, duplicates included. */
  annex3Rows: number;
  /** Categories kept in the catalog. */
  categories: number;
  /** The provider's 附件2 count, or null when 附件2 does not list it. */
  annex2Count: number | null;
  /** How many times 附件2 lists the provider (0, 1, or 2 for 市红十字会). */
  annex2Listings: number;
}

export interface Reconciliation {
  /** The body's figure: 第一批归集的N类信息. */
  bodyTotal: number;
  annex3Rows: number;
  categories: number;
  droppedDuplicates: number;
  /** Sum of every 附件2 listing, double listings included. */
  annex2Total: number;
  annex2Listings: number;
  /**
   * Per provider, the larger of its 附件3 rows and its 附件2 count, summed:
   * what the body's total would be if it counted every category either
   * annex knows of, once.
   */
  largerOfBoth: number;
  providers: ProviderReconciliation[];
  /** Providers whose figures are not all equal (or not listed exactly once in 附件2). */
  differences: ProviderReconciliation[];
}

function differs(p: ProviderReconciliation): boolean {
  return p.annex2Listings !== 1 || p.annex2Count !== p.annex3Rows || p.categories !== p.annex3Rows;
}

export function reconcile(catalog: CatalogFile, noticeText: string): Reconciliation {
  const annex2 = parseAnnex2(noticeText);
  const providers = catalog.providers.map((p): ProviderReconciliation => {
    const dropped = catalog.duplicates.filter((d) => d.provider === p.code).length;
    const names = [p.name, ...p.aliases];
    return {
      code: p.code, name: p.name,
      annex3Rows: p.categories + dropped, categories: p.categories,
      annex2Count: p.annex2Count,
      annex2Listings: annex2.filter((e) => names.includes(e.name)).length,
    };
  });
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    bodyTotal: bodyCategoryTotal(noticeText),
    annex3Rows: sum(providers.map((p) => p.annex3Rows)),
    categories: catalog.categories.length,
    droppedDuplicates: catalog.duplicates.length,
    annex2Total: sum(annex2.map((e) => e.count)),
    annex2Listings: annex2.length,
    largerOfBoth: sum(providers.map((p) => Math.max(p.annex3Rows, p.annex2Count ?? 0))),
    providers,
    differences: providers.filter(differs),
  };
}

/** A plain-text summary, printed by the build script for the reviewer. */
export function formatReconciliation(r: Reconciliation): string {
  const lines = [
    `notice body: ${r.bodyTotal} categories`,
    `附件3: ${r.annex3Rows} rows from ${r.providers.length} providers; catalog: ${r.categories} categories (${r.droppedDuplicates} duplicates dropped)`,
    `附件2: ${r.annex2Total} in ${r.annex2Listings} listings`,
    `per provider, larger of 附件3 and 附件2, summed: ${r.largerOfBoth}`,
    'providers whose figures differ (附件3 rows / catalog / 附件2 count × listings):',
    ...r.differences.map(
      (p) => `  ${p.code} ${p.name}: ${p.annex3Rows} / ${p.categories} / ${p.annex2Count ?? '-'} × ${p.annex2Listings}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
