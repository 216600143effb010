/**
 * Reading seeds/catalog.json. The file ships with the gateway and never
 * changes while it runs, so each path is read and checked once.
 */
import { readFileSync } from 'node:fs';
import { seedsPath } from '../paths.js';
import { createCatalog } from './catalog.js';
import { CatalogError } from './errors.js';
import type { Catalog, CatalogFile } from './types.js';

const loaded = new Map<string, Catalog>();

export function loadCatalog(path: string = seedsPath('catalog.json')): Catalog {
  const cached = loaded.get(path);
  if (cached) return cached;
  let file: CatalogFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as CatalogFile;
  } catch (err) {
    throw new CatalogError('CATALOG_INVALID', `cannot read the catalog at ${path}: ${(err as Error).message}`);
  }
  const catalog = createCatalog(file);
  loaded.set(path, catalog);
  return catalog;
}
