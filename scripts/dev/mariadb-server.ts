import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

/**
 * A real MariaDB server in a temp dir, on a random loopback port, as a
 * direct child of the caller (`--no-defaults` keeps it off /etc/mysql): the
 * tests' database server (test/helpers/mariadb.ts) and the benchmark's. The
 * database `biz` may only be read by `credit_ro` (SELECT on biz.*);
 * `credit_admin` has every privilege and creates tables and rows.
 *
 * By default the server runs with time_zone=SYSTEM on an OS zone of
 * Asia/Shanghai, the usual setup of a department's server, so code that
 * trusts the server's or the gateway's zone gets caught.
 */
export interface MariadbServer {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly readOnlyUser: string;
  readonly readOnlyPassword: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** VERSION(), e.g. '10.11.19-MariaDB-0+deb12u1'. */
  readonly version: string;
  /** The OS zone the server runs in, or the offset given as its default time zone. */
  readonly timeZone: string;
  /** Runs SQL as the admin on a fresh connection in `biz`, so it works across restarts. */
  admin<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs SQL as another account on a fresh connection in `biz`. */
  as<R = Record<string, unknown>>(user: string, password: string, sql: string, params?: unknown[]): Promise<R[]>;
  /** Kills mariadbd with SIGKILL, as a crash or an operator's kill -9 would; resolves once it has exited. */
  crash(): Promise<void>;
  /** Starts mariadbd again on the same data dir and port; resolves once a login works. */
  start(): Promise<void>;
  /** A clean shutdown, then start again. */
  restart(): Promise<void>;
  /** A clean shutdown; resolves once mariadbd has exited. */
  stop(): Promise<void>;
  /** The last lines of the server log, for failure messages. */
  logTail(lines?: number): string;
}

export interface StartOptions {
  /**
   * An IANA name runs the server with time_zone=SYSTEM in that OS zone; an
   * offset such as '+08:00' is given to the server as its default time zone.
   */
  timeZone?: string;
  /** InnoDB buffer pool, e.g. '1G'; 64M keeps tests light. */
  bufferPoolSize?: string;
  /**
   * A folder kept after close and reused by the next start (a benchmark's
   * table outlives its run); by default a fresh temp dir, removed on close.
   */
  keepDir?: string;
}

/** A started server and how to be done with it. */
export interface OwnedMariadbServer extends MariadbServer {
  /** A clean shutdown, then the temp dir removed (a `keepDir` stays). */
  close(): Promise<void>;
}

const DATABASE = 'biz';
const READ_ONLY_USER = 'credit_ro';
const ADMIN_USER = 'credit_admin';

