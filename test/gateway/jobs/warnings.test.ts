import t from 'tap';
import type { CursorProbe, SourceFacts } from '../../../connectors/contract.js';
import { utcOffsetMinutes, zonesDiffer } from '../../../gateway/jobs/time-zone.js';
import { incrementalWarnings, snapshotWarnings, sourceWarnings, WARNINGS, zoneWarnings } from '../../../gateway/jobs/warnings.js';
import { readWindow } from '../../../gateway/jobs/window.js';

const probe = (over: Partial<CursorProbe> = {}): CursorProbe => ({ nullCursorRows: 0, columnType: 'DATETIME', fractionalDigits: 3, ...over });
const facts = (over: Partial<SourceFacts> = {}): SourceFacts => ({ now: '2026-11-26T08:00:00.000Z', serverVersion: 'x', timeZone: '+08:00', canWrite: false, ...over });
const window = (fractionalDigits: number | null, safetyLagSecs = 5) =>
  readWindow({ columns: ['updated_at', 'id'], stored: null, kind: 'timestamp', databaseNow: '2026-11-26T08:00:00.000Z', fractionalDigits, safetyLagSecs, lookbackSecs: 0 });

function incremental(over: Partial<Parameters<typeof incrementalWarnings>[0]> = {}) {
  return incrementalWarnings({ cursor: ['updated_at', 'id'], probe: probe(), kind: 'timestamp', window: window(3), lookbackSecs: 0, snapshotScheduled: false, ...over });
}

t.test('a clean probe gives no warning', async (t) => {
  t.same(incremental(), []);
  t.same(sourceWarnings({ facts: facts() }), []);
  t.same(zoneWarnings({ facts: facts(), timeZone: 'Asia/Shanghai', probe: probe() }), [], 'the database\'s zone is the configured one');
});

t.test('rows with a NULL cursor are counted, and the warning says what to do', async (t) => {
  const [w] = incremental({ probe: probe({ nullCursorRows: 17 }) });
  t.equal(w!.code, 'NULL_CURSOR_ROWS');
  t.match(w!.message, /有 17 行的游标列（updated_at、id）为空/);
  t.match(w!.action, /snapshotSchedule/);
});

t.test('a whole-second cursor column is reported with the lag that protects it, at least 1 s', async (t) => {
  const [w] = incremental({ probe: probe({ fractionalDigits: 0 }), window: window(0, 0) });
  t.equal(w!.code, 'WHOLE_SECOND_CURSOR');
  t.match(w!.message, /updated_at 只精确到秒/);
  t.match(w!.message, /当前 1 秒/);
});

t.test('a numeric cursor warns that it has no clock bound, unless a snapshot schedule covers it', async (t) => {
  const numeric = { kind: 'number' as const, probe: probe({ columnType: 'BIGINT', fractionalDigits: null }) };
  t.same(incremental(numeric).map((w) => w.code), ['NUMERIC_CURSOR']);
  t.same(incremental({ ...numeric, snapshotScheduled: true }), []);
  t.same(incremental({ ...numeric, snapshotScheduled: true, lookbackSecs: 60 }).map((w) => w.code), ['LOOKBACK_IGNORED']);
});

t.test('a snapshot job warns of rows whose key is NULL', async (t) => {
  t.same(snapshotWarnings({ key: ['id'], probe: probe({ nullCursorRows: 0 }) }), []);
  const [w] = snapshotWarnings({ key: ['id'], probe: probe({ nullCursorRows: 2 }) });
  t.equal(w!.code, 'NULL_KEY_ROWS');
  t.match(w!.message, /有 2 行的主键列（id）为空/);
});

t.test('an account that can write is a source warning', async (t) => {
  const [w] = sourceWarnings({ facts: facts({ canWrite: true }) });
  t.equal(w!.code, 'WRITABLE_ACCOUNT');
  t.equal(w!.message, '数据库账号具有写权限，建议改用只读账号');
  t.same(sourceWarnings({ facts: facts({ canWrite: null }) }), [], 'a database that cannot tell gets no warning');
});

