/**
 * MySQL (5.6.5+, 5.7, 8) and MariaDB (10.0+) sources: the shared SqlSource
 * over the MySQL dialect and the mysql2 driver.
 */
import type { Source } from '../contract.js';
import { ConnectorError } from '../errors.js';
import { commonSqlSettings, SOURCE_DEFAULT_PORTS, type MysqlSourceOptions } from '../options.js';
import { SqlSource } from '../sql/sql-source.js';
import { createMysqlDialect } from './mysql-dialect.js';
import { MysqlDriver } from './mysql-driver.js';

export const MYSQL_DEFAULT_PORT = SOURCE_DEFAULT_PORTS.mysql;

export function createMysqlSource(options: MysqlSourceOptions): Source {
  const settings = commonSqlSettings(options);
  const port = options.port ?? MYSQL_DEFAULT_PORT;
  if (!options.host) throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": host is required`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": port must be 1–65535, not ${port}`);
  }
  return new SqlSource({
    ...settings,
    kind: 'mysql',
    dialect: createMysqlDialect({ queryTimeoutMs: settings.queryTimeoutMs }),
    driver: new MysqlDriver({
      host: options.host,
      port,
      database: options.database,
      user: options.user,
      password: options.password,
      connectTimeoutMs: settings.connectTimeoutMs,
    }),
  });
}
