/**
 * The benchmark's MariaDB/MySQL: its own server in a temp dir
 * (scripts/dev/mariadb-server.ts) or the one BENCH_MYSQL_URL names, and the
 * 行政处罚 table of N rows in it, loaded with multi-row INSERTs and kept
 * across runs when asked and already complete.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { startMariadbServer } from '../dev/mariadb-server.js';
import { COLUMNS, CREATE_TABLE, CURSOR_INDEX, penaltyRow, TABLE } from './penalty-rows.js';

export interface Login {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface BenchDatabase {
  /** Creates and changes tables. */
  admin: Login;
  /** What the gateway, the naive script and the reads log in as. */
  reader: Login;
  version: string;
  /** The zone the server writes DATETIME values in. */
  timeZone: string;
  close(): Promise<void>;
}

/**
 * With `keep`, the own server's data dir is a fixed folder, so the next run
 * finds the table again. `process`: the own server's reader may see other
 * sessions' transactions (PROCESS), as the README advises for fresh reads,
 * so the gateway bounds reads by them; without it, by the fixed lag.
 */
export async function openDatabase(keep: boolean, readerSeesTransactions = true): Promise<BenchDatabase> {
  const url = process.env.BENCH_MYSQL_URL;
  if (url) {
    const u = new URL(url);
    const login: Login = {
      host: u.hostname, port: u.port ? Number(u.port) : 3306, user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password), database: u.pathname.slice(1),
    };
    const [[row]] = await withConnection(login, (c) => c.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
    return { admin: login, reader: login, version: row.v, timeZone: process.env.BENCH_MYSQL_TIME_ZONE ?? 'Asia/Shanghai', close: async () => {} };
  }
  const server = await startMariadbServer({
    bufferPoolSize: '1G',
    ...(keep ? { keepDir: join(tmpdir(), 'credit-gateway-bench-mariadb') } : {}),
  });
  const base = { host: server.host, port: server.port, database: server.database };
  await server.admin(`${readerSeesTransactions ? 'GRANT' : 'REVOKE'} PROCESS ON *.* ${readerSeesTransactions ? 'TO' : 'FROM'} '${server.readOnlyUser}'@'%'`);
  return {
    admin: { ...base, user: server.adminUser, password: server.adminPassword },
    reader: { ...base, user: server.readOnlyUser, password: server.readOnlyPassword },
    version: server.version,
    timeZone: server.timeZone,
    close: () => server.close(),
  };
}

export async function withConnection<T>(login: Login, use: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({ ...login, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  try {
    return await use(connection);
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

/** Rows in the table; null when there is none. */
async function rowCount(c: mysql.Connection): Promise<number | null> {
  const [tables] = await c.query('SHOW TABLES LIKE ?', [TABLE]) as [unknown[], unknown];
  if (tables.length === 0) return null;
  const [[row]] = await c.query(`SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM ${TABLE}`) as [[{ n: string; m: string }], unknown];
  return Number(row.n) === Number(row.m) ? Number(row.n) : -1;
}

/**
 * The table holds rows 1..n when this resolves: reused when `keep` and it
 * already does (rows the churn left above n removed), else loaded afresh.
 * Returns the seconds the load took, 0 when reused.
 */
export async function ensureTable(login: Login, n: number, keep: boolean, log: (line: string) => void): Promise<number> {
  return withConnection(login, async (c) => {
    if (keep) {
      await c.query(`DELETE FROM ${TABLE} WHERE id > ?`, [n]).catch(() => undefined);
      if ((await rowCount(c)) === n) {
        log(`table ${TABLE} already holds ${n.toLocaleString('en-US')} rows: kept`);
        return 0;
      }
    }
    const started = Date.now();
    await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await c.query(CREATE_TABLE);
    await c.query('SET unique_checks = 0');
    const BATCH = 2000;
    for (let first = 1; first <= n; first += BATCH) {
      const rows = [];
      for (let id = first; id < Math.min(first + BATCH, n + 1); id++) rows.push(penaltyRow(id));
      await c.query(`INSERT INTO ${TABLE} (${COLUMNS.join(', ')}) VALUES ?`, [rows]);
      if ((first - 1) % 100_000 === 0 && first > 1) log(`  ${(first - 1).toLocaleString('en-US')} rows loaded`);
    }
    await c.query(CURSOR_INDEX);
    const seconds = (Date.now() - started) / 1000;
    log(`table ${TABLE}: ${n.toLocaleString('en-US')} rows loaded in ${seconds.toFixed(1)} s`);
    return seconds;
  });
}
