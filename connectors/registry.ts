/**
 * The one table of source kinds. A kind's module (and so its driver) is
 * imported only when a source of that kind is created, so a department that
 * uses one database never loads the others' drivers.
 */
import type { Source } from './contract.js';
import { ConnectorError } from './errors.js';
import type { SourceKind, SourceOptions, SourceOptionsByKind } from './options.js';
// The dialects' quoting is pure text: importing it loads no driver.
import { quoteMssqlIdentifier } from './mssql/mssql-dialect.js';
import { quoteMysqlIdentifier } from './mysql/mysql-dialect.js';
import { quoteOracleIdentifier } from './oracle/oracle-dialect.js';
import { quotePostgresIdentifier } from './postgres/postgres-dialect.js';
import { quoteSqliteIdentifier } from './sqlite/sqlite-dialect.js';

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

/** A source created and opened; closed again when open fails, so a failed open leaves no session behind. */
export async function openCreatedSource(options: SourceOptions): Promise<Source> {
  const source = await createSource(options);
  try {
    await source.open();
  } catch (err) {
    await source.close().catch(() => undefined);
    throw err;
  }
  return source;
}

const QUOTES: { [K in SourceKind]: (name: string) => string } = {
  mysql: quoteMysqlIdentifier,
  postgres: quotePostgresIdentifier,
  mssql: quoteMssqlIdentifier,
  oracle: quoteOracleIdentifier,
  sqlite: quoteSqliteIdentifier,
};

/** A table or column name quoted as the kind's SQL writes it, for a job query written for people (`credit-gateway init`). */
export function quoteIdentifierFor(kind: SourceKind, name: string): string {
  return QUOTES[kind](name);
}
