/**
 * What each source kind is built from: the configuration's source entry with
 * its secret already resolved (a connector never sees a secret reference, and
 * never puts the password in a message). Every kind's `index.ts` exports
 * `create<Kind>Source(options): Source`; `commonSqlSettings` fills the shared
 * defaults so every kind defaults the same way.
 */

/** Time the source can be given instead of the real one (tests, embedding); never set from configuration. */
export interface SourceClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface CommonSourceOptions {
  name: string;
  /** IANA zone in which the database's naive timestamps are written. Default 'Asia/Shanghai'. */
  timeZone?: string;
  /** Rows per page the gateway asks for by default. Default 500. */
  pageSize?: number;
  /** Longest a single statement may run before it is cancelled. Default 30 000. */
  queryTimeoutMs?: number;
  /** Longest a connection attempt may take. Default 10 000. */
  connectTimeoutMs?: number;
  /** Average read rate cap, so an extraction never loads the department's server; absent = no cap. */
  rowsPerSecond?: number;
  /** Not configuration: replaces the wall clock for pacing. */
  clock?: SourceClock;
}

export interface NetworkSourceOptions {
  host: string;
  port?: number;
  database: string;
  user: string;
  /** The resolved secret. */
  password: string;
}

/** MySQL and MariaDB. */
export interface MysqlSourceOptions extends CommonSourceOptions, NetworkSourceOptions {
  kind: 'mysql';
}

/** PostgreSQL and the databases that speak its protocol (Kingbase, openGauss/GaussDB, HighGo). */
export interface PostgresSourceOptions extends CommonSourceOptions, NetworkSourceOptions {
  kind: 'postgres';
}

export interface MssqlSourceOptions extends CommonSourceOptions, NetworkSourceOptions {
  kind: 'mssql';
  instanceName?: string;
  encrypt?: boolean;
  trustServerCertificate?: boolean;
}

export interface OracleSourceOptions extends CommonSourceOptions, NetworkSourceOptions {
  kind: 'oracle';
  /** Easy Connect string or TNS alias; without it host:port/database, database being the service name. */
  connectString?: string;
  /** Oracle Instant Client directory: thick mode, needed for 11g (thin mode needs 12.1+). */
  thickLibDir?: string;
}

export interface SqliteSourceOptions extends CommonSourceOptions {
  kind: 'sqlite';
  /** Absolute path of the database file. */
  file: string;
}

export interface SourceOptionsByKind {
  mysql: MysqlSourceOptions;
  postgres: PostgresSourceOptions;
  mssql: MssqlSourceOptions;
  oracle: OracleSourceOptions;
  sqlite: SqliteSourceOptions;
}

export type SourceKind = keyof SourceOptionsByKind;
export type SourceOptions = SourceOptionsByKind[SourceKind];

/** The port each network kind connects to when none is given (one table: the connectors and the secret bindings read it). */
export const SOURCE_DEFAULT_PORTS = { mysql: 3306, postgres: 5432, mssql: 1433, oracle: 1521 } as const;

export const SOURCE_DEFAULTS = {
  timeZone: 'Asia/Shanghai',
  pageSize: 500,
  queryTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
} as const;

export interface CommonSqlSettings {
  name: string;
  timeZone: string;
  pageSize: number;
  queryTimeoutMs: number;
  connectTimeoutMs: number;
  rowsPerSecond?: number;
  clock?: SourceClock;
}

/** The common options with their defaults, to spread into a SqlSource. */
export function commonSqlSettings(options: CommonSourceOptions): CommonSqlSettings {
  return {
    name: options.name,
    timeZone: options.timeZone ?? SOURCE_DEFAULTS.timeZone,
    pageSize: options.pageSize ?? SOURCE_DEFAULTS.pageSize,
    queryTimeoutMs: options.queryTimeoutMs ?? SOURCE_DEFAULTS.queryTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? SOURCE_DEFAULTS.connectTimeoutMs,
    ...(options.rowsPerSecond !== undefined ? { rowsPerSecond: options.rowsPerSecond } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
}
