/**
 * The one conformance suite every SQL source passes: what the gateway relies
 * on, checked the same way against every database. A database kind runs it
 * from its own test file with a ConformanceTarget over a real server:
 *
 *   conformanceSuite(t, { kind: 'mysql', version, makeSource, admin, ddl, literal, quoteIdentifier });
 *
 * The suite creates its own tables (named cf_<run>_<what>, so a shared
 * server can run it again), drops them at the end and closes `admin`. It
 * reads in the zone 'Asia/Shanghai' unless a case says otherwise, and never
 * branches on the kind: every difference between databases is in the target.
 */
import type { Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { unreadableValue, type Row, type Source, type Value } from '../../connectors/contract.js';
import type { CommonSourceOptions, SourceClock } from '../../connectors/options.js';
import { RUN_ON_SESSION } from '../../connectors/sql/sql-source.js';
import { checkSelectOnly } from '../../connectors/sql/statement-guard.js';
import { isoFromEpoch, isoToEpoch, isoToNaiveLocal } from '../../connectors/sql/time.js';

/** Column types of the suite's logical tables, in the target database's words. */
export interface ConformanceDdl {
  /** e.g. INTEGER, INT, NUMBER(10) */
  integer: string;
  /** Text up to 100 characters, Chinese included: VARCHAR(100), NVARCHAR(100), VARCHAR2(100 CHAR) */
  varchar: string;
  /** Blank-padded CHAR(10) / NCHAR(10) */
  char10: string;
  /** Exact DECIMAL(20,4); TEXT in SQLite, which keeps DECIMAL as a float */
  decimal: string;
  /** A calendar date: DATE */
  date: string;
  /** A timestamp without zone, keeping milliseconds: TIMESTAMP(3), DATETIME(3), DATETIME2(3) */
  timestamp: string;
  /** BOOLEAN, TINYINT(1), BIT, NUMBER(1) */
  boolean: string;
  /** Text of 100 kB and more: TEXT, LONGTEXT, NVARCHAR(MAX), CLOB */
  text: string;
  /** BLOB, BYTEA, VARBINARY(MAX) */
  binary: string;
  /** A timestamp without zone keeping at least microseconds, and its literal: TIMESTAMP(6), DATETIME(6), DATETIME2(7), TIMESTAMP(9). */
  timestampFine?: { type: string; literal(naiveLocal: string): string };
}

/** SQL literals in the target's syntax. */
export interface ConformanceLiterals {
  /** A naive timestamp 'YYYY-MM-DD HH:mm:ss.SSS' (wall clock in the zone the suite names). */
  timestamp(naiveLocal: string): string;
  /** 'YYYY-MM-DD' */
  date(day: string): string;
  bool(b: boolean): string;
  /** Binary from hex digits, e.g. X'0102', '\x0102'::bytea, 0x0102, HEXTORAW('0102'). */
  binary(hex: string): string;
  /** The database's own current time as a naive timestamp in Asia/Shanghai, e.g. `CONVERT_TZ(UTC_TIMESTAMP(3), '+00:00', '+08:00')`. */
  now(): string;
  /** A text literal (Chinese, 100 kB); default: '…' with '' escapes. Override for N'…' or CLOB concatenation. */
  string?(value: string): string;
  /** A decimal literal from its text; default: the text itself. */
  decimal?(text: string): string;
}

export interface ConformanceAdmin {
  /** Runs one statement with an account that can write (DDL, INSERT, DROP). */
  exec(sql: string): Promise<void>;
  /** A transaction on its own connection, committed when the suite says so. */
  begin(): Promise<{ exec(sql: string): Promise<void>; commit(): Promise<void> }>;
  /** Called by the suite when it is done. */
  close(): Promise<void>;
}

export interface ConformanceTarget {
  kind: string;
  version: string;
  /** A Source over the test database, read-only account; the suite's options (timeZone, pageSize, rowsPerSecond, queryTimeoutMs, clock) merged in. */
  makeSource(options?: Partial<CommonSourceOptions>): Source;
  admin: ConformanceAdmin;
  ddl: ConformanceDdl;
  literal: ConformanceLiterals;
  /** The dialect's identifier quoting: the suite aliases its result columns with it, so names keep their case everywhere. */
  quoteIdentifier(name: string): string;
  /** Cuts the source's connections abruptly (kill the session, or restart the server) and resolves when the server takes connections again. */
  dropConnections?(): Promise<void>;
  /** False where the database has no read-only session (SQL Server): a write is then stopped by the account's grants alone. Default true. */
  readOnlySession?: boolean;
}

const ZONE = 'Asia/Shanghai';

/** The logical row every database must yield byte for byte. */
export const NOTE = ('黄石市公共信用信息平台 credit record, 第' + '一二三四五六七八九十'.repeat(3) + '条。\n').repeat(1700).slice(0, 100_000);
export const EXPECTED_ROWS: Row[] = [
  {
    id: 1,
    name: '黄石',
    code: 'AB',
    amount: '12345678901234.5678',
    day: '2017-06-02',
    stamp: '2017-06-02T00:30:00.123Z',
    flag: true,
    note: NOTE,
  },
  {
    id: 2,
    name: "O'Brien 与 \"引号\" ",
    code: 'X 1',
    amount: '-0.5000',
    day: '1999-12-31',
    stamp: '2000-01-01T00:00:00.000Z',
    flag: false,
    note: '短',
  },
  { id: 3, name: null, code: null, amount: null, day: null, stamp: null, flag: null, note: null },
];
/** What the database stores for EXPECTED_ROWS: naive local times in Asia/Shanghai. */
const STORED = [
  { id: 1, name: '黄石', code: 'AB', amount: '12345678901234.5678', day: '2017-06-02', stamp: '2017-06-02 08:30:00.123', flag: true, note: NOTE },
  { id: 2, name: "O'Brien 与 \"引号\" ", code: 'X 1', amount: '-0.5000', day: '1999-12-31', stamp: '2000-01-01 08:00:00.000', flag: false, note: '短' },
  { id: 3 },
];

export function conformanceSuite(t: Test, target: ConformanceTarget): void {
  const run = randomBytes(3).toString('hex');
  const q = (name: string) => target.quoteIdentifier(name);
  const str = (s: string) => (target.literal.string ? target.literal.string(s) : `'${s.replace(/'/g, "''")}'`);
  const dec = (s: string) => (target.literal.decimal ? target.literal.decimal(s) : s);
  const created: string[] = [];
  const sources: Source[] = [];

  const table = async (what: string, columns: string): Promise<string> => {
    const name = `cf_${run}_${what}`;
    await target.admin.exec(`CREATE TABLE ${name} (${columns})`);
    created.push(name);
    return name;
  };
  const source = (options: Partial<CommonSourceOptions> = {}): Source => {
    const s = target.makeSource({ timeZone: ZONE, ...options });
    sources.push(s);
    return s;
  };
  const opened = async (options: Partial<CommonSourceOptions> = {}): Promise<Source> => {
    const s = source(options);
    await s.open();
    return s;
  };

  /** A table of stamped rows: `ties` rows share each stamp; rows with a NULL stamp at the end. */
  const stampedTable = async (what: string, rows: number, ties: number, nulls = 0): Promise<string> => {
    const name = await table(what, `id ${target.ddl.integer} NOT NULL PRIMARY KEY, grp ${target.ddl.integer} NOT NULL, stamp ${target.ddl.timestamp}`);
    const base = Date.UTC(2026, 0, 1, 0, 0, 0, 0);
    for (let i = 1; i <= rows; i++) {
      // Stamps out of id order, so ordering by id alone would be wrong.
      const slot = Math.floor(((i * 7) % rows) / ties);
      const naive = isoToNaiveLocal(isoFromEpoch(base + slot * 1500 + 7), ZONE)!;
      await target.admin.exec(`INSERT INTO ${name} (id, grp, stamp) VALUES (${i}, ${i % 3}, ${target.literal.timestamp(naive)})`);
    }
    for (let i = rows + 1; i <= rows + nulls; i++) await target.admin.exec(`INSERT INTO ${name} (id, grp, stamp) VALUES (${i}, 0, NULL)`);
    return name;
  };
  const stampQuery = (name: string) => `SELECT id AS ${q('id')}, grp AS ${q('grp')}, stamp AS ${q('stamp')} FROM ${name}`;

  t.teardown(async () => {
    for (const s of sources) await s.close().catch(() => undefined);
    for (const name of created) await target.admin.exec(`DROP TABLE ${name}`).catch(() => undefined);
    await target.admin.close();
  });

  const title = (what: string) => `${target.kind} ${target.version}: ${what}`;

  t.test(title('keyset pages of any size read every row exactly once, in cursor order, ties broken by the next column'), async (t) => {
    const name = await stampedTable('paging', 40, 4);
    const query = stampQuery(name);
    const s = await opened();
    const expected = await readAll(s, query, ['stamp', 'id'], 1000);
    t.equal(expected.length, 40);
    t.same(expected, [...expected].sort(byCursor(['stamp', 'id'])), 'ordered by stamp, then id');
    t.ok(new Set(expected.map((r) => r.stamp)).size < 40, 'there are ties to break');
    for (const size of [1, 2, 7, 1000]) {
      t.same(await readAll(s, query, ['stamp', 'id'], size), expected, `page size ${size}`);
    }
    t.same(await readAll(s, query, ['grp', 'id'], 3), [...expected].sort(byCursor(['grp', 'id'])), 'a two-column key (full snapshot paging)');
    t.same((await readAll(s, query, ['id'], 9)).map((r) => r.id), range(1, 40), 'paging by the key alone');
  });

  t.test(title('a new source resumes from a stored cursor: nothing skipped, nothing repeated'), async (t) => {
    const name = await stampedTable('resume', 12, 3);
    const query = stampQuery(name);
    const reference = await readAll(await opened(), query, ['stamp', 'id'], 1000);
    // A restart between every page: each page is read by a source that never saw the previous one.
    t.same(await readAll(null, query, ['stamp', 'id'], 5, () => opened()), reference, 'page size 5');
    t.same(await readAll(null, query, ['stamp', 'id'], 2, () => opened()), reference, 'page size 2: page ends inside a tie');
  });

  t.test(title('more rows than a page share one microsecond: paged through by the key, exactly once, also when every page is read by a new source'), { skip: target.ddl.timestampFine ? false : 'no finer timestamp type declared' }, async (t) => {
    const fine = target.ddl.timestampFine!;
    const name = await table('bulk', `id ${target.ddl.integer} NOT NULL PRIMARY KEY, stamp ${fine.type} NOT NULL`);
    // 12 rows stamped by one statement's now() (three pages of 4), two a microsecond later, one a second later.
    const stamps = [...Array(12).fill('2026-01-01 08:00:00.123456'), '2026-01-01 08:00:00.123457', '2026-01-01 08:00:00.123457', '2026-01-01 08:00:01.000000'];
    for (const [i, stamp] of stamps.entries()) await target.admin.exec(`INSERT INTO ${name} (id, stamp) VALUES (${15 - i}, ${fine.literal(stamp)})`);
    const query = `SELECT id AS ${q('id')}, stamp AS ${q('stamp')} FROM ${name}`;
    const expected = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 2, 3, 1];
    const once = await readAll(await opened(), query, ['stamp', 'id'], 4);
    t.same(once.map((r) => r.id), expected, 'one source: every row once, in (stamp, id) order');
    const restarted = await readAll(null, query, ['stamp', 'id'], 4, () => opened());
    t.same(restarted.map((r) => r.id), expected, 'a new source for every page, from the stored position: the same');
    const s = await opened();
    const [first] = await s.readPage({ query, cursorColumns: ['stamp', 'id'], after: null, limit: 1 });
    const position = s.positionOf!(first!, ['stamp', 'id']);
    t.match(String(position[0]), /^2026-01-01T00:00:00\.123456/, 'the position keeps the microseconds');
    const all = await s.readPage({ query, cursorColumns: ['stamp', 'id'], after: null, limit: 100 });
    const end = s.positionOf!(all.at(-1)!, ['stamp', 'id']);
    const later = await opened();
    t.same(await later.readPage({ query, cursorColumns: ['stamp', 'id'], after: end, limit: 4 }), [], 'after the last row\'s stored position nothing is read again');
  });

  t.test(title('rows with a NULL cursor column are counted by probe and never returned by a page'), async (t) => {
    const name = await stampedTable('nulls', 10, 2, 3);
    const s = await opened();
    const probe = await s.probe(stampQuery(name), ['stamp', 'id']);
    t.equal(probe.nullCursorRows, 3);
    t.equal(probe.fractionalDigits, 3, 'the timestamp keeps milliseconds');
    t.type(probe.columnType, 'string');
    const rows = await readAll(s, stampQuery(name), ['stamp', 'id'], 4);
    t.equal(rows.length, 10);
    t.notOk(rows.some((r) => r.stamp === null));
    await t.rejects(s.probe(stampQuery(name), ['updated_at']), { code: 'SOURCE_CURSOR_COLUMN_MISSING' });
  });

  t.test(title('lists the tables the account reads, and a table\'s columns in table order with its primary key marked'), async (t) => {
    const name = await table('listed', `id ${target.ddl.integer} NOT NULL PRIMARY KEY, party_name ${target.ddl.varchar}, updated_at ${target.ddl.timestamp}`);
    const s = await opened();
    const tables = await s.listTables!();
    const listed = tables.find((x) => x.name.toLowerCase() === name);
    t.ok(listed, 'the new table is listed');
    t.equal(listed?.kind, 'table');
    const columns = await s.listColumns!(listed!.name);
    t.same(columns.map((c) => c.name.toLowerCase()), ['id', 'party_name', 'updated_at'], 'every column, in table order');
    t.same(columns.map((c) => c.primaryKey), [true, false, false], 'the primary key is marked');
    t.ok(columns.every((c) => c.type !== ''), 'each column has its type');
    t.same(await s.listColumns!(`${name}_missing`), [], 'an unknown table has no columns');
  });

  t.test(title('one logical row yields the same normalised record on every database'), async (t) => {
    const name = await table(
      'types',
      [
        `id ${target.ddl.integer} NOT NULL PRIMARY KEY`,
        `name ${target.ddl.varchar}`,
        `code ${target.ddl.char10}`,
        `amount ${target.ddl.decimal}`,
        `day ${target.ddl.date}`,
        `stamp ${target.ddl.timestamp}`,
        `flag ${target.ddl.boolean}`,
        `note ${target.ddl.text}`,
        `data ${target.ddl.binary}`,
      ].join(', '),
    );
    for (const row of STORED) {
      if (row.name === undefined) {
        await target.admin.exec(`INSERT INTO ${name} (id) VALUES (${row.id})`);
        continue;
      }
      await target.admin.exec(
        `INSERT INTO ${name} (id, name, code, amount, day, stamp, flag, note, data) VALUES (${row.id}, ${str(row.name)}, ${str(row.code!)}, ` +
          `${dec(row.amount!)}, ${target.literal.date(row.day!)}, ${target.literal.timestamp(row.stamp!)}, ${target.literal.bool(row.flag!)}, ` +
          `${str(row.note!)}, ${target.literal.binary('00ff10')})`,
      );
    }
    const columns = ['id', 'name', 'code', 'amount', 'day', 'stamp', 'flag', 'note'];
    const query = `SELECT ${columns.map((c) => `${c} AS ${q(c)}`).join(', ')} FROM ${name}`;
    const s = await opened();
    const rows = await s.readPage({ query, cursorColumns: ['id'], after: null, limit: 10 });
    t.equal(rows.length, 3);
    for (const [i, expected] of EXPECTED_ROWS.entries()) {
      const { note, ...rest } = rows[i]!;
      const { note: expectedNote, ...expectedRest } = expected;
      t.same(rest, expectedRest, `row ${expected.id}`);
      t.ok(note === expectedNote, `row ${expected.id}: the large text read whole (${typeof note === 'string' ? note.length : note} characters)`);
      t.strictSame(Object.keys(rows[i]!), columns, 'the columns of the query, in its order');
    }

    const binary = await s.readPage({ query: `SELECT id AS ${q('id')}, data AS ${q('data')} FROM ${name}`, cursorColumns: ['id'], after: null, limit: 10 });
    t.ok(binary.some((r) => unreadableValue(r, 'data')?.code === 'SOURCE_BINARY_COLUMN'), 'a binary value is marked unreadable in its row, naming the column, and the page still reads');
  });

  t.test(title("naive timestamps are read in the source's configured zone, DST included"), async (t) => {
    const name = await table('zones', `id ${target.ddl.integer} NOT NULL PRIMARY KEY, stamp ${target.ddl.timestamp}`);
    const stamps = ['2021-07-15 12:00:00.250', '2021-10-31 01:30:00.000', '2021-10-31 02:30:00.000', '2021-10-31 03:30:00.000', '2021-12-15 12:00:00.000'];
    for (const [i, stamp] of stamps.entries()) await target.admin.exec(`INSERT INTO ${name} (id, stamp) VALUES (${i + 1}, ${target.literal.timestamp(stamp)})`);
    const query = `SELECT id AS ${q('id')}, stamp AS ${q('stamp')} FROM ${name}`;
    const read = async (timeZone: string) => (await (await opened({ timeZone })).readPage({ query, cursorColumns: ['id'], after: null, limit: 10 })).map((r) => r.stamp);
    t.same(await read('Asia/Shanghai'), ['2021-07-15T04:00:00.250Z', '2021-10-30T17:30:00.000Z', '2021-10-30T18:30:00.000Z', '2021-10-30T19:30:00.000Z', '2021-12-15T04:00:00.000Z']);
    t.same(await read('UTC'), ['2021-07-15T12:00:00.250Z', '2021-10-31T01:30:00.000Z', '2021-10-31T02:30:00.000Z', '2021-10-31T03:30:00.000Z', '2021-12-15T12:00:00.000Z']);
    t.same(
      await read('Europe/Berlin'),
      ['2021-07-15T10:00:00.250Z', '2021-10-30T23:30:00.000Z', '2021-10-31T00:30:00.000Z', '2021-10-31T02:30:00.000Z', '2021-12-15T11:00:00.000Z'],
      'summer +02:00, the repeated hour as its first occurrence, winter +01:00',
    );
    // Pages of 3 put the cursor on the repeated 02:30, which must bind back to that wall clock.
    const berlin = await readAll(null, query, ['stamp', 'id'], 3, () => opened({ timeZone: 'Europe/Berlin' }));
    t.same(berlin.map((r) => r.id), [1, 2, 3, 4, 5], 'cursors bound back across a DST change, from a new source each page');
  });

  t.test(title("through bounds a read by the database's clock, so a late-committing transaction is read on a later pass"), async (t) => {
    const name = await table('late', `id ${target.ddl.integer} NOT NULL PRIMARY KEY, stamp ${target.ddl.timestamp}`);
    const query = `SELECT id AS ${q('id')}, stamp AS ${q('stamp')} FROM ${name}`;
    const s = await opened();
    const now = isoToEpoch((await s.facts()).now)!;
    const local = (minutesAgo: number) => target.literal.timestamp(isoToNaiveLocal(isoFromEpoch(now - minutesAgo * 60_000), ZONE)!);
    await target.admin.exec(`INSERT INTO ${name} (id, stamp) VALUES (1, ${local(10)})`);
    await target.admin.exec(`INSERT INTO ${name} (id, stamp) VALUES (2, ${local(8)})`);
    // A transaction that stamped its row 9 minutes ago and has not committed yet.
    const late = await target.admin.begin();
    await late.exec(`INSERT INTO ${name} (id, stamp) VALUES (3, ${local(9)})`);

    // Without a bound: rows 1 and 2 are read, the cursor passes 9 minutes ago, and row 3 is lost.
    const unbounded = await readAll(s, query, ['stamp', 'id'], 10);
    t.same(unbounded.map((r) => r.id), [1, 2]);
    // With the bound: nothing newer than the safety lag (15 minutes) is read yet.
    const lag = 15 * 60_000;
    const through = (facts: { now: string }) => isoFromEpoch(isoToEpoch(facts.now)! - lag);
    const firstPass = await readAll(s, query, ['stamp', 'id'], 10, undefined, null, through(await s.facts()));
    t.same(firstPass, [], 'the bounded pass leaves the recent rows for later');

    await late.commit();
    const missed = await readAll(s, query, ['stamp', 'id'], 10, undefined, cursorOf(unbounded.at(-1)!, ['stamp', 'id']));
    t.same(missed, [], 'unbounded: the late row is behind the cursor, missed for ever');
    // Later, the bound has moved past all three rows (here: a bound of now; in the gateway, now minus the lag on a later run).
    const secondPass = await readAll(s, query, ['stamp', 'id'], 10, undefined, null, (await s.facts()).now);
    t.same(secondPass.map((r) => r.id), [1, 3, 2], 'bounded: the late row is read, in stamp order');
  });

  t.test(title("open transactions: another session's open write is seen starting no later than its row's stamp, or the account's blindness is named"), async (t) => {
    const s = await opened();
    if (!s.openTransactions) {
      t.pass('the source does not offer it: the gateway keeps the fixed lag');
      return;
    }
    const name = await table('open', `id ${target.ddl.integer} NOT NULL PRIMARY KEY, stamp ${target.ddl.timestamp}`);
    const before = isoToEpoch((await s.facts()).now)!;
    const late = await target.admin.begin();
    await late.exec(`INSERT INTO ${name} (id, stamp) VALUES (1, ${target.literal.now()})`);
    const open = await s.openTransactions();
    await late.commit();
    if (!open.visible) {
      // An account without the grant (or a database that shows nothing) must say so, never report "none open".
      t.match(open, { oldestStart: null, blind: { reason: /^(privilege|unsupported|replica)$/ } }, `not visible: ${JSON.stringify(open.blind)}`);
      return;
    }
    const [row] = await s.readPage({ query: `SELECT id AS ${q('id')}, stamp AS ${q('stamp')} FROM ${name}`, cursorColumns: ['id'], after: null, limit: 1 });
    t.not(open.oldestStart, null, 'the open write is seen');
    const oldest = isoToEpoch(open.oldestStart!)!;
    t.ok(oldest <= isoToEpoch(String(row!.stamp))!, `no later than the row's stamp (${open.oldestStart} ≤ ${row!.stamp})`);
    t.ok(oldest >= before - 3000, `and not hours off: the start's zone was read right (${open.oldestStart}, clock ${isoFromEpoch(before)})`);
  });

  t.test(title('a count of a read is the number of rows its pages return: after a cursor, up to a bound, NULL cursors left out'), async (t) => {
    const name = await stampedTable('count', 30, 3, 2);
    const query = stampQuery(name);
    const s = await opened();
    if (!s.count) {
      t.fail('every database source can count');
      return;
    }
    const all = await readAll(s, query, ['stamp', 'id'], 7);
    t.equal(await s.count({ query, cursorColumns: ['stamp', 'id'], after: null }), all.length, 'from the beginning');
    t.equal(all.length, 30, 'the two rows with a NULL stamp are neither read nor counted');
    const after = cursorOf(all[11]!, ['stamp', 'id']);
    t.equal(await s.count({ query, cursorColumns: ['stamp', 'id'], after }), (await readAll(s, query, ['stamp', 'id'], 7, undefined, after)).length, 'after a stored cursor');
    t.equal(await s.count({ query, cursorColumns: ['stamp', 'id'], after }), 18);
    const through = String(all[20]!.stamp);
    const bounded = await readAll(s, query, ['stamp', 'id'], 7, undefined, after, through);
    t.ok(bounded.length > 0 && bounded.length < 18, 'the bound leaves rows out');
    t.equal(await s.count({ query, cursorColumns: ['stamp', 'id'], after, through }), bounded.length, 'up to the bound');
    t.equal(await s.count({ query, cursorColumns: ['id'], after: [25] }), 7, 'by the key, as a complete read pages (ids 26 to 32)');
  });

  t.test(title("the bound comes from the database's clock, whatever the gateway's clock says"), async (t) => {
    const name = await table('clock', `id ${target.ddl.integer} NOT NULL PRIMARY KEY, stamp ${target.ddl.timestamp}`);
    const query = `SELECT id AS ${q('id')}, stamp AS ${q('stamp')} FROM ${name}`;
    const s = await opened();
    const before = await s.facts();
    await target.admin.exec(`INSERT INTO ${name} (id, stamp) VALUES (1, ${target.literal.now()})`);
    const after = await s.facts();
    t.match(before.now, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'the clock reads as ISO UTC');
    t.type(before.serverVersion, 'string');
    t.ok(before.serverVersion.length > 0);
    const [row] = await s.readPage({ query, cursorColumns: ['stamp', 'id'], after: null, through: after.now, limit: 10 });
    t.ok(row, "a row stamped with the database's own local time is inside a bound of the database's now");
    // Stamp and clock agree to the second: a zone slip would show as hours.
    const stamp = isoToEpoch(row!.stamp as string)!;
    t.ok(stamp >= isoToEpoch(before.now)! - 1000 && stamp <= isoToEpoch(after.now)! + 1000, `stamp ${row!.stamp} within [${before.now}, ${after.now}]`);
    // A gateway clock eight hours behind would have bounded the read before the row existed.
    const gatewayThrough = isoFromEpoch(isoToEpoch(after.now)! - 8 * 3_600_000);
    t.same(await s.readPage({ query, cursorColumns: ['stamp', 'id'], after: null, through: gatewayThrough, limit: 10 }), []);
  });

  t.test(title('the source never writes: the guard refuses writing SQL, and its own session refuses a write'), async (t) => {
    const name = await table('readonly', `id ${target.ddl.integer} NOT NULL PRIMARY KEY, name ${target.ddl.varchar}`);
    await target.admin.exec(`INSERT INTO ${name} (id, name) VALUES (1, ${str('原值')})`);
    const query = `SELECT id AS ${q('id')}, name AS ${q('name')} FROM ${name}`;
    const s = await opened();
    for (const sql of [`DELETE FROM ${name}`, `UPDATE ${name} SET name = 'x'`, `DROP TABLE ${name}`, `SELECT 1; DELETE FROM ${name}`, `SELECT 1 /* ; */; DROP TABLE ${name}`]) {
      t.equal(checkSelectOnly(sql).ok, false, `configuration refuses ${sql}`);
      await t.rejects(s.readPage({ query: sql, cursorColumns: ['id'], after: null, limit: 10 }), { code: 'SOURCE_STATEMENT_REFUSED' });
    }
    if (target.readOnlySession !== false) {
      const session = s as Source & { [RUN_ON_SESSION]?: (sql: string) => Promise<void> };
      t.type(session[RUN_ON_SESSION], 'function', 'an SQL source');
      await t.rejects(session[RUN_ON_SESSION]!(`UPDATE ${name} SET name = ${str('改写')} WHERE id = 1`), { code: /^SOURCE_/ }, 'the session refuses an UPDATE');
      await t.rejects(session[RUN_ON_SESSION]!(`INSERT INTO ${name} (id, name) VALUES (2, ${str('新')})`), { code: /^SOURCE_/ }, 'and an INSERT');
    }
    t.same(await s.readPage({ query, cursorColumns: ['id'], after: null, limit: 10 }), [{ id: 1, name: '原值' }], 'nothing changed');
  });

  t.test(title('a query past queryTimeoutMs is cancelled with SOURCE_QUERY_TIMEOUT, and the source reads on'), async (t) => {
    const name = await table('slow', `n ${target.ddl.integer} NOT NULL PRIMARY KEY`);
    for (let i = 1; i <= 30; i++) await target.admin.exec(`INSERT INTO ${name} (n) VALUES (${i})`);
    const aliases = ['a', 'b', 'c', 'd', 'e'];
    // 30^5 = 24 million combinations and no row: seconds of work for any database, nothing to return.
    const slow = `SELECT a.n AS ${q('id')} FROM ${aliases.map((a) => `${name} ${a}`).join(', ')} WHERE ${aliases.map((a) => `${a}.n`).join(' + ')} < 0`;
    const s = await opened({ queryTimeoutMs: 200 });
    await t.rejects(s.readPage({ query: slow, cursorColumns: ['id'], after: null, limit: 10 }), { code: 'SOURCE_QUERY_TIMEOUT' });
    const rows = await s.readPage({ query: `SELECT n AS ${q('id')} FROM ${name}`, cursorColumns: ['id'], after: null, limit: 5 });
    t.same(rows.map((r) => r.id), [1, 2, 3, 4, 5], 'the next query runs normally');
  });

  t.test(title('a dropped connection surfaces as SOURCE_CONNECTION_LOST, and reading resumes after open() from the cursor'), { skip: target.dropConnections ? false : 'the target cannot drop connections' }, async (t) => {
    const name = await stampedTable('dropped', 12, 2);
    const query = stampQuery(name);
    const s = await opened();
    const reference = await readAll(s, query, ['stamp', 'id'], 100);
    const first = await s.readPage({ query, cursorColumns: ['stamp', 'id'], after: null, limit: 5 });
    await target.dropConnections!();
    const cursor = cursorOf(first.at(-1)!, ['stamp', 'id']);
    await t.rejects(s.readPage({ query, cursorColumns: ['stamp', 'id'], after: cursor, limit: 5 }), { code: 'SOURCE_CONNECTION_LOST' });
    await s.open();
    const rest = await readAll(s, query, ['stamp', 'id'], 5, undefined, cursor);
    t.same([...first, ...rest], reference, 'nothing partial, nothing missed');
  });

  t.test(title('the rows-per-second cap paces reads (measured on an injected clock)'), async (t) => {
    const name = await stampedTable('paced', 20, 1);
    const clock = fakeClock();
    const s = await opened({ rowsPerSecond: 50, clock });
    const rows = await readAll(s, stampQuery(name), ['id'], 5);
    t.equal(rows.length, 20);
    t.same(clock.slept, [100, 100, 100, 100], 'every page of 5 rows is paid for at 50 rows/s before the next');
  });
}

