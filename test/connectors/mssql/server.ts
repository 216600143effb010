/**
 * A SQL Server reached through TEST_MSSQL_URL (no SQL Server can run on the
 * CI machine, so the suite runs only where one is given):
 *
 *   TEST_MSSQL_URL=mssql://USER:PASSWORD@HOST[:PORT]/DATABASE[?encrypt=false&trustServerCertificate=true&instanceName=NAME]
 *
 * USER and PASSWORD are URL-encoded. The account creates, fills and drops
 * the suite's tables (cf_<run>_<what>) in DATABASE: db_owner of a scratch
 * database is enough. With ALTER ANY CONNECTION (sysadmin, e.g. `sa` of a
 * throwaway container) the suite also cuts the source's connection with
 * KILL; without it that case is skipped. The source reads with the same
 * account unless TEST_MSSQL_READ_URL names a read-only login.
 */
import type { MssqlSourceOptions } from '../../../connectors/options.js';

export type MssqlServerOptions = Omit<MssqlSourceOptions, 'name' | 'kind'>;

export function mssqlUrlOptions(url: string): MssqlServerOptions {
  const u = new URL(url);
  if (u.protocol !== 'mssql:') throw new Error(`expected mssql://user:password@host:port/database, not ${u.protocol}//…`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !database || !u.username) throw new Error('expected mssql://user:password@host:port/database');
  const flag = (name: string) => (u.searchParams.has(name) ? u.searchParams.get(name) !== 'false' : undefined);
  const encrypt = flag('encrypt');
  const trustServerCertificate = flag('trustServerCertificate');
  const instanceName = u.searchParams.get('instanceName');
  return {
    host: u.hostname,
    ...(u.port ? { port: Number(u.port) } : {}),
    database,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    ...(encrypt !== undefined ? { encrypt } : {}),
    ...(trustServerCertificate !== undefined ? { trustServerCertificate } : {}),
    ...(instanceName ? { instanceName } : {}),
  };
}
