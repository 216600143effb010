/**
 * Regenerates seeds/catalog.json from the notice text and prints how its
 * totals reconcile with the notice's own figures:
 *
 *   npm run build && npm run catalog:build
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { seedsPath } from '../../gateway/paths.js';
import { buildCatalog } from './build.js';
import { formatReconciliation, reconcile } from './reconcile.js';
import { serializeCatalog } from './serialize.js';

export const NOTICE_FILE = 'huangshi-credit-notice-2017.txt';
export const CATALOG_FILE = 'catalog.json';

function main(): void {
  const notice = readFileSync(seedsPath(NOTICE_FILE), 'utf8');
  const catalog = buildCatalog(notice);
  const target = seedsPath(CATALOG_FILE);
  // Write then rename, so an interrupted run never leaves half a catalog.
  writeFileSync(`${target}.tmp`, serializeCatalog(catalog), 'utf8');
  renameSync(`${target}.tmp`, target);
  process.stdout.write(`wrote ${target}\n${formatReconciliation(reconcile(catalog, notice))}`);
}

main();
