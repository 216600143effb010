/**
 * Reading seeds/catalog.json and seeds/departments-2019.json. The files ship
 * with the gateway and never change while it runs, so each pair of paths is
 * read and checked once.
 */
import { readFileSync } from 'node:fs';
import { seedsPath } from '../paths.js';
import { createCatalog } from './catalog.js';
import { CatalogError } from './errors.js';
import type { Catalog, CatalogFile } from './types.js';

const loaded = new Map<string, Catalog>();

function readJson(path: string, code: 'CATALOG_INVALID' | 'CATALOG_DEPARTMENTS_INVALID', what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CatalogError(code, `cannot read the ${what} at ${path}: ${(err as Error).message}`);
  }
}

export function loadCatalog(
  path: string = seedsPath('catalog.json'),
  departmentsPath: string = seedsPath('departments-2019.json'),
): Catalog {
  const key = `${path}\n${departmentsPath}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const file = readJson(path, 'CATALOG_INVALID', 'catalog') as CatalogFile;
  const departments = readJson(departmentsPath, 'CATALOG_DEPARTMENTS_INVALID', 'department names');
  const catalog = createCatalog(file, departments);
  loaded.set(key, catalog);
  return catalog;
}
