/**
 * The two reads the pipeline is compared with: the C client streaming the
 * table (`mysql --quick`, the floor of what the server and the wire cost)
 * and mysql2 reading it in keyset pages of 5,000, as the gateway's MySQL
 * connector reads (dateStrings, the expanded keyset predicate of
 * connectors/sql/keyset.ts, which MariaDB ranges on the index where it may
 * not for a row constructor).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { Login } from './database.js';
import { TABLE } from './penalty-rows.js';

export const KEYSET_PAGE = 5000;

export interface ReadResult {
  rows: number;
  seconds: number;
}

/** The C client, when installed: null without one. */
export function mysqlClient(): string | null {
  for (const bin of ['/usr/bin/mariadb', '/usr/bin/mysql', '/usr/local/bin/mysql']) if (existsSync(bin)) return bin;
  const which = spawnSync('sh', ['-c', 'command -v mariadb || command -v mysql'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || null : null;
}

export async function readWithClient(bin: string, login: Login, rows: number): Promise<ReadResult> {
  const args = [
    `--host=${login.host}`, `--port=${login.port}`, `--user=${login.user}`, '--protocol=TCP', '--default-character-set=utf8mb4',
    '--quick', '--batch', '--skip-column-names', login.database, '-e', `SELECT * FROM ${TABLE}`,
  ];
  const nul = openSync('/dev/null', 'w');
  const started = process.hrtime.bigint();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(bin, args, { stdio: ['ignore', nul, 'pipe'], env: { ...process.env, MYSQL_PWD: login.password } });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.once('error', reject);
      child.once('exit', (c) => (c === 0 ? resolve() : reject(new Error(`${bin} exited ${c}: ${err}`))));
    });
  } finally {
    closeSync(nul);
  }
  return { rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export async function readKeyset(login: Login): Promise<ReadResult> {
  const connection = await mysql.createConnection({ ...login, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' });
  const started = process.hrtime.bigint();
  let rows = 0;
  try {
    let after: [string, string] | null = null;
    for (;;) {
      const [page] = (after
        ? await connection.query(
          `SELECT * FROM ${TABLE} WHERE (updated_at > ?) OR (updated_at = ? AND id > ?) ORDER BY updated_at, id LIMIT ${KEYSET_PAGE}`,
          [after[0], after[0], after[1]])
        : await connection.query(`SELECT * FROM ${TABLE} ORDER BY updated_at, id LIMIT ${KEYSET_PAGE}`)) as unknown as [Record<string, string>[]];
      rows += page.length;
      if (page.length < KEYSET_PAGE) break;
      const last = page[page.length - 1]!;
      after = [last.updated_at!, last.id!];
    }
  } finally {
    await connection.end();
  }
  return { rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
