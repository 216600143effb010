/**
 * Gathers what the coverage rule (coverage.ts) needs from the catalog, the
 * configuration in effect and the store: which categories are this
 * department's, what feeds each, and when each last arrived.
 */
import type { Catalog, CatalogCategory, Department } from '../catalog/index.js';
import type { CoverageInput, Feed } from './coverage.js';

export interface CoverageSources {
  catalog: Catalog;
  /** The department the configuration names (catalog gatewayDepartment): all of its providers' categories are listed; null lists only what is fed. */
  department: Department | null;
  /** Database jobs of the configuration in effect. */
  jobs: readonly { name: string; category: string }[];
  /** Drop folders of the configuration in effect (the first one is named as the feed of categories only files brought). */
  folders: readonly { name: string }[];
  store: {
    categoryStats(now?: Date): readonly { category: string; total: { rowsRead: number }; lastDeliveredAt: string | null }[];
    firstRunAt(job: string): string | null;
    declarations(): CoverageInput['declarations'];
  };
  now: Date;
}

/**
 * A category counts as fed by a job that reads it, or — when no job does —
 * by the drop folder once a file of it was read. A folder-fed category's
 * feed dates from its last delivery: a folder has no schedule, and "fed
 * since" only decides whether a period that passed without data is missing.
 */
export function coverageInput(s: CoverageSources): CoverageInput {
  const stats = s.store.categoryStats(s.now);
  const byCode = new Map<string, Readonly<CatalogCategory>>();
  for (const c of s.department?.categories ?? []) byCode.set(c.code, c);
  const feeds: Feed[] = [];
  for (const job of s.jobs) {
    const category = s.catalog.byCode(job.category);
    if (category) byCode.set(category.code, category);
    feeds.push({ category: job.category, by: job.name, since: s.store.firstRunAt(job.name) });
  }
  const jobFed = new Set(s.jobs.map((j) => j.category));
  const folder = s.folders[0];
  for (const stat of stats) {
    if (jobFed.has(stat.category) || stat.total.rowsRead === 0 || !folder) continue;
    const category = s.catalog.byCode(stat.category);
    if (!category) continue;
    byCode.set(category.code, category);
    feeds.push({ category: category.code, by: `folder:${folder.name}`, since: stat.lastDeliveredAt });
  }
  return {
    categories: [...byCode.values()],
    feeds,
    lastDelivered: new Map(stats.map((c) => [c.category, c.lastDeliveredAt])),
    declarations: s.store.declarations(),
    now: s.now,
  };
}
