import t from 'tap';
import { cursorKind, cursorToCommit, OPEN_TRANSACTION_MARGIN_SECS, readWindow, type WindowInput } from '../../../gateway/jobs/window.js';

const NOW = '2026-11-26T08:00:00.000Z';

function input(over: Partial<WindowInput> = {}): WindowInput {
  return {
    columns: ['updated_at', 'id'],
    stored: ['2026-11-26T07:00:00.000Z', 42],
    kind: 'timestamp',
    databaseNow: NOW,
    fractionalDigits: 3,
    safetyLagSecs: 5,
    lookbackSecs: 0,
    ...over,
  };
}

t.test('the first cursor column is read as a timestamp or a number, by its declared type or else by a value', async (t) => {
  const rows: [Parameters<typeof cursorKind>[0], string][] = [
    [{ columnType: 'DATETIME', fractionalDigits: 0 }, 'timestamp'],
    [{ columnType: 'timestamp with time zone', fractionalDigits: 6 }, 'timestamp'],
    [{ columnType: 'DATETIME2', fractionalDigits: null }, 'timestamp'],
    [{ columnType: 'date', fractionalDigits: null }, 'timestamp'],
    [{ columnType: 'BIGINT', fractionalDigits: null }, 'number'],
    [{ columnType: 'NUMBER', fractionalDigits: null }, 'number'],
    [{ columnType: 'TIMESTAMP', fractionalDigits: 0 }, 'timestamp'],
    [{ columnType: 'timestamp', fractionalDigits: null }, 'unknown'],
    [{ columnType: 'timestamp', fractionalDigits: null, sample: '2026-01-01T00:00:17.000Z' }, 'timestamp'],
    [{ columnType: null, fractionalDigits: null, sample: '2026-01-01T00:00:17.000Z' }, 'timestamp'],
    [{ columnType: null, fractionalDigits: null, sample: '2026-01-01 08:00:17' }, 'timestamp'],
    [{ columnType: null, fractionalDigits: null, sample: 17 }, 'number'],
    [{ columnType: null, fractionalDigits: null, sample: '90071992547409930' }, 'number'],
    [{ columnType: null, fractionalDigits: null, sample: 'abc' }, 'unknown'],
    [{ columnType: null, fractionalDigits: null, sample: null }, 'unknown'],
    [{ columnType: null, fractionalDigits: null }, 'unknown'],
  ];
  for (const [evidence, kind] of rows) t.equal(cursorKind(evidence), kind, JSON.stringify(evidence));
});

t.test('a timestamp cursor reads up to the database clock minus the safety lag, as an ISO UTC string', async (t) => {
  const w = readWindow(input());
  t.equal(w.through, '2026-11-26T07:59:55.000Z');
  t.same(w.after, ['2026-11-26T07:00:00.000Z', 42], 'from the stored cursor');
  t.equal(w.lagSecs, 5);
  t.equal(w.lookback, false);
});

t.test('the bound comes from the database clock whatever its zone notation', async (t) => {
  t.equal(readWindow(input({ databaseNow: '2026-11-26T16:00:00+08:00' })).through, '2026-11-26T07:59:55.000Z');
});

t.test('a lag of 0 reads up to the database clock itself', async (t) => {
  t.equal(readWindow(input({ safetyLagSecs: 0 })).through, NOW);
});

t.test('a whole-second column gets at least one second of lag', async (t) => {
  const w = readWindow(input({ fractionalDigits: 0, safetyLagSecs: 0 }));
  t.equal(w.lagSecs, 1);
  t.equal(w.through, '2026-11-26T07:59:59.000Z');
  t.equal(readWindow(input({ fractionalDigits: 0, safetyLagSecs: 5 })).lagSecs, 5, 'a longer lag is kept');
});

t.test('a numeric or unknown cursor has no bound and reads from the stored cursor', async (t) => {
  for (const kind of ['number', 'unknown'] as const) {
    const w = readWindow(input({ kind, stored: [41, 41], lookbackSecs: 600 }));
    t.equal(w.through, undefined, `${kind}: no through`);
    t.same(w.after, [41, 41]);
    t.equal(w.lookback, false, `${kind}: no look-back without a clock`);
  }
});

t.test('a look-back starts that far before the cursor, before every key of that instant', async (t) => {
  const w = readWindow(input({ lookbackSecs: 600 }));
  t.same(w.after, ['2026-11-26T06:50:00.000Z', null]);
  t.equal(w.lookback, true);
  t.equal(w.through, '2026-11-26T07:59:55.000Z', 'the bound is the same');
  t.same(readWindow(input({ columns: ['updated_at', 'org', 'id'], stored: ['2026-11-26T07:00:00.000Z', 'a', 1], lookbackSecs: 60 })).after,
    ['2026-11-26T06:59:00.000Z', null, null]);
});

t.test('the first run starts from the beginning, with or without look-back', async (t) => {
  t.same(readWindow(input({ stored: null, lookbackSecs: 600 })).after, null);
  t.same(readWindow(input({ stored: null })).after, null);
});

