import pg from 'pg';
import t from 'tap';
import { createPostgresSource } from '../../../connectors/postgres/index.js';
import { quotePostgresIdentifier } from '../../../connectors/postgres/postgres-dialect.js';
import { conformanceSuite, type ConformanceAdmin, type ConformanceTarget } from '../conformance.js';
import { postgresSourceOptions, startPostgres, type PostgresServer } from '../../helpers/postgres.js';

const server = await startPostgres(t);

function adminClient(s: PostgresServer): pg.Client {
  const client = new pg.Client({ host: s.host, port: s.port, user: s.adminUser, database: s.database });
  client.on('error', () => undefined);
  return client;
}

/** The superuser on one kept connection; the suite's concurrent transaction gets its own. */
async function conformanceAdmin(s: PostgresServer): Promise<ConformanceAdmin> {
  const client = adminClient(s);
  await client.connect();
  const others: pg.Client[] = [];
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    begin: async () => {
      const tx = adminClient(s);
      others.push(tx);
      await tx.connect();
      await tx.query('BEGIN');
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
      for (const c of [client, ...others]) await c.end().catch(() => undefined);
    },
  };
}

const target: ConformanceTarget = {
  kind: 'postgres',
  version: `PostgreSQL ${server.version}`,
  makeSource: (options = {}) => createPostgresSource(postgresSourceOptions(server, options)),
  admin: await conformanceAdmin(server),
  ddl: {
    integer: 'integer',
    varchar: 'varchar(100)',
    char10: 'char(10)',
    decimal: 'numeric(20,4)',
    date: 'date',
    timestamp: 'timestamp(3)',
    boolean: 'boolean',
    text: 'text',
    binary: 'bytea',
  },
  literal: {
    timestamp: (naive) => `TIMESTAMP '${naive}'`,
    date: (day) => `DATE '${day}'`,
    bool: (b) => (b ? 'true' : 'false'),
    binary: (hex) => `'\\x${hex}'::bytea`,
    now: () => "date_trunc('milliseconds', clock_timestamp() AT TIME ZONE 'Asia/Shanghai')",
  },
  quoteIdentifier: quotePostgresIdentifier,
  // Ends every session of the read-only role, as a DBA's pg_terminate_backend would.
  dropConnections: async () => {
    // Two steps: in one WHERE clause the planner may call pg_terminate_backend before the user test.
    const pids = (await server.admin<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE usename = $1', [server.readOnlyUser])).map((r) => r.pid);
    await server.admin('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    while ((await server.admin('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids])).length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  },
};

conformanceSuite(t, target);
