import t from 'tap';
import { createRequire } from 'node:module';
import { createMssqlSource } from '../../../connectors/mssql/index.js';
import { quoteMssqlIdentifier } from '../../../connectors/mssql/mssql-dialect.js';
import { conformanceSuite, type ConformanceAdmin, type ConformanceTarget } from '../conformance.js';
import { mssqlUrlOptions, type MssqlServerOptions } from './server.js';

const url = process.env.TEST_MSSQL_URL;

if (!url) {
  t.test('SQL Server conformance suite', { skip: 'TEST_MSSQL_URL not set' }, async () => undefined);
} else {
  await runSuite(mssqlUrlOptions(url), process.env.TEST_MSSQL_READ_URL ? mssqlUrlOptions(process.env.TEST_MSSQL_READ_URL) : null);
}

interface Pool {
  connect(): Promise<unknown>;
  close(): Promise<void>;
  request(): { query(sql: string): Promise<{ recordset: Record<string, unknown>[] }> };
  on(event: 'error', listener: () => void): unknown;
}
interface Transaction {
  begin(): Promise<unknown>;
  commit(): Promise<void>;
  request(): { query(sql: string): Promise<unknown> };
}
interface Mssql {
  ConnectionPool: new (config: object) => Pool;
  Transaction: new (pool: Pool) => Transaction;
}

async function runSuite(server: MssqlServerOptions, reader: MssqlServerOptions | null): Promise<void> {
  const mssql = createRequire(import.meta.url)('mssql') as Mssql;
  const poolFor = async (): Promise<Pool> => {
    const pool = new mssql.ConnectionPool({
      server: server.host,
      ...(server.instanceName ? {} : { port: server.port ?? 1433 }),
      database: server.database,
      user: server.user,
      password: server.password,
      options: { encrypt: server.encrypt ?? true, trustServerCertificate: server.trustServerCertificate ?? false, ...(server.instanceName ? { instanceName: server.instanceName } : {}) },
    });
    pool.on('error', () => undefined);
    await pool.connect();
    return pool;
  };
  const pool = await poolFor();
  const query = async (sql: string) => (await pool.request().query(sql)).recordset ?? [];

  // Readers wait behind an open write under plain READ COMMITTED; the suite holds one open on purpose
  // (a late-committing transaction), so its database reads the last committed version instead.
  const [{ rcsi }] = (await query('SELECT is_read_committed_snapshot_on AS rcsi FROM sys.databases WHERE name = DB_NAME()')) as [{ rcsi: boolean }];
  if (!rcsi) await query('ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE');

  const [{ version }] = (await query(
    "SELECT CONCAT('SQL Server ', CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(64)), ' ', CAST(SERVERPROPERTY('Edition') AS NVARCHAR(128))) AS version",
  )) as [{ version: string }];
  const [{ canKill }] = (await query("SELECT HAS_PERMS_BY_NAME(NULL, NULL, 'ALTER ANY CONNECTION') AS canKill")) as [{ canKill: number }];

  const others: Pool[] = [];
  const admin: ConformanceAdmin = {
    exec: async (sql) => {
      await query(sql);
    },
    begin: async () => {
      const own = await poolFor();
      others.push(own);
      const tx = new mssql.Transaction(own);
      await tx.begin();
      return {
        exec: async (sql) => {
          await tx.request().query(sql);
        },
        commit: async () => {
          await tx.commit();
        },
      };
    },
    close: async () => {
      for (const p of [pool, ...others]) await p.close().catch(() => undefined);
    },
  };

  const source = reader ?? server;
  const target: ConformanceTarget = {
    kind: 'mssql',
    version,
    makeSource: (options = {}) => createMssqlSource({ name: 'cf', kind: 'mssql', ...source, ...options }),
    admin,
    ddl: {
      integer: 'INT',
      varchar: 'NVARCHAR(100)',
      char10: 'NCHAR(10)',
      decimal: 'DECIMAL(20,4)',
      date: 'DATE',
      timestamp: 'DATETIME2(3)',
      boolean: 'BIT',
      text: 'NVARCHAR(MAX)',
      binary: 'VARBINARY(MAX)',
      timestampFine: { type: 'DATETIME2(7)', literal: (naive: string) => `CAST('${naive}' AS DATETIME2(7))` },
    },
    literal: {
      timestamp: (naive) => `CAST('${naive}' AS DATETIME2(3))`,
      date: (day) => `CAST('${day}' AS DATE)`,
      bool: (b) => (b ? '1' : '0'),
      binary: (hex) => `0x${hex}`,
      now: () => "CAST(SWITCHOFFSET(SYSDATETIMEOFFSET(), '+08:00') AS DATETIME2(3))",
      string: (value) => `N'${value.replace(/'/g, "''")}'`,
    },
    quoteIdentifier: quoteMssqlIdentifier,
    // SQL Server has no read-only session: a write is stopped by the login's grants alone.
    readOnlySession: false,
    ...(canKill === 1
      ? {
          // What a DBA's KILL does to the gateway's sessions (they announce themselves as credit-gateway).
          dropConnections: async () => {
            const sessions = (await query("SELECT session_id AS id FROM sys.dm_exec_sessions WHERE program_name = 'credit-gateway' AND session_id <> @@SPID")) as { id: number }[];
            for (const { id } of sessions) await query(`KILL ${Number(id)}`).catch(() => undefined);
            while ((await query(`SELECT 1 AS one FROM sys.dm_exec_sessions WHERE session_id IN (${sessions.map((s) => Number(s.id)).join(', ') || 'NULL'})`)).length > 0) {
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          },
        }
      : {}),
  };

  t.match(target.version, /\d+\.\d+/, 'the server under test reports its version, so a run says what it verified');
  conformanceSuite(t, target);
}
