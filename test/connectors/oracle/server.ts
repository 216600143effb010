/**
 * An Oracle database reached through TEST_ORACLE_URL (no Oracle can run on
 * the CI machine, so the suite runs only where one is given):
 *
 *   TEST_ORACLE_URL=oracle://USER:PASSWORD@HOST[:PORT]/SERVICE_NAME[?thickLibDir=/opt/oracle/instantclient_19_25]
 *
 * USER and PASSWORD are URL-encoded. Thin mode (12.1+) unless thickLibDir
 * is given (11g). The account creates, fills and drops the suite's tables
 * (cf_<run>_<what>) in its own schema: CREATE SESSION, CREATE TABLE and a
 * quota are enough. With SELECT on V_$SESSION and ALTER SYSTEM (e.g. SYSTEM
 * of a throwaway container) the suite also cuts the source's session with
 * ALTER SYSTEM KILL SESSION; without them that case is skipped. The source
 * reads with the same account: its read-only transactions refuse writes
 * whatever the grants.
 */
import type { OracleSourceOptions } from '../../../connectors/options.js';

export type OracleServerOptions = Omit<OracleSourceOptions, 'name' | 'kind'>;

export function oracleUrlOptions(url: string): OracleServerOptions {
  const u = new URL(url);
  if (u.protocol !== 'oracle:') throw new Error(`expected oracle://user:password@host:port/service, not ${u.protocol}//…`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !database || !u.username) throw new Error('expected oracle://user:password@host:port/service');
  const thickLibDir = u.searchParams.get('thickLibDir');
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(u.port ? { port: Number(u.port) } : {}),
    database,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    ...(thickLibDir ? { thickLibDir } : {}),
  };
}
