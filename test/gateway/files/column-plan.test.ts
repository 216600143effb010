import t from 'tap';
import { planColumns } from '../../../gateway/files/column-plan.js';
import { penaltyCategory } from './helpers.js';

const category = penaltyCategory();

t.test('headers may be Chinese names or field codes; columns a file leaves out read as empty', async (t) => {
  const plan = planColumns(['行政处罚决定书文号', 'CF_XDR_MC', '统一社会信用代码', '处罚决定日期'], category);
  t.same(plan.problems, []);
  t.same([...plan.fieldOf], [['行政处罚决定书文号', 'CF_WSH'], ['CF_XDR_MC', 'CF_XDR_MC'], ['统一社会信用代码', 'CF_XDR_SHXYM'], ['处罚决定日期', 'CF_JDRQ']]);
  t.same([...plan.absent].sort(), ['CF_CFJG', 'CF_CFLB', 'CF_NR_FK']);
});

t.test('an unknown column is a problem, named with its position: nothing is silently dropped', async (t) => {
  const plan = planColumns(['行政处罚决定书文号', '相对人名称', '统一社会信用代码', '处罚决定日期', '备注栏'], category);
  t.same(plan.problems, [{ code: 'FILE_COLUMN_UNKNOWN', header: '备注栏', params: { header: '备注栏', column: 'E', category: 'P07-002' } }]);
});

t.test('two columns of one field, and a column the key, subject or a required field needs, are problems', async (t) => {
  const plan = planColumns(['行政处罚决定书文号', 'CF_WSH', '相对人名称'], category);
  t.same(plan.problems.map((p) => [p.code, p.header]), [
    ['FILE_COLUMN_REPEATED', '行政处罚决定书文号、CF_WSH'],
    ['FILE_COLUMN_MISSING', '统一社会信用代码（CF_XDR_SHXYM）'],
    ['FILE_COLUMN_MISSING', '处罚决定日期（CF_JDRQ）'],
  ]);
});

t.test('a retired field is read past with a notice, not refused', async (t) => {
  const plan = planColumns(['行政处罚决定书文号', '相对人名称', '统一社会信用代码', '处罚决定日期', '地方编码'], category);
  t.same(plan.problems, []);
  t.match(plan.retired, [{ code: 'FILE_COLUMN_RETIRED', header: '地方编码' }]);
  t.equal(plan.fieldOf.has('地方编码'), false, 'its values are never sent');
});
