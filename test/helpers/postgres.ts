import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Test } from 'tap';
import type { PostgresSourceOptions } from '../../connectors/options.js';

/**
 * A real PostgreSQL server for one test file, in a temp dir, on a random
 * loopback port, as a direct child of the test. initdb and postgres refuse
 * to run as root, so both run as the `postgres` OS user, which owns the dir.
 *
 * The database `credit` has a schema `biz` (first on the search path) that
 * the role `credit_ro` may only read (CONNECT, USAGE, SELECT); the superuser
 * `postgres` is the admin that creates tables and writes rows.
 */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly schema: string;
  readonly readOnlyUser: string;
  readonly adminUser: string;
  /** server_version, e.g. '15.14 (Debian 15.14-0+deb12u1)'. */
  readonly version: string;
  /** The server's own TimeZone setting (what a session gets unless it sets its own). */
  readonly timeZone: string;
  /** Runs SQL as the superuser on a fresh connection, so it works across restarts. */
  admin<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs SQL as `user` (no password: the test cluster trusts local logins). */
  as<R extends pg.QueryResultRow = Record<string, unknown>>(user: string, sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * Makes `user` log in over TCP with a password checked by `method` (the
   * cluster trusts everyone else), creating the role if needed. md5 stores an
   * md5 hash, as openGauss/Kingbase accounts set up for md5 have.
   */
  requirePassword(user: string, password: string, method: 'md5' | 'scram-sha-256'): Promise<void>;
  /** Fast shutdown (clients are disconnected), then the same data dir on the same port. */
  restart(): Promise<void>;
  /** Fast shutdown; resolves once the postmaster has exited. */
  stop(): Promise<void>;
  /** The last lines of the server log, for failure messages. */
  logTail(lines?: number): string;
}

export interface StartOptions {
  /** The server's TimeZone; a non-UTC default catches any code that trusts the session's zone. */
  timeZone?: string;
}

const DATABASE = 'credit';
const SCHEMA = 'biz';
const READ_ONLY_USER = 'credit_ro';
const ADMIN_USER = 'postgres';

/** The newest installed server binaries (Debian keeps them per major version). */
export function postgresBinDir(): string | null {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
}

function osUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no OS user "${name}" to run PostgreSQL as`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(bin: string, args: string[], ids: { uid: number; gid: number }, log: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(log, 'a');
    const child = spawn(bin, args, { ...asUser(ids), stdio: ['ignore', fd, fd], env: serverEnv() });
    closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited with ${code}: ${tail(log, 20)}`))));
  });
}

function asUser(ids: { uid: number; gid: number }): { uid?: number; gid?: number } {
  // Only root may switch users; a non-root developer runs the server as themself.
  return userInfo().uid === 0 ? ids : {};
}

function serverEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function query<R extends pg.QueryResultRow>(config: pg.ClientConfig, sql: string, params?: unknown[]): Promise<R[]> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function startPostgres(t: Test, options: StartOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found (set PG_BIN_DIR)');
  const ids = osUser('postgres');
  const dir = mkdtempSync(join(tmpdir(), 'credit-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  mkdirSync(data, { mode: 0o700 });
  if (userInfo().uid === 0) {
    chownSync(dir, ids.uid, ids.gid);
    chownSync(data, ids.uid, ids.gid);
  }
  const timeZone = options.timeZone ?? 'Asia/Shanghai';

  await run(join(bin, 'initdb'), ['-D', data, '-U', ADMIN_USER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], ids, log);
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const fd = openSync(log, 'a');
    const started = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', `TimeZone=${timeZone}`,
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=40'],
      { ...asUser(ids), stdio: ['ignore', fd, fd], env: serverEnv() },
    );
    closeSync(fd);
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => { gone = true; });
    const config = { host: '127.0.0.1', port, user: ADMIN_USER, database: 'postgres', connectionTimeoutMillis: 2000 };
    for (let attempt = 0; ; attempt++) {
      if (gone) throw new Error(`postgres exited while starting:\n${tail(log)}`);
      try {
        await query(config, 'SELECT 1');
        return;
      } catch (err) {
        // Readiness is a login that works; give up only when it clearly never will.
        if (attempt > 600) throw new Error(`postgres did not accept a login: ${(err as Error).message}\n${tail(log)}`);
        await sleep(50);
      }
    }
  };

  const shutdown = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    await exited;
  };

  t.teardown(async () => {
    await shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  await launch();
  const admin = { host: '127.0.0.1', port, user: ADMIN_USER };
  await query(admin, `CREATE DATABASE ${DATABASE}`);
  await query({ ...admin, database: DATABASE }, `
    CREATE ROLE ${READ_ONLY_USER} LOGIN;
    REVOKE ALL ON DATABASE ${DATABASE} FROM PUBLIC;
    GRANT CONNECT ON DATABASE ${DATABASE} TO ${READ_ONLY_USER};
    CREATE SCHEMA ${SCHEMA};
    GRANT USAGE ON SCHEMA ${SCHEMA} TO ${READ_ONLY_USER};
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${SCHEMA} GRANT SELECT ON TABLES TO ${READ_ONLY_USER};
    ALTER DATABASE ${DATABASE} SET search_path = ${SCHEMA}, public;
  `);
  const [{ server_version: version }] = (await query<{ server_version: string }>({ ...admin, database: DATABASE }, 'SHOW server_version')) as [
    { server_version: string },
  ];

  return {
    host: '127.0.0.1',
    port,
    database: DATABASE,
    schema: SCHEMA,
    readOnlyUser: READ_ONLY_USER,
    adminUser: ADMIN_USER,
    version,
    timeZone,
    admin: (sql, params) => query({ ...admin, database: DATABASE }, sql, params),
    as: (user, sql, params) => query({ ...admin, user, database: DATABASE }, sql, params),
    requirePassword: async (user, password, method) => {
      const hba = join(data, 'pg_hba.conf');
      writeFileSync(hba, `host all ${user} 127.0.0.1/32 ${method}\n${readFileSync(hba, 'utf8')}`);
      const exists = (await query({ ...admin, database: DATABASE }, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [user])).length > 0;
      const client = new pg.Client({ ...admin, database: DATABASE });
      await client.connect();
      try {
        await client.query(`SET password_encryption = '${method}'`);
        await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${client.escapeIdentifier(user)} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
        await client.query(`GRANT CONNECT ON DATABASE ${DATABASE} TO ${client.escapeIdentifier(user)}`);
        await client.query('SELECT pg_reload_conf()');
      } finally {
        await client.end();
      }
      // The postmaster rereads pg_hba.conf when it gets to the signal: wait until a wrong password is refused.
      for (let attempt = 0; ; attempt++) {
        try {
          await query({ ...admin, user, password: `${password}-wrong`, database: DATABASE }, 'SELECT 1');
        } catch (err) {
          if ((err as { code?: string }).code === '28P01') return;
          throw err;
        }
        if (attempt > 200) throw new Error('pg_hba.conf was not reloaded');
        await sleep(25);
      }
    },
    restart: async () => {
      await shutdown();
      await launch();
    },
    stop: shutdown,
    logTail: (lines) => tail(log, lines),
  };
}

/** Options for a source on the test server, as the read-only role unless told otherwise. */
export function postgresSourceOptions(server: PostgresServer, overrides: Partial<PostgresSourceOptions> = {}): PostgresSourceOptions {
  return {
    kind: 'postgres',
    name: 'biz',
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.readOnlyUser,
    password: '',
    ...overrides,
  };
}
