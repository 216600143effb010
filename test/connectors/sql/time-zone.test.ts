/**
 * Issue 10 case 12: what a source reads does not depend on the time zone
 * the gateway process runs in. The same real MariaDB, PostgreSQL and SQLite
 * rows, and the Oracle and SQL Server drivers' own value shapes, are read by
 * two child processes, one with TZ=Asia/Shanghai (no DST) and one with
 * TZ=America/New_York (DST, with a gap at 2021-03-14 02:00–03:00 that the
 * rows sit in): both see the same values and the same cursor positions, and
 * those are the right instants for the configured zone (Asia/Shanghai).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { mariadbBinaries, startMariadb } from '../../helpers/mariadb.js';
import { postgresBinDir, postgresSourceOptions, startPostgres } from '../../helpers/postgres.js';
import { besideTest } from '../../helpers/beside.js';

const run = promisify(execFile);
const FIXTURE = besideTest(import.meta.url, '../../fixtures/connectors/read-values.ts');
const ZONE = 'Asia/Shanghai';

/** Wall-clock times in New York's 2021 DST gap, with microseconds, three rows sharing one. */
const STAMPS = ['2021-03-14 02:30:00.123456', '2021-03-14 02:30:00.123456', '2021-03-14 02:30:00.123456', '2021-03-14 02:59:59.999999'];

async function readUnder(tz: string, input: unknown): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(input)], {
    env: { ...process.env, TZ: tz },
    maxBuffer: 4 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

t.test('the same rows read the same under TZ=Asia/Shanghai and TZ=America/New_York', async (t) => {
  const sources: unknown[] = [];

  const file = join(t.testdir({}), 'biz.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE t_tz (id INTEGER PRIMARY KEY, at DATETIME NOT NULL, day DATE)');
  STAMPS.forEach((at, i) => db.prepare('INSERT INTO t_tz VALUES (?, ?, ?)').run(i + 1, at, '2021-03-14'));
  db.close();
  sources.push({ options: { kind: 'sqlite', name: 'biz', file, timeZone: ZONE }, query: 'SELECT * FROM t_tz', cursor: ['at', 'id'] });

  if (postgresBinDir()) {
    const pg = await startPostgres(t, { timeZone: 'America/New_York' });
    await pg.admin(`CREATE TABLE t_tz (id int PRIMARY KEY, at timestamp(6) NOT NULL, day date, instant timestamptz);
      GRANT SELECT ON t_tz TO credit_ro`);
    for (const [i, at] of STAMPS.entries()) await pg.admin('INSERT INTO t_tz VALUES ($1, $2, $3, $4)', [i + 1, at, '2021-03-14', `${at}+08`]);
    sources.push({ options: postgresSourceOptions(pg, { timeZone: ZONE }), query: 'SELECT * FROM t_tz', cursor: ['at', 'id'] });
  }
  if (mariadbBinaries()) {
    const maria = await startMariadb(t);
    await maria.admin('CREATE TABLE t_tz (id INT PRIMARY KEY, at DATETIME(6) NOT NULL, day DATE)');
    for (const [i, at] of STAMPS.entries()) await maria.admin('INSERT INTO t_tz VALUES (?, ?, ?)', [i + 1, at, '2021-03-14']);
    sources.push({
      options: { kind: 'mysql', name: 'biz', host: maria.host, port: maria.port, database: maria.database, user: maria.readOnlyUser, password: maria.readOnlyPassword, timeZone: ZONE },
      query: 'SELECT * FROM t_tz',
      cursor: ['at', 'id'],
    });
  }

  const [shanghai, newYork] = await Promise.all([readUnder('Asia/Shanghai', { sources }), readUnder('America/New_York', { sources })]);
  t.equal(shanghai.offsetMinutes, 480, 'the first child runs at UTC+8');
  t.equal(newYork.offsetMinutes, -240, 'the second in New York, on daylight time');
  const { tz: _a, offsetMinutes: _b, ...a } = shanghai;
  const { tz: _c, offsetMinutes: _d, ...b } = newYork;
  t.same(b, a, 'every value and every cursor position is the same in both');

  const gapInShanghai = '2021-03-13T18:30:00.123Z';
  for (const kind of ['sqlite', 'postgres', 'mysql'].filter((k) => k in a)) {
    const pages = a[kind] as { rows: Record<string, unknown>[]; position: unknown[] }[];
    const rows = pages.flatMap((p) => p.rows);
    t.same(rows.map((r) => r.id), [1, 2, 3, 4], `${kind}: every row once, three sharing one microsecond across pages of two`);
    t.equal(rows[0]!.at, gapInShanghai, `${kind}: 02:30 Shanghai time is 18:30 UTC, not moved by New York's gap`);
    t.same(pages[0]!.position, ['2021-03-13T18:30:00.123456Z', 2], `${kind}: the cursor position keeps the microseconds`);
    if (kind === 'postgres') t.equal(rows[0]!.instant, gapInShanghai, 'postgres: timestamptz is the instant');
  }
  t.same((a.oracle as string[]).slice(0, 2), ['2021-03-13T18:30:00.000Z', '2021-03-13T18:30:00.123Z'], 'Oracle text as pages read it');
  t.match((a.oracle as string[])[2], /^0044-03-15T/, 'a year below 100 stays itself');
  t.same(a.mssql, ['2021-03-13T18:30:00.123Z', '2021-03-13T18:30:00.003Z', '2021-03-14'], 'SQL Server values as tedious hands them over');
});
