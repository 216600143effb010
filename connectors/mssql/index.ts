/**
 * SQL Server (2012+) sources: the shared SqlSource over the SQL Server
 * dialect and the `mssql`/tedious driver.
 */
import type { Source } from '../contract.js';
import { ConnectorError } from '../errors.js';
import { commonSqlSettings, SOURCE_DEFAULT_PORTS, type MssqlSourceOptions } from '../options.js';
import { SqlSource } from '../sql/sql-source.js';
import { mssqlDialect } from './mssql-dialect.js';
import { MssqlDriver } from './mssql-driver.js';

export const MSSQL_DEFAULT_PORT = SOURCE_DEFAULT_PORTS.mssql;

export function createMssqlSource(options: MssqlSourceOptions): Source {
  const settings = commonSqlSettings(options);
  if (!options.host) throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": host is required`);
  if (!options.database) throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": database is required`);
  const port = options.port ?? MSSQL_DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": port must be 1–65535, not ${port}`);
  }
  if (options.instanceName !== undefined && options.port !== undefined) {
    // tedious asks the SQL Browser for a named instance's port and ignores a given one: say so rather than surprise.
    throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": give either instanceName or port, not both`);
  }
  return new SqlSource({
    ...settings,
    kind: 'mssql',
    dialect: mssqlDialect,
    driver: new MssqlDriver({ ...options, port }, settings.connectTimeoutMs),
  });
}
