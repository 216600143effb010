/**
 * Oracle sources: the shared SqlSource over the Oracle dialect and
 * node-oracledb. Thin mode (12.1+) by default; with thickLibDir, thick mode
 * through Oracle Instant Client, which 11g needs, paging with ROWNUM.
 */
import type { Source } from '../contract.js';
import { ConnectorError } from '../errors.js';
import { commonSqlSettings, type OracleSourceOptions } from '../options.js';
import { SqlSource } from '../sql/sql-source.js';
import { createOracleDialect } from './oracle-dialect.js';
import { ORACLE_DEFAULT_PORT, OracleDriver } from './oracle-driver.js';

export function createOracleSource(options: OracleSourceOptions): Source {
  const settings = commonSqlSettings(options);
  if (!options.connectString) {
    if (!options.host) throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": host (or connectString) is required`);
    if (!options.database) throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": database (the service name) is required without connectString`);
  }
  const port = options.port ?? ORACLE_DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConnectorError('SOURCE_OPTIONS_INVALID', `source "${options.name}": port must be 1–65535, not ${port}`);
  }
  return new SqlSource({
    ...settings,
    kind: 'oracle',
    dialect: createOracleDialect(options.thickLibDir ? 'rownum' : 'fetch-first'),
    driver: new OracleDriver(options, settings.connectTimeoutMs),
  });
}