t.test('a page commits its last position, never one behind the stored cursor', async (t) => {
  const stored = ['2026-11-26T07:00:00.000Z', 42];
  const rows: [unknown[] | null, unknown[], unknown[] | null, string][] = [
    [null, ['2026-11-26T06:00:00.000Z', 1], ['2026-11-26T06:00:00.000Z', 1], 'first page of a job'],
    [stored, ['2026-11-26T07:00:01.000Z', 1], ['2026-11-26T07:00:01.000Z', 1], 'later instant'],
    [stored, ['2026-11-26T07:00:00.000Z', 43], ['2026-11-26T07:00:00.000Z', 43], 'same instant, later key'],
    [stored, ['2026-11-26T07:00:00.000Z', 42], null, 'the stored position itself'],
    [stored, ['2026-11-26T06:55:00.000Z', 99], null, 'look-back page'],
    [stored, ['2026-11-26T07:00:00.000Z', 41], null, 'same instant, earlier key'],
    [[5, 7], [6, 1], [6, 1], 'numbers'],
    [['90071992547409930', 1], ['90071992547409931', 1], ['90071992547409931', 1], 'big integers as strings'],
    [['2026-11-26T07:00:00.000Z', 'b'], ['2026-11-26T07:00:00.000Z', 'a'], ['2026-11-26T07:00:00.000Z', 'a'], 'text keys: collation unknown, committed as read'],
  ];
  for (const [s, last, expected, what] of rows) t.same(cursorToCommit(s as never, last as never), expected, what);
});

t.test('exact positions compare to their last digit: a page inside one millisecond still moves the cursor forward', async (t) => {
  const stored = ['2026-01-01T04:00:00.123456Z', 40];
  t.same(cursorToCommit(stored, ['2026-01-01T04:00:00.123456Z', 80]), ['2026-01-01T04:00:00.123456Z', 80], 'the same instant, a later key');
  t.same(cursorToCommit(stored, ['2026-01-01T04:00:00.1235Z', 1]), ['2026-01-01T04:00:00.1235Z', 1], 'a later microsecond of the same millisecond');
  t.equal(cursorToCommit(stored, ['2026-01-01T04:00:00.123Z', 99]), null, 'an earlier position (a look-back page) leaves the cursor');
});

const seen = (oldestStart: string | null) => ({ visible: true, oldestStart, how: 'innodb_trx' });

t.test('where every open transaction is seen and none is open, the read goes up to the clock less a quarter second and the column\'s step', async (t) => {
  const w = readWindow(input({ open: seen(null) }));
  t.equal(w.through, '2026-11-26T07:59:59.749Z', 'milliseconds: 0.25 s + 1 ms');
  t.equal(w.lagSecs, OPEN_TRANSACTION_MARGIN_SECS + 0.001);
  t.same(w.bound, { kind: 'open-transactions', how: 'innodb_trx', oldestStart: null });
  t.same(w.after, ['2026-11-26T07:00:00.000Z', 42], 'from the stored cursor as before');
});

t.test('an open transaction holds the bound back to its start, however long ago, past the fixed lag', async (t) => {
  t.equal(readWindow(input({ open: seen('2026-11-26T07:59:58.100Z') })).through, '2026-11-26T07:59:57.849Z', 'a transaction open for two seconds');
  const long = readWindow(input({ open: seen('2026-11-26T07:40:00.000Z') }));
  t.equal(long.through, '2026-11-26T07:39:59.749Z', 'one open for twenty minutes: its rows are waited for, where a 5 s lag would skip them');
  t.equal(long.lagSecs, 1200.251);
  t.equal(readWindow(input({ open: seen('2026-11-26T08:00:03.000Z') })).through, '2026-11-26T07:59:59.749Z', 'a start after the clock reading never lifts the bound past the clock');
});

t.test('on a whole-second column (or one of unknown precision) the open-transaction bound keeps a full second back, and the margin', async (t) => {
  t.equal(readWindow(input({ fractionalDigits: 0, open: seen(null) })).through, '2026-11-26T07:59:58.750Z');
  t.equal(readWindow(input({ fractionalDigits: null, open: seen('2026-11-26T07:59:58.500Z') })).through, '2026-11-26T07:59:57.250Z');
  t.equal(readWindow(input({ fractionalDigits: 6, open: seen(null) })).through, '2026-11-26T07:59:59.749Z', 'microseconds: the margin and a microsecond, down to the millisecond');
});

t.test('the fixed lag applies where the transactions cannot be seen, or the application stamps the column, and says why', async (t) => {
  const blind = (reason: 'privilege' | 'replica' | 'unsupported' | 'failed', detail: string) =>
    ({ visible: false, oldestStart: null, how: 'innodb_trx', blind: { reason, detail } });
  const rows: [Partial<WindowInput>, object][] = [
    [{ open: blind('privilege', 'PROCESS') }, { kind: 'fixed-lag', why: 'privilege', detail: 'PROCESS' }],
    [{ open: blind('replica', 'pg_stat_activity') }, { kind: 'fixed-lag', why: 'replica', detail: 'pg_stat_activity' }],
    [{ open: blind('unsupported', 'sqlite') }, { kind: 'fixed-lag', why: 'unsupported', detail: 'sqlite' }],
    [{ open: blind('failed', 'timeout') }, { kind: 'fixed-lag', why: 'failed', detail: 'timeout' }],
    [{ open: null }, { kind: 'fixed-lag', why: 'not-shown' }],
    [{}, { kind: 'fixed-lag', why: 'not-shown' }],
    [{ cursorClock: 'application', open: seen(null) }, { kind: 'fixed-lag', why: 'application-clock' }],
  ];
  for (const [over, bound] of rows) {
    const w = readWindow(input(over));
    t.equal(w.through, '2026-11-26T07:59:55.000Z', JSON.stringify(over));
    t.equal(w.lagSecs, 5);
    t.same(w.bound, bound);
  }
});

t.test('numeric cursors ignore open transactions: there is no clock to bound', async (t) => {
  const w = readWindow(input({ kind: 'number', stored: [41, 41], open: seen(null) }));
  t.equal(w.through, undefined);
  t.equal(w.bound, undefined);
});

t.test('a look-back keeps the open-transaction bound', async (t) => {
  const w = readWindow(input({ lookbackSecs: 600, open: seen(null) }));
  t.same(w.after, ['2026-11-26T06:50:00.000Z', null]);
  t.equal(w.through, '2026-11-26T07:59:59.749Z');
});
