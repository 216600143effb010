/**
 * The one table of source kinds. A kind's driver is imported only when a
 * source of that kind is created, so a department that uses one database
 * never loads the others' drivers.
 */
import type { Source } from './contract.js';

export interface SourceOptionsByKind {
  sqlite: { name: string; kind: 'sqlite'; file: string };
}

export type SourceOptions = SourceOptionsByKind[keyof SourceOptionsByKind];

type Factory<K extends keyof SourceOptionsByKind> = (options: SourceOptionsByKind[K]) => Promise<Source>;

const FACTORIES: { [K in keyof SourceOptionsByKind]: Factory<K> } = {
  sqlite: async (o) => new (await import('./sqlite/sqlite-source.js')).SqliteSource({ name: o.name, file: o.file }),
};

export const SOURCE_KINDS = Object.keys(FACTORIES) as (keyof SourceOptionsByKind)[];

export function createSource(options: SourceOptions): Promise<Source> {
  const factory = FACTORIES[options.kind] as Factory<typeof options.kind>;
  return factory(options);
}
