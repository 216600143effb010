import t from 'tap';
import { bindColumns, findHeader, RowClassifier } from '../../../gateway/profiles/shape.js';
import { grid, NO_LAYOUT } from './fixtures.js';

const TITLED = grid([
  ['湖北省食品药品监管信息化业务平台 药师资格信息'],
  ['导出时间：2017-07-01 09:30', null, '单位：人'],
  ['序号', '姓名', '身份证号', '证书编号', '取得日期'],
  [1, '张三', '420202198503120046', 'YS2017001', '2017.6.2'],
]);

t.test('title rows above the header are passed over: the signature finds the header row', async (t) => {
  const shape = findHeader(TITLED, NO_LAYOUT, { signature: ['姓名', '身份证号'] })!;
  t.equal(shape.headerRow, 3);
  t.same(shape.columns.map((c) => c.name), ['序号', '姓名', '身份证号', '证书编号', '取得日期']);
});

t.test('the signature is compared as headers are: width, case and spaces do not count', async (t) => {
  t.equal(findHeader(TITLED, NO_LAYOUT, { signature: ['身份证号 ', '证书编号'] })?.headerRow, 3);
  t.equal(findHeader(grid([['ＩＤ', '姓 名'], ['x', 'y']]), NO_LAYOUT, { signature: ['id', '姓名'] })?.headerRow, 1);
});

t.test('without a signature the header is the first row with two filled cells; a fixed row is taken as given', async (t) => {
  t.equal(findHeader(TITLED, NO_LAYOUT)?.headerRow, 2);
  t.equal(findHeader(TITLED, NO_LAYOUT, { row: 3 })?.headerRow, 3);
  t.equal(findHeader(TITLED, NO_LAYOUT, { row: 3, signature: ['许可证号'] }), null, 'the fixed row must still hold the signature');
});

t.test('a signature not in the first 30 rows is no header', async (t) => {
  const late = grid([...Array.from({ length: 30 }, (_, i) => [`说明 ${i}`]), ['姓名', '身份证号']]);
  t.equal(findHeader(late, NO_LAYOUT, { signature: ['姓名', '身份证号'] }), null);
});

t.test('a two-row header with merged group cells names sub-columns 上/下, and merged-down cells by their one text', async (t) => {
  const rows = grid([
    ['行政处罚信息导出'],
    ['序号', '行政相对人名称', '行政相对人代码', null, null, '决定日期'],
    [null, null, '统一社会信用代码', '组织机构代码', '工商注册号', null],
    [1, '黄石某公司', '91420200846J0URW7B', null, null, 42888],
  ]);
  const merges = [
    { top: 2, bottom: 3, left: 0, right: 0 },
    { top: 2, bottom: 3, left: 1, right: 1 },
    { top: 2, bottom: 2, left: 2, right: 4 },
    { top: 2, bottom: 3, left: 5, right: 5 },
  ];
  const shape = findHeader(rows, { merges, hiddenColumns: new Set() }, { signature: ['行政相对人名称', '统一社会信用代码'], rows: 2 })!;
  t.equal(shape.headerRow, 2);
  t.same(shape.columns.map((c) => c.name), ['序号', '行政相对人名称', '行政相对人代码/统一社会信用代码', '行政相对人代码/组织机构代码', '行政相对人代码/工商注册号', '决定日期']);
  const bound = bindColumns(shape, ['行政相对人代码/统一社会信用代码', '组织机构代码', '决定日期', '许可证号']);
  t.same([...bound.index], [['行政相对人代码/统一社会信用代码', 2], ['组织机构代码', 3], ['决定日期', 5]], 'a lower name unique in the sheet is enough');
  t.same(bound.missing, ['许可证号']);
});

t.test('without merge information (CSV) an empty upper cell belongs to the group on its left', async (t) => {
  const rows = grid([
    ['序号', '行政相对人代码', '', '决定日期'],
    ['', '统一社会信用代码', '组织机构代码', ''],
  ]);
  const shape = findHeader(rows, NO_LAYOUT, { rows: 2 })!;
  t.same(shape.columns.map((c) => c.name), ['序号', '行政相对人代码/统一社会信用代码', '行政相对人代码/组织机构代码', '决定日期']);
});

t.test('a hidden column is read only when no visible column has the name', async (t) => {
  const rows = grid([['姓名', '证书编号', '证书编号', '内部ID']]);
  const shape = findHeader(rows, { merges: [], hiddenColumns: new Set([1, 3]) })!;
  const bound = bindColumns(shape, ['证书编号', '内部ID']);
  t.equal(bound.index.get('证书编号'), 2, 'the visible one of two');
  t.equal(bound.index.get('内部ID'), 3, 'mapped by name, so read');
});

