import t from 'tap';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { commonSqlSettings } from '../../../connectors/options.js';
import { SqlSource } from '../../../connectors/sql/sql-source.js';
import { SqliteDialect, quoteSqliteIdentifier } from '../../../connectors/sqlite/sqlite-dialect.js';
import { SqliteDriver, type SqliteConnection } from '../../../connectors/sqlite/sqlite-driver.js';
import { conformanceSuite, type ConformanceTarget } from '../conformance.js';

const file = join(t.testdir({}), 'business.sqlite');
const admin = new Database(file);

/** The readers this file's sources started, so the suite can cut them off as a crash would. */
const readers = new Set<SqliteConnection>();

const target: ConformanceTarget = {
  kind: 'sqlite',
  version: (admin.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
  // As createSqliteSource builds it, with a driver that remembers its connections.
  makeSource: (options) => {
    const settings = commonSqlSettings({ name: 'biz', ...options });
    const driver = new SqliteDriver({ file, busyTimeoutMs: 5000, connectTimeoutMs: settings.connectTimeoutMs });
    return new SqlSource({
      ...settings,
      kind: 'sqlite',
      dialect: new SqliteDialect(),
      driver: {
        connect: async () => {
          const connection = await driver.connect();
          readers.add(connection);
          return connection;
        },
      },
    });
  },
  dropConnections: async () => {
    for (const reader of readers) if (reader.pid) process.kill(reader.pid, 'SIGKILL');
    // Wait until every reader has noticed, as a server restart would be noticed.
    for (let i = 0; i < 100 && [...readers].some((r) => r.pid !== undefined); i++) await new Promise((r) => setTimeout(r, 20));
  },
  admin: {
    exec: async (sql) => void admin.exec(sql),
    begin: async () => {
      // Its own connection, as a department's application writing beside the gateway.
      const writer = new Database(file);
      writer.exec('BEGIN IMMEDIATE');
      return {
        exec: async (sql) => void writer.exec(sql),
        commit: async () => {
          writer.exec('COMMIT');
          writer.close();
        },
      };
    },
    close: async () => void admin.close(),
  },
  ddl: {
    integer: 'INTEGER',
    varchar: 'VARCHAR(100)',
    char10: 'CHAR(10)',
    decimal: 'TEXT', // SQLite keeps DECIMAL(20,4) as a float
    date: 'DATE',
    timestamp: 'TIMESTAMP(3)',
    boolean: 'BOOLEAN',
    text: 'TEXT',
    binary: 'BLOB',
    timestampFine: { type: 'DATETIME', literal: (naive: string) => `'${naive}'` },
  },
  literal: {
    timestamp: (naive) => `'${naive}'`,
    date: (day) => `'${day}'`,
    bool: (b) => (b ? '1' : '0'),
    binary: (hex) => `X'${hex}'`,
    now: () => "strftime('%Y-%m-%d %H:%M:%f', 'now', '+8 hours')",
    decimal: (text) => `'${text}'`,
  },
  quoteIdentifier: quoteSqliteIdentifier,
};
t.match(target.version, /\d+\.\d+/, 'the server under test reports its version, so a run says what it verified');
conformanceSuite(t, target);
