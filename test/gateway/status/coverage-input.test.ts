import t from 'tap';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { computeCoverage } from '../../../gateway/status/coverage.js';
import { coverageInput, departmentProvider } from '../../../gateway/status/coverage-input.js';

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
  t.equal(departmentProvider(catalog, { provider: 'P07', department: '随便' })?.code, 'P07');
  const byName = departmentProvider(catalog, { department: catalog.providers[6]!.name });
  t.equal(byName?.code, 'P07');
  t.equal(departmentProvider(catalog, { department: '不存在的部门' }), null);
});

t.test('every category of the department is listed; jobs feed theirs and files feed the rest they brought', async (t) => {
  const provider = departmentProvider(catalog, { provider: 'P07', department: 'x' });
  const input = coverageInput({
    catalog, provider,
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
    catalog, provider: null, jobs: [{ name: 'x', category: 'P01-001' }], folders: [], store: store([]), now,
  });
  t.same(input.categories.map((c) => c.code), ['P01-001']);
});
