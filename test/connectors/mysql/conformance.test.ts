import mysql from 'mysql2/promise';
import t from 'tap';
import { createMysqlSource } from '../../../connectors/mysql/index.js';
import { quoteMysqlIdentifier } from '../../../connectors/mysql/mysql-dialect.js';
import { conformanceSuite, type ConformanceAdmin, type ConformanceTarget } from '../conformance.js';
import { startMariadb, type MariadbServer } from '../../helpers/mariadb.js';

const server = await startMariadb(t);

function adminConnection(s: MariadbServer): Promise<mysql.Connection> {
  return mysql.createConnection({ host: s.host, port: s.port, user: s.adminUser, password: s.adminPassword, database: s.database });
}

/** The admin on one kept connection; the suite's concurrent transaction gets its own. */
async function conformanceAdmin(s: MariadbServer): Promise<ConformanceAdmin> {
  const connection = await adminConnection(s);
  const others: mysql.Connection[] = [];
  return {
    exec: async (sql) => {
      await connection.query(sql);
    },
    begin: async () => {
      const tx = await adminConnection(s);
      others.push(tx);
      await tx.query('START TRANSACTION');
      return {
        exec: async (sql) => {
          await tx.query(sql);
        },
        commit: async () => {
          await tx.query('COMMIT');
          await tx.end();
        },
      };
    },
    close: async () => {
      for (const c of [connection, ...others]) await c.end().catch(() => c.destroy());
    },
  };
}

const target: ConformanceTarget = {
  kind: 'mysql',
  version: `MariaDB ${server.version}`,
  makeSource: (options = {}) =>
    createMysqlSource({
      kind: 'mysql',
      name: 'biz',
      host: server.host,
      port: server.port,
      database: server.database,
      user: server.readOnlyUser,
      password: server.readOnlyPassword,
      ...options,
    }),
  admin: await conformanceAdmin(server),
  ddl: {
    integer: 'INT',
    varchar: 'VARCHAR(100)',
    char10: 'CHAR(10)',
    decimal: 'DECIMAL(20,4)',
    date: 'DATE',
    timestamp: 'DATETIME(3)',
    boolean: 'TINYINT(1)',
    text: 'LONGTEXT',
    binary: 'BLOB',
    timestampFine: { type: 'DATETIME(6)', literal: (naive: string) => `'${naive}'` },
  },
  literal: {
    timestamp: (naive) => `'${naive}'`,
    date: (day) => `'${day}'`,
    bool: (b) => (b ? 'TRUE' : 'FALSE'),
    binary: (hex) => `X'${hex}'`,
    now: () => "CONVERT_TZ(UTC_TIMESTAMP(3), '+00:00', '+08:00')",
  },
  quoteIdentifier: quoteMysqlIdentifier,
  // Ends every session of the read-only account, as a DBA's KILL would (server restarts are in mysql-source.test.ts).
  dropConnections: async () => {
    const ids = (await server.admin<{ id: string }>('SELECT id FROM information_schema.PROCESSLIST WHERE user = ?', [server.readOnlyUser])).map((r) => Number(r.id));
    for (const id of ids) await server.admin(`KILL CONNECTION ${id}`).catch(() => undefined);
    while ((await server.admin('SELECT id FROM information_schema.PROCESSLIST WHERE user = ?', [server.readOnlyUser])).length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  },
};

t.match(target.version, /\d+\.\d+/, 'the server under test reports its version, so a run says what it verified');
conformanceSuite(t, target);