t.test('footers end the data: 合计, 注, a lone cell after data, and the sign-off lines below them', async (t) => {
  const rows = grid([
    ['姓名', '证书编号'],
    ['张三', 'YS1'],
    ['小计', ''],
    ['李四', 'YS2'],
    ['共 2 人'],
    ['制表人：王', '审核人：赵'],
    ['', '', '单位盖章'],
  ]);
  const shape = findHeader(rows, NO_LAYOUT)!;
  const classifier = new RowClassifier(shape, [1]);
  t.same(rows.map((r) => classifier.classify(r)), ['header', 'data', 'footer', 'data', 'footer', 'footer', 'footer']);
});

t.test('a record appended below the totals without its key is data, to be rejected for its key; a lone date or signature there is a footer', async (t) => {
  const rows = grid([
    ['姓名', '证书编号', '取得日期'],
    ['张三', 'YS1', '2017-06-02'],
    ['合计', '', '1 人'],
    ['李四', '', '2017-06-03'],
    ['2017年7月1日'],
    ['', '', '王五（签字）'],
    ['联系人：赵六', '联系电话：0714-6220000'],
    ['单位（盖章）', '', '日期：2017年7月1日'],
  ]);
  const classifier = new RowClassifier(findHeader(rows, NO_LAYOUT)!, [1]);
  t.same(rows.map((r) => classifier.classify(r)), ['header', 'data', 'footer', 'data', 'footer', 'footer', 'footer', 'footer']);
});

t.test('a header repeated on every printed page is no data row', async (t) => {
  const rows = grid([['姓名', '证书编号'], ['张三', 'YS1'], ['姓名', '证书编号'], ['李四', 'YS2']]);
  const classifier = new RowClassifier(findHeader(rows, NO_LAYOUT)!, [1]);
  t.same(rows.map((r) => classifier.classify(r)), ['header', 'data', 'header', 'data']);
});

t.test('a title row right above a two-row header is not taken for its group row', async (t) => {
  // CSV: no merges, so a title over the header would otherwise be a group over every column.
  const rows = grid([
    ['行政许可信息导出'],
    ['行政相对人名称', '行政相对人代码', null, '决定日期'],
    [null, '统一社会信用代码', '组织机构代码', null],
    ['黄石某公司', '91420200846J0URW7B', null, '2017-06-02'],
  ]);
  const shape = findHeader(rows, NO_LAYOUT, { signature: ['行政相对人名称', '决定日期'], rows: 2 })!;
  t.equal(shape.headerRow, 2);
  t.same(shape.columns.map((c) => c.name), ['行政相对人名称', '行政相对人代码/统一社会信用代码', '行政相对人代码/组织机构代码', '决定日期']);
});

t.test('a total with its count under a key column is a footer; a name starting with a footer word is data', async (t) => {
  const rows = grid([
    ['姓名', '证件号码', '资格名称'],
    ['张三', '420202199002154568', '高级中学教师资格'],
    ['注册会计师甲', '420202199001011231', '会计'],
    ['合计', '2 人'],
  ]);
  const classifier = new RowClassifier(findHeader(rows, NO_LAYOUT)!, [1, 2]);
  t.same(rows.map((r) => classifier.classify(r)), ['header', 'data', 'data', 'footer']);
});

t.test('with a one-column key, a total whose count or word fills the key is a footer; a name starting so with a real key is data', async (t) => {
  const rows = grid([
    ['姓名', '证件号码', '资格名称'],
    ['张三', '420202199002154568', '高级中学教师资格'],
    ['注册会计师甲', '420202199001011231', '会计'],
    ['小计划科技有限公司', '91420200846J0URW7B', '许可'],
    ['合计', '1 人'],
    ['总计', 3],
    ['小计：', '共3条', ''],
    ['', '合计', '2 人'],
    ['合计', '３人次'],
  ]);
  const classifier = new RowClassifier(findHeader(rows, NO_LAYOUT)!, [1]);
  t.same(rows.map((r) => classifier.classify(r)), ['header', 'data', 'data', 'data', 'footer', 'footer', 'footer', 'footer', 'footer']);
});

t.test('with a one-column key in the first column, 合计 in the key column is a footer', async (t) => {
  const rows = grid([
    ['证书编号', '姓名'],
    ['YS1', '张三'],
    ['合计', '1 人'],
  ]);
  const classifier = new RowClassifier(findHeader(rows, NO_LAYOUT)!, [0]);
  t.same(rows.map((r) => classifier.classify(r)), ['header', 'data', 'footer']);
});
