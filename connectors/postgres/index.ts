/**
 * PostgreSQL (10+) sources, and the databases that speak its protocol and
 * dialect (Kingbase, openGauss/GaussDB, HighGo): the shared SqlSource over the
 * PostgreSQL dialect and the pg driver.
 */
import type { Source } from '../contract.js';
import { ConnectorError } from '../errors.js';
import { commonSqlSettings, SOURCE_DEFAULT_PORTS, type PostgresSourceOptions } from '../options.js';
import { SqlSource } from '../sql/sql-source.js';
import { postgresDialect } from './postgres-dialect.js';
import { PostgresDriver } from './postgres-driver.js';

export const POSTGRES_DEFAULT_PORT = SOURCE_DEFAULT_PORTS.postgres;

export function createPostgresSource(options: PostgresSourceOptions): Source {
  const settings = commonSqlSettings(options);
  const port = options.port ?? POSTGRES_DEFAULT_PORT;
  if (!options.host) throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": host is required`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": port must be 1–65535, not ${port}`);
  }
  return new SqlSource({
    ...settings,
    kind: 'postgres',
    dialect: postgresDialect,
    driver: new PostgresDriver({
      host: options.host,
      port,
      database: options.database,
      user: options.user,
      password: options.password,
      // Shown in pg_stat_activity, so the department's DBA can tell the gateway's session apart.
      applicationName: `credit-gateway ${options.name}`.slice(0, 63),
      connectTimeoutMs: settings.connectTimeoutMs,
      queryTimeoutMs: settings.queryTimeoutMs,
    }),
  });
}
