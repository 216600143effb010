/**
 * A SQLite business database, read through the shared SQL source.
 */
import type { Source } from '../contract.js';
import { commonSqlSettings, type SqliteSourceOptions } from '../options.js';
import { SqlSource } from '../sql/sql-source.js';
import { SqliteDialect } from './sqlite-dialect.js';
import { SqliteDriver } from './sqlite-driver.js';

/** How long a read waits for a writer's lock on the file before failing. */
const BUSY_TIMEOUT_MS = 5_000;

export function createSqliteSource(options: Omit<SqliteSourceOptions, 'kind'> & { kind?: 'sqlite' }): Source {
  const settings = commonSqlSettings(options);
  return new SqlSource({
    ...settings,
    kind: 'sqlite',
    dialect: new SqliteDialect(),
    driver: new SqliteDriver({ file: options.file, busyTimeoutMs: BUSY_TIMEOUT_MS, connectTimeoutMs: settings.connectTimeoutMs }),
  });
}
