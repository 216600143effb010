import pg from 'pg';
import t from 'tap';
import { createPostgresSource } from '../../../connectors/postgres/index.js';
import { quotePostgresIdentifier } from '../../../connectors/postgres/postgres-dialect.js';
import { conformanceSuite, type ConformanceAdmin, type ConformanceTarget } from '../conformance.js';
import { startPostgres } from '../../helpers/postgres.js';

/**
 * Where the suite runs: the PostgreSQL this file starts, and, when
 * CONFORMANCE_POSTGRES_URL names one (postgres://admin:password@host:port/db),
 * any other server that speaks the protocol: a Kingbase, openGauss/GaussDB or
 * HighGo a department runs. The admin there must be able to create tables in
 * the default schema and end the read-only account's sessions; the read-only
 * account (CONFORMANCE_POSTGRES_RO_USER, _RO_PASSWORD) must get SELECT on the
 * admin's new tables by default privileges.
 */
interface Endpoint {
  host: string;
  port: number;
  database: string;
  admin: { user: string; password: string };
  readOnly: { user: string; password: string };
}

function adminClient(e: Endpoint): pg.Client {
  const client = new pg.Client({ host: e.host, port: e.port, database: e.database, user: e.admin.user, password: e.admin.password });
  client.on('error', () => undefined); // dropped connections are part of the suite
  return client;
}

async function adminQuery<R extends pg.QueryResultRow>(e: Endpoint, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = adminClient(e);
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The admin on one kept connection; the suite's concurrent transaction gets its own. */
async function conformanceAdmin(e: Endpoint): Promise<ConformanceAdmin> {
  const client = adminClient(e);
  await client.connect();
  const others: pg.Client[] = [];
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    begin: async () => {
      const tx = adminClient(e);
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

async function postgresTarget(e: Endpoint, where = ''): Promise<ConformanceTarget> {
  const [{ version }] = (await adminQuery<{ version: string }>(e, 'SELECT version() AS version')) as [{ version: string }];
  return {
    kind: 'postgres',
    // 'PostgreSQL 15.18 (Debian …) on x86_64…' → 'PostgreSQL 15.18 (Debian …)'; derivatives name themselves.
    version: `${version.replace(/ on \S+, compiled by .*$/, '')}${where}`,
    makeSource: (options = {}) =>
      createPostgresSource({ kind: 'postgres', name: 'conformance', host: e.host, port: e.port, database: e.database, ...e.readOnly, ...options }),
    admin: await conformanceAdmin(e),
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
      timestampFine: { type: 'timestamp(6)', literal: (naive: string) => `TIMESTAMP '${naive}'` },
    },
    literal: {
      timestamp: (naive) => `TIMESTAMP '${naive}'`,
      date: (day) => `DATE '${day}'`,
      bool: (b) => (b ? 'true' : 'false'),
      binary: (hex) => `'\\x${hex}'::bytea`,
      now: () => "date_trunc('milliseconds', clock_timestamp() AT TIME ZONE 'Asia/Shanghai')",
    },
    quoteIdentifier: quotePostgresIdentifier,
    // Ends every session of the read-only account, as a DBA's pg_terminate_backend would.
    dropConnections: async () => {
      // Two steps: in one WHERE clause the planner may call pg_terminate_backend before the user test.
      const pids = (await adminQuery<{ pid: number }>(e, 'SELECT pid FROM pg_stat_activity WHERE usename = $1', [e.readOnly.user])).map((r) => r.pid);
      await adminQuery(e, 'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      while ((await adminQuery(e, 'SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids])).length > 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

const server = await startPostgres(t);
const local = await postgresTarget({
  host: server.host,
  port: server.port,
  database: server.database,
  admin: { user: server.adminUser, password: '' },
  readOnly: { user: server.readOnlyUser, password: '' },
});
t.match(local.version, /\d+\.\d+/, 'the server under test reports its version, so a run says what it verified');
conformanceSuite(t, local);

const external = process.env.CONFORMANCE_POSTGRES_URL;
if (external) {
  const url = new URL(external);
  conformanceSuite(
    t,
    await postgresTarget({
      host: url.hostname,
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.slice(1)),
      admin: { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
      readOnly: { user: process.env.CONFORMANCE_POSTGRES_RO_USER ?? 'credit_ro', password: process.env.CONFORMANCE_POSTGRES_RO_PASSWORD ?? '' },
    }, ` at ${url.host}`),
  );
}
