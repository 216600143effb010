import t from 'tap';
import { createRequire } from 'node:module';
import { createOracleSource } from '../../../connectors/oracle/index.js';
import { quoteOracleIdentifier } from '../../../connectors/oracle/oracle-dialect.js';
import { oracleConnectString } from '../../../connectors/oracle/oracle-driver.js';
import { conformanceSuite, type ConformanceAdmin, type ConformanceTarget } from '../conformance.js';
import { oracleUrlOptions, type OracleServerOptions } from './server.js';

const url = process.env.TEST_ORACLE_URL;

if (!url) {
  t.test('Oracle conformance suite', { skip: 'TEST_ORACLE_URL not set' }, async () => undefined);
} else {
  await runSuite(oracleUrlOptions(url));
}

interface Connection {
  execute(sql: string, binds?: unknown[], options?: object): Promise<{ rows?: unknown[][] }>;
  commit(): Promise<void>;
  close(): Promise<void>;
}
interface OracleDb {
  thin: boolean;
  initOracleClient(options: { libDir: string }): void;
  getConnection(config: object): Promise<Connection>;
}

/** Oracle reads a string literal of at most 4000 bytes; longer text is built as a CLOB, 1000 characters at a time. */
function oracleString(value: string): string {
  const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
  if (value.length <= 1000) return quoted(value);
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += 1000) chunks.push(`TO_CLOB(${quoted(value.slice(i, i + 1000))})`);
  return chunks.join(' || ');
}

async function runSuite(server: OracleServerOptions): Promise<void> {
  const oracledb = createRequire(import.meta.url)('oracledb') as OracleDb;
  // The process has one mode: the admin connects in the mode the source will use.
  if (server.thickLibDir && oracledb.thin) oracledb.initOracleClient({ libDir: server.thickLibDir });
  const connect = () => oracledb.getConnection({ user: server.user, password: server.password, connectString: oracleConnectString(server) });
  const connection = await connect();
  const rows = async (sql: string) => (await connection.execute(sql)).rows ?? [];

  const [[version]] = (await rows(`SELECT MAX(product || ' ' || version) FROM product_component_version WHERE UPPER(product) LIKE 'ORACLE%'`)) as [[string]];
  const canKill = await rows('SELECT 1 FROM v$session WHERE ROWNUM = 1').then(
    () => true,
    () => false,
  );

  const others: Connection[] = [];
  const admin: ConformanceAdmin = {
    exec: async (sql) => {
      await connection.execute(sql, [], { autoCommit: true });
    },
    begin: async () => {
      const own = await connect();
      others.push(own);
      return {
        exec: async (sql) => {
          await own.execute(sql, [], { autoCommit: false });
        },
        commit: async () => {
          await own.commit();
        },
      };
    },
    close: async () => {
      for (const c of [connection, ...others]) await c.close().catch(() => undefined);
    },
  };

  const target: ConformanceTarget = {
    kind: 'oracle',
    version: `${version}${server.thickLibDir ? ' (thick mode)' : ' (thin mode)'}`,
    makeSource: (options = {}) => createOracleSource({ name: 'cf', kind: 'oracle', ...server, ...options }),
    admin,
    ddl: {
      integer: 'NUMBER(10)',
      varchar: 'VARCHAR2(100 CHAR)',
      char10: 'CHAR(10 CHAR)',
      decimal: 'NUMBER(20,4)',
      date: 'DATE',
      timestamp: 'TIMESTAMP(3)',
      boolean: 'NUMBER(1)',
      text: 'CLOB',
      binary: 'BLOB',
      timestampFine: { type: 'TIMESTAMP(9)', literal: (naive: string) => `TIMESTAMP '${naive}'` },
    },
    literal: {
      timestamp: (naive) => `TIMESTAMP '${naive}'`,
      date: (day) => `DATE '${day}'`,
      bool: (b) => (b ? '1' : '0'),
      binary: (hex) => `HEXTORAW('${hex}')`,
      now: () => "CAST(SYS_EXTRACT_UTC(SYSTIMESTAMP) + INTERVAL '8' HOUR AS TIMESTAMP(3))",
      string: oracleString,
    },
    quoteIdentifier: quoteOracleIdentifier,
    ...(canKill
      ? {
          // What a DBA's ALTER SYSTEM KILL SESSION does to the gateway's sessions (MODULE credit-gateway).
          dropConnections: async () => {
            const sessions = (await rows(`SELECT sid, serial# FROM v$session WHERE module = 'credit-gateway'`)) as [number, number][];
            for (const [sid, serial] of sessions) {
              await connection.execute(`ALTER SYSTEM KILL SESSION '${Number(sid)},${Number(serial)}' IMMEDIATE`).catch(() => undefined);
            }
            while ((await rows(`SELECT 1 FROM v$session WHERE module = 'credit-gateway' AND status <> 'KILLED'`)).length > 0) {
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          },
        }
      : {}),
  };

  t.match(target.version, /\d+\.\d+/, 'the server under test reports its version, so a run says what it verified');
  conformanceSuite(t, target);
}
