import type { Test } from 'tap';
import { startMariadbServer, type MariadbServer, type StartOptions } from '../../scripts/dev/mariadb-server.js';

/**
 * A real MariaDB server for one test file (scripts/dev/mariadb-server.ts:
 * a temp dir, a random loopback port, `biz` readable by `credit_ro`,
 * Asia/Shanghai by default), stopped and removed when the test ends.
 */
export { mariadbBinaries, type MariadbServer } from '../../scripts/dev/mariadb-server.js';

export async function startMariadb(t: Test, options: Omit<StartOptions, 'keepDir'> = {}): Promise<MariadbServer> {
  const server = await startMariadbServer(options);
  t.teardown(() => server.close());
  return server;
}