t.test('a database zone that differs from the configured one is a job warning, where the job reads times without a zone', async (t) => {
  const naive = probe({ naiveTimeColumns: ['updated_at', 'jdrq'] });
  const [w] = zoneWarnings({ facts: facts({ timeZone: 'UTC' }), timeZone: 'Asia/Shanghai', probe: naive });
  t.equal(w!.code, 'TIME_ZONE_MISMATCH');
  t.match(w!.message, /UTC.*（列 updated_at、jdrq）.*Asia\/Shanghai/);
  t.same(zoneWarnings({ facts: facts({ timeZone: 'UTC' }), timeZone: 'Asia/Shanghai', probe: probe({ naiveTimeColumns: [] }) }), [], 'only instants (timestamptz): no zone can shift them, no warning');
  t.equal(zoneWarnings({ facts: facts({ timeZone: 'UTC' }), timeZone: 'Asia/Shanghai', probe: probe({}) }).length, 1, 'a source that cannot tell its columns still warns');
  t.same(zoneWarnings({ facts: facts({ timeZone: 'UTC' }), probe: naive }), [], 'no configured zone (SQLite): nothing to compare');
  t.same(zoneWarnings({ facts: facts({ timeZone: 'SYSTEM' }), timeZone: 'Asia/Shanghai', probe: naive }), [], 'a zone the database does not name: no guess');
  t.same(sourceWarnings({ facts: facts({ timeZone: 'UTC' }) }), [], 'never a warning of the source as a whole');
});

t.test('zones are compared by their offset at the database clock', async (t) => {
  const at = new Date('2026-11-26T08:00:00.000Z');
  const rows: [string, number | null][] = [
    ['+08:00', 480], ['+0800', 480], ['08:00', 480], ['-05:00', -300], ['UTC', 0], ['GMT', 0], ['Z', 0],
    ['Asia/Shanghai', 480], ['PRC', 480], ['Etc/GMT-8', 480], ['America/New_York', -300],
    ['(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi', 480], ['(UTC) Coordinated Universal Time', 0], ['ASIA/SHANGHAI', 480],
    ['SYSTEM', null], ['CST', null], ['China Standard Time', null],
  ];
  for (const [zone, offset] of rows) t.equal(utcOffsetMinutes(zone, at), offset, zone);
  t.equal(zonesDiffer('+08:00', 'Asia/Shanghai', at), false);
  t.equal(zonesDiffer('PRC', 'Asia/Shanghai', at), false);
  t.equal(zonesDiffer('+00:00', 'Asia/Shanghai', at), true);
  t.equal(zonesDiffer(null, 'Asia/Shanghai', at), false);
});

t.test('every warning has a Chinese message and an action', async (t) => {
  for (const [code, spec] of Object.entries(WARNINGS)) {
    t.match(code, /^[A-Z][A-Z_]+$/);
    t.match(spec.action, /[\u4e00-\u9fff]/, `${code} action is Chinese`);
  }
});

t.test('a read held back more than a minute by an open transaction says since when, and what to look for', async (t) => {
  const held = (oldestStart: string) => readWindow({
    columns: ['updated_at', 'id'], stored: null, kind: 'timestamp', databaseNow: '2026-11-26T08:00:00.000Z', fractionalDigits: 6, safetyLagSecs: 5, lookbackSecs: 0,
    open: { visible: true, oldestStart, how: 'pg_stat_activity' },
  });
  t.same(incremental({ window: held('2026-11-26T07:59:30.000Z') }), [], 'half a minute: nothing to say');
  const [w] = incremental({ window: held('2026-11-26T07:50:00.000Z') });
  t.equal(w!.code, 'HELD_BY_OPEN_TRANSACTION');
  t.match(w!.message, /从 2026-11-26T07:50:00.000Z 起已持续约 600 秒/);
  t.match(w!.message, /不会漏读/);
  t.match(w!.action, /pg_stat_activity/);
});
