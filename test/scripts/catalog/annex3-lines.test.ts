import t from 'tap';
import { readAnnex3Line, trimShiftedCells } from '../../../scripts/catalog/annex3-lines.js';

const read = (text: string, line = 1) => readAnnex3Line({ line, text });

t.test('a provider line carries number, name and first category', async (t) => {
  t.same(read('1\t市工商局\t登记/注册/备案信息\t实时', 166), {
    kind: 'provider', line: 166, seq: 1, name: '市工商局',
    category: { name: '登记/注册/备案信息', frequency: '实时' },
  });
});

t.test('shifted rows: leading tabs vary and mean nothing', async (t) => {
  t.same(read('\t\t3\t市民政局\t行政许可/行政确认信息\t实时'), read('3\t市民政局\t行政许可/行政确认信息\t实时'));
  t.same(read('\t\t\t\t行政处罚信息\t实时'), read('\t\t行政处罚信息\t实时'));
});

t.test('a provider alone on its line has no first category; its rows follow unindented', async (t) => {
  t.same(read('\t\t9\t市城乡建设委员会'), { kind: 'provider', line: 1, seq: 9, name: '市城乡建设委员会', category: null });
  t.same(read('资质信息\t实时\t\t'), { kind: 'category', line: 1, category: { name: '资质信息', frequency: '实时' } });
});

t.test('category rows with trailing empty columns or no indentation are category rows', async (t) => {
  t.same(read('个人处罚信息\t实时\t\t').kind, 'category');
  t.same(read('行政强制信息\t实时\t\t\t\t').kind, 'category');
  t.same(read('\t\t行政强制信息\t实时\t\t').kind, 'category');
});

t.test('a blank line is a page break, skipped', async (t) => {
  t.same(read(''), { kind: 'skip', line: 1, why: 'page break' });
  t.same(read('\t\t'), { kind: 'skip', line: 1, why: 'page break' });
});

t.test('the title and the column header are skipped', async (t) => {
  t.equal(read('市公共信用信息平台第一批归集数据项').kind, 'skip');
  t.equal(read('序号\t数据提供单位 (行业领域)\t类别\t对接频率').kind, 'skip');
});

t.test('names split by line breaks are joined, brackets made full-width', async (t) => {
  const name = (text: string) => {
    const r = read(text);
    return r.kind === 'category' ? r.category.name : r.kind === 'provider' ? r.name : '';
  };
  t.equal(name('\t\t地税税务 登记(变更)信息\t实时'), '地税税务登记（变更）信息');
  t.equal(name('\t\t职业(从业)资格信息 (税务师)\t实时'), '职业（从业）资格信息（税务师）');
  t.equal(name('\t\t登记/ 注册/ 备案信息\t实时'), '登记/注册/备案信息');
  t.equal(name('\t\t社会团体注销（撤、吊）信息\t实时'), '社会团体注销（撤、吊）信息');
  t.equal(name('54\t中石油昆仑城投 燃气公司\t企业主体标识信息\t实时'), '中石油昆仑城投燃气公司');
  t.equal(name('\t\t\t\t药品经营企业 GSP 认证\t实时'), '药品经营企业GSP认证');
});

t.test('a line of unknown shape is an error naming its line, never a guess', async (t) => {
  t.throws(() => read('\t\t行政处罚信息\t实时\t多余', 300), /附件3 line 300: not a provider or category row/);
  t.throws(() => read('\t\t行政处罚信息', 301), /附件3 line 301/);
  t.throws(() => read('\t\t行政处罚信息\t\t实时', 302), /line 302: an empty cell between filled ones/);
});

t.test('an unknown frequency is an error', async (t) => {
  t.throws(() => read('\t\t行政处罚信息\t偶尔', 7), /line 7: "偶尔" is not a frequency/);
  t.equal(read('\t\t行政处罚信息\t每季度').kind, 'category');
});

t.test('trimShiftedCells keeps inner order and trims cells', async (t) => {
  t.same(trimShiftedCells(['', ' a ', 'b', '', '']), ['a', 'b']);
  t.same(trimShiftedCells(['', '']), []);
});