/** Reads every page after `after` (optionally up to `through`); `fresh` gives a new source for every page, as after a restart. */
async function readAll(
  source: Source | null,
  query: string,
  cursorColumns: string[],
  limit: number,
  fresh?: () => Promise<Source>,
  after: Value[] | null = null,
  through?: Value,
): Promise<Row[]> {
  const all: Row[] = [];
  for (let pages = 0; pages < 10_000; pages++) {
    const s = fresh ? await fresh() : source!;
    const page = await s.readPage({ query, cursorColumns, after, limit, ...(through !== undefined ? { through } : {}) });
    if (fresh) await s.close();
    all.push(...page);
    if (page.length < limit) return all;
    // Where the gateway continues from: the source's exact position when it has one.
    after = s.positionOf?.(page.at(-1)!, cursorColumns) ?? cursorOf(page.at(-1)!, cursorColumns);
  }
  throw new Error('paging never ended');
}

function cursorOf(row: Row, cursorColumns: string[]): Value[] {
  return cursorColumns.map((c) => row[c] ?? null);
}

function byCursor(columns: string[]) {
  return (a: Row, b: Row): number => {
    for (const c of columns) {
      const x = a[c]!;
      const y = b[c]!;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function fakeClock(): SourceClock & { slept: number[] } {
  let at = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => at,
    async sleep(ms: number) {
      slept.push(ms);
      at += ms;
    },
  };
}
