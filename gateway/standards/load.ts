/**
 * Reading seeds/standards. The files ship with the gateway and never change
 * while it runs, so each folder is read and checked once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogCategory } from '../catalog/types.js';
import { seedsPath } from '../paths.js';
import { StandardsError } from './errors.js';
import { createStandards, type SeedFile } from './standards.js';
import type { Standard, Standards } from './types.js';

const loaded = new Map<string, Standards>();

export function loadStandards(dir: string = seedsPath('standards')): Standards {
  const cached = loaded.get(dir);
  if (cached) return cached;
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch (err) {
    throw new StandardsError([{ file: dir, path: '', message: `cannot read the folder: ${(err as Error).message}` }]);
  }
  const files: SeedFile[] = names.map((file) => {
    try {
      return { file, content: JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown };
    } catch (err) {
      throw new StandardsError([{ file, path: '', message: `not readable JSON: ${(err as Error).message}` }]);
    }
  });
  const standards = createStandards(files);
  loaded.set(dir, standards);
  return standards;
}

/** The standard a catalog category follows, from the shipped seeds unless others are given. */
export function standardFor(category: Pick<CatalogCategory, 'infoType'>, standards: Standards = loadStandards()): Readonly<Standard> {
  return standards.standardFor(category);
}
