import t from 'tap';
import { gatewayDepartment, loadCatalog } from '../../../gateway/catalog/index.js';
import { computeCoverage } from '../../../gateway/status/coverage.js';
import { coverageInput } from '../../../gateway/status/coverage-input.js';

const catalog = loadCatalog();
const now = new Date('2026-11-27T02:00:00.000Z');

function store(stats: { category: string; rowsRead: number; lastDeliveredAt: string | null }[], firstRuns: Record<string, string> = {}) {
  return {
    categoryStats: () => stats.map((s) => ({ category: s.category, total: { rowsRead: s.rowsRead }, lastDeliveredAt: s.lastDeliveredAt })),
    firstRunAt: (job: string) => firstRuns[job] ?? null,
    declarations: () => [],
  };
}

t.test('the department is found by its provider code, or by its name or alias', async (t) => {
  t.same(gatewayDepartment(catalog, { provider: 'P07', department: '随便' })?.providers.map((p) => p.code), ['P07']);
  const byName = gatewayDepartment(catalog, { department: catalog.providers[6]!.name });
  t.same(byName?.providers.map((p) => p.code), ['P07']);
  t.equal(gatewayDepartment(catalog, { department: '不存在的部门' }), null);
});

t.test('every category of the department is listed; jobs feed theirs and files feed the rest they brought', async (t) => {
  const department = gatewayDepartment(catalog, { provider: 'P07', department: 'x' });
  const input = coverageInput({
    catalog, department,
    jobs: [{ name: 'penalties', category: 'P07-002' }],
    folders: [{ name: 'drop' }],
    store: store([
      { category: 'P07-002', rowsRead: 10, lastDeliveredAt: '2026-11-20T00:00:00.000Z' },
      { category: 'P07-008', rowsRead: 3, lastDeliveredAt: '2026-09-02T00:00:00.000Z' },
    ], { penalties: '2026-08-01T00:00:00.000Z' }),
    now,
  });
  t.equal(input.categories.length, catalog.categoriesOf('P07').length, 'all of the department\'s categories');
  t.same(input.feeds, [
    { category: 'P07-002', by: 'penalties', since: '2026-08-01T00:00:00.000Z' },
    { category: 'P07-008', by: 'folder:drop', since: '2026-09-02T00:00:00.000Z' },
  ]);
  const rows = new Map(computeCoverage(input).map((r) => [r.code, r]));
  t.equal(rows.get('P07-002')?.state, 'ok', 'delivered this month');
  t.equal(rows.get('P07-008')?.state, 'overdue', 'a file category not seen since September is missing October');
  t.equal(rows.get('P07-001')?.state, 'unfed');
});

t.test('a job feeding another provider\'s category adds it to the list', async (t) => {
  const input = coverageInput({
    catalog, department: null, jobs: [{ name: 'x', category: 'P01-001' }], folders: [], store: store([]), now,
  });
  t.same(input.categories.map((c) => c.code), ['P01-001']);
});

t.test('a department named by today\'s name covers every category of the providers it took over', async (t) => {
  const department = gatewayDepartment(catalog, { department: '黄石市市场监督管理局' });
  const input = coverageInput({
    catalog, department,
    jobs: [{ name: 'licences', category: 'P01-004' }, { name: 'drugs', category: 'P06-003' }],
    folders: [],
    store: store([{ category: 'P01-004', rowsRead: 5, lastDeliveredAt: '2026-11-20T00:00:00.000Z' }], { licences: '2026-08-01T00:00:00.000Z', drugs: '2026-11-26T00:00:00.000Z' }),
    now,
  });
  const rows = computeCoverage(input);
  t.equal(rows.length, 84, '市工商局 23 + 市质监局 24 + 市食药监局 34 + the patent row of 市科技局 + 市物价局 2');
  const providers = new Set(rows.map((r) => r.code.slice(0, 3)));
  t.same([...providers].sort(), ['P01', 'P02', 'P06', 'P15', 'P35']);
  t.ok(rows.some((r) => r.code === 'P15-010'), 'patent disputes came with 知识产权');
  t.notOk(rows.some((r) => r.code === 'P15-001'), 'the rest of 市科技局 did not');
  const state = new Map(rows.map((r) => [r.code, r.state]));
  t.equal(state.get('P01-004'), 'ok', 'a 2017 工商 category fed and delivered');
  t.equal(state.get('P02-001'), 'unfed', 'a 2017 质监 category no job feeds yet');
});

t.test('a provider list covers every provider named', async (t) => {
  const department = gatewayDepartment(catalog, { department: '黄石市住房和城乡建设局', provider: ['P09', 'P17'] });
  const input = coverageInput({ catalog, department, jobs: [], folders: [], store: store([]), now });
  t.equal(input.categories.length, 17 + 10);
});