export function mariadbBinaries(): { server: string; installDb: string } | null {
  const server = process.env.MARIADBD ?? ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'].find((p) => existsSync(p));
  const installDb = process.env.MARIADB_INSTALL_DB ?? ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((p) => existsSync(p));
  return server && installDb ? { server, installDb } : null;
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

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

interface Login {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
}

async function query<R>(login: Login, sql: string, params?: unknown[]): Promise<R[]> {
  const connection = await mysql.createConnection({ ...login, connectTimeout: 2000, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  try {
    const [rows] = await connection.query(sql, params);
    return (Array.isArray(rows) ? rows : [rows]) as R[];
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

/** The accounts' passwords, kept beside a kept data dir so the next start can log in. */
function passwords(dir: string, fresh: boolean): { admin: string; readOnly: string } {
  const file = join(dir, 'accounts.json');
  if (!fresh && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { admin: string; readOnly: string };
  const made = { admin: randomBytes(12).toString('hex'), readOnly: randomBytes(12).toString('hex') };
  writeFileSync(file, JSON.stringify(made), { mode: 0o600 });
  return made;
}

export async function startMariadbServer(options: StartOptions = {}): Promise<OwnedMariadbServer> {
  const bin = mariadbBinaries();
  if (!bin) throw new Error('MariaDB server binaries not found (set MARIADBD and MARIADB_INSTALL_DB)');
  if (options.keepDir) mkdirSync(options.keepDir, { recursive: true });
  const dir = options.keepDir ?? mkdtempSync(join(tmpdir(), 'credit-mariadb-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const initFile = join(dir, 'init.sql');
  // Its own temp folder: with several servers starting at once, an install in the shared /tmp once
  // failed on a temp table gone from under it ("Error on delete of '/tmp/#sql-temptable-…'").
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const offsetZone = /^[+-]\d{2}:\d{2}$/.test(timeZone);
  const installed = existsSync(join(data, 'mysql'));
  const secrets = passwords(dir, !installed);
  const adminPassword = secrets.admin;
  const readOnlyPassword = secrets.readOnly;
  // mariadbd refuses to run as root unless told which user to be.
  const asRoot = userInfo().uid === 0 ? ['--user=root'] : [];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TZ: offsetZone ? 'UTC' : timeZone };

  let removed = false;
  const removeDir = () => {
    if (!removed && !options.keepDir) rmSync(dir, { recursive: true, force: true });
    removed = true;
  };

  let port = 0;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const admin: Login = { host: '127.0.0.1', port: 0, user: ADMIN_USER, password: adminPassword };

  const shutdown = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.ref();
    running.kill(signal);
    await exited;
  };

  const launch = async (first: boolean) => {
    const args = [
      '--no-defaults', ...asRoot, `--datadir=${data}`, '--bind-address=127.0.0.1', `--port=${port}`,
      `--socket=${join(dir, 's.sock')}`, `--pid-file=${join(dir, 'pid')}`, `--tmpdir=${tmp}`, '--skip-log-bin',
      `--innodb-buffer-pool-size=${options.bufferPoolSize ?? '64M'}`, '--skip-name-resolve',
      // 2, not 0: a commit reaches the OS at once, so rows survive a killed mariadbd (not a lost machine).
      '--innodb-flush-log-at-trx-commit=2',
      ...(offsetZone ? [`--default-time-zone=${timeZone}`] : []),
      // The init file creates the accounts once; run again it would fail on CREATE USER.
      ...(first ? [`--init-file=${initFile}`] : []),
    ];
    rmSync(join(dir, 'pid'), { force: true });
    const fd = openSync(log, 'a');
    const started = spawn(bin.server, args, { stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    // Unreferenced while it runs, so a test file that starts its server at
    // top level still reaches the end where tap runs the teardown that stops it.
    started.unref();
    child = started;
    let gone = false;
    exited = new Promise((resolve) => started.once('exit', () => { gone = true; resolve(); }));
    admin.port = port;
    for (let attempt = 0; ; attempt++) {
      if (gone) throw new Error(`mariadbd exited while starting:\n${tail(log)}`);
      // The port opens before the init file has run: ready means the pid
      // file is there and the admin the init file creates can log in.
      if (existsSync(join(dir, 'pid'))) {
        try {
          await query(admin, 'SELECT 1');
          return;
        } catch (err) {
          if (attempt > 600) throw new Error(`mariadbd did not accept a login: ${(err as Error).message}\n${tail(log)}`);
        }
      }
      await sleep(50);
    }
  };

  try {
    if (!installed) {
      const install = spawnSync(
        bin.installDb,
        ['--no-defaults', ...asRoot, `--datadir=${data}`, `--tmpdir=${tmp}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
        { env, encoding: 'utf8' },
      );
      if (install.status !== 0) throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr}${install.stdout}`);
      writeFileSync(
        initFile,
        [
          `CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;`,
          `CREATE USER '${ADMIN_USER}'@'%' IDENTIFIED BY ${quote(adminPassword)};`,
          `GRANT ALL PRIVILEGES ON *.* TO '${ADMIN_USER}'@'%' WITH GRANT OPTION;`,
          `CREATE USER '${READ_ONLY_USER}'@'%' IDENTIFIED BY ${quote(readOnlyPassword)};`,
          `GRANT SELECT ON ${DATABASE}.* TO '${READ_ONLY_USER}'@'%';`,
          '',
        ].join('\n'),
      );
    }
    // Another process may take the free port between the probe and the bind: try a few.
    for (let tries = 0; ; tries++) {
      port = await freePort();
      try {
        await launch(!installed);
        break;
      } catch (err) {
        await shutdown('SIGKILL');
        if (tries >= 2 || !/Bind on TCP\/IP port|Address already in use/.test(tail(log))) throw err;
      }
    }
  } catch (err) {
    await shutdown('SIGKILL');
    removeDir();
    throw err;
  }

  const inBiz = (login: Login): Login => ({ ...login, database: DATABASE });
  const [{ version }] = (await query<{ version: string }>(admin, 'SELECT VERSION() AS version')) as [{ version: string }];

  return {
    host: '127.0.0.1',
    port,
    database: DATABASE,
    readOnlyUser: READ_ONLY_USER,
    readOnlyPassword,
    adminUser: ADMIN_USER,
    adminPassword,
    version,
    timeZone,
    admin: (sql, params) => query(inBiz(admin), sql, params),
    as: (user, password, sql, params) => query(inBiz({ ...admin, user, password }), sql, params),
    crash: () => shutdown('SIGKILL'),
    start: () => launch(false),
    restart: async () => {
      await shutdown();
      await launch(false);
    },
    stop: () => shutdown(),
    logTail: (lines) => tail(log, lines),
    close: async () => {
      await shutdown();
      removeDir();
    },
  };
}
