import t from 'tap';
import { loadCatalog } from '../../../../gateway/catalog/index.js';
import { standardFor } from '../../../../gateway/standards/index.js';
import { suggestProfiles } from '../../../../gateway/profiles/suggest/propose.js';
import { trialProposal } from '../../../../gateway/profiles/suggest/trial.js';
import { sample, sheet } from './grids.js';

const observedAt = '2017-07-01T00:00:00.000Z';

/** Every column the 资格证书信息 standard requires is in the export; one ID number is mistyped. */
const complete = () => sample('资格证书_201706.csv', sheet('', [
  ['资格证书信息导出'],
  ['姓名', '证件号码', '资格名称', '取得（注册）日期', '发证机关', '发证机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码'],
  ['张三', '420202199002154568', '高级中学教师资格', '2017-06-02', '黄石市教育局', '91420200045FUX8H1K', '黄石市教育局', '91420200045FUX8H1K'],
  ['李四', '420202199001011234', '初级中学教师资格', '2017-06-03', '黄石市教育局', '91420200045FUX8H1K', '黄石市教育局', '91420200045FUX8H1K'],
  ['王五', '11010519491231002X', '小学教师资格', '2017-06-04', '黄石市教育局', '91420200045FUX8H1K', '黄石市教育局', '91420200045FUX8H1K'],
  ['合计', null, null, null, null, null, null, '3'],
  ['制表人：某某'],
]));

const proposed = () => suggestProfiles({ sample: complete(), candidates: loadCatalog().categoriesOf('P13'), standardFor: (c) => standardFor(c) }).proposals[0]!;

t.test('the sample tried with the proposal: rows sent, rows refused by reason, footers not counted as data', async (t) => {
  const trial = trialProposal(proposed(), { observedAt });
  t.same([trial.rows, trial.sent, trial.rejected, trial.notData], [3, 2, 1, 2]);
  t.same(trial.reasons.map((r) => [r.code, r.count]), [['ID_CHECK_DIGIT', 1]]);
  const [example] = trial.reasons[0]!.examples;
  t.equal(example!.at, '第4行', 'the row as the clerk finds it in the export');
  t.equal(example!.column, '证件号码', 'the column by its header in the export');
  t.equal(example!.value, '420202********1234', 'the identity number masked');
  t.match(example!.message, /校验位/);
});

t.test('at most 3 examples per reason, every refused row counted', async (t) => {
  const rows = Array.from({ length: 5 }, (_, i) => ['某人', `42020219900101123${i === 1 ? 5 : 4}`, '教师资格', '2017-06-02', '黄石市教育局', '91420200045FUX8H1K', '黄石市教育局', '91420200045FUX8H1K']);
  const s = complete();
  const base = s.sheets[0]!;
  const p = proposed();
  p.sheets[0] = { ...p.sheets[0]!, sheet: { ...base, rows: [...base.rows.slice(0, 2), ...rows.map((cells, i) => ({ rowNumber: 3 + i, cells, problems: [], hidden: false }))] } };
  const trial = trialProposal(p, { observedAt });
  t.same([trial.rows, trial.rejected], [5, 5]);
  t.equal(trial.reasons[0]!.count, 5);
  t.equal(trial.reasons[0]!.examples.length, 3);
});

t.test('a cell the reader refused (a number that lost its digits) refuses its row with the reader\'s reason', async (t) => {
  const p = proposed();
  const s = p.sheets[0]!.sheet;
  const rows = s.rows.map((r) => (r.rowNumber === 3 ? { ...r, cells: [...r.cells.slice(0, 1), null, ...r.cells.slice(2)], problems: [{ column: 1, problem: { code: 'FILE_NUMBER_PRECISION' as const, params: { cell: 'B3' } } }] } : r));
  p.sheets[0] = { ...p.sheets[0]!, sheet: { ...s, rows } };
  const trial = trialProposal(p, { observedAt });
  t.same(trial.reasons.map((r) => [r.code, r.count]), [['FILE_NUMBER_PRECISION', 1], ['ID_CHECK_DIGIT', 1]].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  t.match(trial.reasons.find((r) => r.code === 'FILE_NUMBER_PRECISION')!.examples[0], { at: '第3行', column: '证件号码' });
});
