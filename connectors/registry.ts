/**
 * The one table of source kinds. A kind's module (and so its driver) is
 * imported only when a source of that kind is created, so a department that
 * uses one database never loads the others' drivers.
 */
import type { Source } from './contract.js';
import { ConnectorError } from './errors.js';
import type { SourceKind, SourceOptions, SourceOptionsByKind } from './options.js';

export type { SourceKind, SourceOptions, SourceOptionsByKind } from './options.js';

type Loader<K extends SourceKind> = () => Promise<(options: SourceOptionsByKind[K]) => Source>;

const KINDS: { [K in SourceKind]?: Loader<K> } = {
  mysql: async () => (await import('./mysql/index.js')).createMysqlSource,
  postgres: async () => (await import('./postgres/index.js')).createPostgresSource,
  mssql: async () => (await import('./mssql/index.js')).createMssqlSource,
  oracle: async () => (await import('./oracle/index.js')).createOracleSource,
  sqlite: async () => (await import('./sqlite/index.js')).createSqliteSource,
};

/** The kinds this build can read. */
export const SOURCE_KINDS = Object.keys(KINDS) as SourceKind[];

export async function createSource(options: SourceOptions): Promise<Source> {
  const load = KINDS[options.kind] as Loader<typeof options.kind> | undefined;
  if (!load) throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": no connector for kind "${options.kind}"`);
  const create = await load();
  return create(options);
}
