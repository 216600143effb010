import t from 'tap';
import type { CatalogCategory } from '../../../gateway/catalog/types.js';
import { computeCoverage, reportingPeriod, type CoverageInput } from '../../../gateway/status/coverage.js';

const iso = (d: Date) => d.toISOString();

function period(frequency: string, at: string) {
  const p = reportingPeriod(frequency, new Date(at));
  return [p.period, iso(p.start), iso(p.end)];
}

t.test('daily periods are China Standard Time calendar days', async (t) => {
  t.same(period('每日', '2026-11-27T04:00:00.000Z'), ['2026-11-27', '2026-11-26T16:00:00.000Z', '2026-11-27T16:00:00.000Z']);
  t.same(period('每天', '2026-11-26T16:00:00.000Z')[0], '2026-11-27', '00:00 in Beijing is already the next day');
  t.same(period('每日', '2026-11-26T15:59:59.999Z')[0], '2026-11-26');
  t.same(period('每日', '2028-02-28T16:00:00.000Z')[0], '2028-02-29', 'leap day');
});

t.test('weekly periods are ISO weeks, Monday to Sunday in Beijing', async (t) => {
  t.same(period('每周', '2026-11-27T04:00:00.000Z'), ['2026-W48', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z']);
  t.same(period('每周', '2026-12-31T04:00:00.000Z')[0], '2026-W53', '2026 begins on a Thursday and has 53 weeks');
  t.same(period('每周', '2027-01-01T04:00:00.000Z')[0], '2026-W53', 'the first days of 2027 belong to the last week of 2026');
  t.same(period('每周', '2027-01-03T15:59:59.999Z')[0], '2026-W53');
  t.same(period('每周', '2027-01-03T16:00:00.000Z'), ['2027-W01', '2027-01-03T16:00:00.000Z', '2027-01-10T16:00:00.000Z'],
    'Monday 4 January 00:00 in Beijing starts 2027-W01');
  t.same(period('每周', '2021-01-02T04:00:00.000Z')[0], '2020-W53');
  t.same(period('每周', '2024-12-30T04:00:00.000Z')[0], '2025-W01', 'a late-December Monday can open the next year\'s first week');
  t.same(period('每周', '2026-01-04T04:00:00.000Z')[0], '2026-W01');
});

t.test('monthly, quarterly and yearly periods turn at Beijing midnight', async (t) => {
  t.same(period('每月', '2026-11-30T15:59:59.999Z'), ['2026-11', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
  t.same(period('每月', '2026-11-30T16:00:00.000Z')[0], '2026-12');
  t.same(period('每季度', '2026-09-30T15:59:59.999Z')[0], '2026-Q3');
  t.same(period('每季度', '2026-09-30T16:00:00.000Z'), ['2026-Q4', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
  t.same(period('每年', '2026-12-31T15:59:59.999Z')[0], '2026');
  t.same(period('每年', '2026-12-31T16:00:00.000Z'), ['2027', '2026-12-31T16:00:00.000Z', '2027-12-31T16:00:00.000Z'],
    '16:00 UTC on 31 December is already 2027 in Beijing');
  t.same(period('每季度', '2026-12-31T16:00:00.000Z')[0], '2027-Q1');
  t.same(period('每月', '2026-12-31T16:00:00.000Z')[0], '2027-01');
});

t.test('实时 categories are counted in the monthly report', async (t) => {
  t.same(period('实时', '2026-11-27T04:00:00.000Z'), period('每月', '2026-11-27T04:00:00.000Z'));
  t.same(period('实时', '2026-11-30T16:00:00.000Z')[0], '2026-12');
});

function category(code: string, frequency = '实时'): CatalogCategory {
  return { code, provider: 'P07', providerName: '市人社局', name: `信息类${code}`, frequency, subjectKind: 'legal', infoType: '行政处罚', row: 1 };
}

/** 27 November 2026, noon in Beijing: the current month is 2026-11, the previous 2026-10. */
const NOW = new Date('2026-11-27T04:00:00.000Z');

function coverage(over: Partial<CoverageInput>) {
  return computeCoverage({ categories: [], feeds: [], lastDelivered: new Map(), declarations: [], now: NOW, ...over });
}

const fedSinceSeptember = (code: string, by = 'penalties') => ({ category: code, by, since: '2026-09-01T02:00:00.000Z' });

t.test('a category nothing feeds is unfed', async (t) => {
  const [row] = coverage({ categories: [category('P07-001')] });
  t.same(row, {
    code: 'P07-001', name: '信息类P07-001', frequency: '实时', infoType: '行政处罚', fedBy: [], lastDeliveredAt: null,
    period: '2026-11', dueAt: '2026-11-30T16:00:00.000Z', state: 'unfed', declaration: null,
  });
});

t.test('a category nothing feeds but declared empty for the period counts as declared, not missing', async (t) => {
  const [row] = coverage({
    categories: [category('P07-001')],
    declarations: [{ category: 'P07-001', period: '2026-11', at: '2026-11-20T02:00:00.000Z', by: null, note: null }],
  });
  t.match(row, { state: 'declared', declaration: { period: '2026-11' } });
});

t.test('a category delivered within the current period is ok', async (t) => {
  const [row] = coverage({
    categories: [category('P07-001')],
    feeds: [fedSinceSeptember('P07-001'), { category: 'P07-001', by: 'folder:hr', since: '2026-11-02T00:00:00.000Z' }],
    lastDelivered: new Map([['P07-001', '2026-10-31T16:00:00.000Z']]),
  });
  t.match(row, { state: 'ok', fedBy: ['penalties', 'folder:hr'], lastDeliveredAt: '2026-10-31T16:00:00.000Z' },
    'the first instant of November in Beijing counts for November');
});

t.test('a declaration for the current period makes the category declared', async (t) => {
  const declaration = { category: 'P07-001', period: '2026-11', at: '2026-11-20T02:00:00.000Z', by: '张三', note: '本月无数据' };
  const [row] = coverage({
    categories: [category('P07-001')],
    feeds: [fedSinceSeptember('P07-001')],
    declarations: [declaration, { ...declaration, period: '2026-10' }, { ...declaration, category: 'P07-002' }],
  });
  t.match(row, { state: 'declared', declaration: { period: '2026-11', at: '2026-11-20T02:00:00.000Z', by: '张三', note: '本月无数据' } });
});

t.test('fed before the previous period ended and nothing since it began: overdue', async (t) => {
  const [row] = coverage({
    categories: [category('P07-001')],
    feeds: [fedSinceSeptember('P07-001')],
    lastDelivered: new Map([['P07-001', '2026-09-30T15:59:59.000Z']]),
  });
  t.match(row, { state: 'overdue', period: '2026-11', dueAt: '2026-11-30T16:00:00.000Z', declaration: null },
    'September was delivered, October was not');

  const [never] = coverage({ categories: [category('P07-001')], feeds: [{ category: 'P07-001', by: 'penalties', since: '2026-10-31T15:59:59.999Z' }] });
  t.equal(never!.state, 'overdue', 'fed on the last moment of October and nothing delivered');
});

t.test('fed, nothing yet this period, but not due: waiting', async (t) => {
  const cases: [string, Partial<CoverageInput>][] = [
    ['the previous period was delivered', { lastDelivered: new Map([['P07-001', '2026-10-31T15:59:59.999Z']]) }],
    ['the previous period was declared empty', { declarations: [{ category: 'P07-001', period: '2026-10', at: '2026-10-30T00:00:00.000Z', by: null, note: null }] }],
    ['the feed began this period', { feeds: [{ category: 'P07-001', by: 'penalties', since: '2026-10-31T16:00:00.000Z' }] }],
    ['the job never ran', { feeds: [{ category: 'P07-001', by: 'penalties', since: null }] }],
  ];
  for (const [why, over] of cases) {
    const [row] = coverage({ categories: [category('P07-001')], feeds: [fedSinceSeptember('P07-001')], ...over });
    t.equal(row!.state, 'waiting', why);
  }
});

t.test('daily and weekly categories are due at the end of their day and week', async (t) => {
  const rows = coverage({
    categories: [category('P07-010', '每日'), category('P07-011', '每周')],
    feeds: [fedSinceSeptember('P07-010'), fedSinceSeptember('P07-011')],
    lastDelivered: new Map([['P07-010', '2026-11-26T10:00:00.000Z'], ['P07-011', '2026-11-20T10:00:00.000Z']]),
  });
  t.same(rows.map((r) => [r.code, r.period, r.dueAt, r.state]), [
    ['P07-010', '2026-11-27', '2026-11-27T16:00:00.000Z', 'waiting'],
    ['P07-011', '2026-W48', '2026-11-29T16:00:00.000Z', 'waiting'],
  ]);
  const late = coverage({
    categories: [category('P07-010', '每日')], feeds: [fedSinceSeptember('P07-010')],
    lastDelivered: new Map([['P07-010', '2026-11-25T10:00:00.000Z']]),
  });
  t.equal(late[0]!.state, 'overdue', 'nothing on the 26th');
});

t.test('rows come overdue, unfed, waiting, declared, ok, then by code; each category once', async (t) => {
  const rows = coverage({
    categories: ['P07-005', 'P07-004', 'P07-003', 'P07-002', 'P07-001', 'P07-006', 'P07-001'].map((c) => category(c)),
    feeds: ['P07-001', 'P07-002', 'P07-003', 'P07-006'].map((c) => fedSinceSeptember(c)),
    lastDelivered: new Map([['P07-001', '2026-11-01T00:00:00.000Z'], ['P07-002', '2026-10-15T00:00:00.000Z']]),
    declarations: [{ category: 'P07-003', period: '2026-11', at: '2026-11-02T00:00:00.000Z', by: null, note: null }],
  });
  t.same(rows.map((r) => [r.code, r.state]), [
    ['P07-006', 'overdue'],
    ['P07-004', 'unfed'],
    ['P07-005', 'unfed'],
    ['P07-002', 'waiting'],
    ['P07-003', 'declared'],
    ['P07-001', 'ok'],
  ]);
});
