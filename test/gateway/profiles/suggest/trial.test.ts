import t from 'tap';
import type { Value } from '../../../../connectors/contract.js';
import { loadCatalog } from '../../../../gateway/catalog/index.js';
import { standardFor } from '../../../../gateway/standards/index.js';
import { suggestProfiles } from '../../../../gateway/profiles/suggest/propose.js';
import { trialProposal } from '../../../../gateway/profiles/suggest/trial.js';
import type { Sample } from '../../../../gateway/profiles/suggest/sample.js';
import { sample, sheet, teachers } from './grids.js';

const observedAt = '2017-07-01T00:00:00.000Z';
const HEADER = ['姓名', '证件号码', '资格名称', '取得（注册）日期', '发证机关', '发证机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码'];
const person = (name: string, id: string, title = '教师资格'): Value[] => [name, id, title, '2017-06-02', '黄石市教育局', '91420200045FUX8H1K', '黄石市教育局', '91420200045FUX8H1K'];

/** Every column the 资格证书信息 standard requires is in the export; one ID number is mistyped. */
const complete = (people: Value[][] = [
  person('张三', '420202199002154568', '高级中学教师资格'),
  person('李四', '420202199001011234', '初级中学教师资格'),
  person('王五', '11010519491231002X', '小学教师资格'),
]) => sample('资格证书_201706.csv', sheet('', [['资格证书信息导出'], HEADER, ...people, ['合计', null, null, null, null, null, null, '3'], ['制表人：某某']]));

const tried = (s: Sample) => {
  const [proposal] = suggestProfiles({ sample: s, candidates: loadCatalog().categoriesOf('P13'), standardFor: (c) => standardFor(c) }).proposals;
  return trialProposal(proposal!, s, { observedAt });
};

t.test('the sample tried with the proposal: rows sent, rows refused by reason, footers not counted as data', async (t) => {
  const trial = tried(complete());
  t.same([trial.rows, trial.sent, trial.rejected, trial.notData], [3, 2, 1, 2]);
  t.same(trial.reasons.map((r) => [r.code, r.count]), [['ID_CHECK_DIGIT', 1]]);
  const [example] = trial.reasons[0]!.examples;
  t.equal(example!.at, '第4行', 'the row as the clerk finds it in the export');
  t.equal(example!.column, '证件号码', 'the column by its header in the export');
  t.equal(example!.value, '420202********1234', 'the identity number masked');
  t.match(example!.message, /校验位/);
});

t.test('at most 3 examples per reason, every refused row counted; two rows of one key are one record sent', async (t) => {
  const bad = [30, 32, 33, 34, 35].map((n) => person('某人', `4202021990010112${n}`)); // 31 is the one valid check digit
  const trial = tried(complete([...bad, person('张三', '420202199002154568'), person('张三', '420202199002154568')]));
  t.same([trial.rows, trial.rejected, trial.sent], [7, 5, 1]);
  t.equal(trial.reasons[0]!.count, 5);
  t.equal(trial.reasons[0]!.examples.length, 3);
});

t.test('a cell the reader refused (a number that lost its digits) refuses its row with the reader\'s reason', async (t) => {
  const s = complete();
  const base = s.sheets[0]!;
  const rows = base.rows.map((r) => (r.rowNumber === 3 ? { ...r, cells: [r.cells[0]!, null, ...r.cells.slice(2)], problems: [{ column: 1, problem: { code: 'FILE_NUMBER_PRECISION' as const, params: { cell: 'B3' } } }] } : r));
  const trial = tried({ ...s, sheets: [{ ...base, rows }] });
  t.same(trial.reasons.map((r) => [r.code, r.count]), [['FILE_NUMBER_PRECISION', 1], ['ID_CHECK_DIGIT', 1]]);
  t.match(trial.reasons.find((r) => r.code === 'FILE_NUMBER_PRECISION')!.examples[0], { at: '第3行', column: '证件号码' });
});

t.test('required fields the export lacks: the drop folder would not read the sheet until they are filled in, and the trial says so', async (t) => {
  const trial = tried(teachers());
  t.same([trial.rows, trial.sent], [0, 0]);
  t.same(trial.reasons.map((r) => [r.code, r.count]), [['FILE_COLUMN_MISSING', 3]]);
  t.same(trial.reasons[0]!.examples.map((e) => e.column), ['<fill in: 发证机关统一社会信用代码>', '<fill in: 数据来源单位>', '<fill in: 数据来源单位统一社会信用代码>']);
});
