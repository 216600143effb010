import { readFileSync } from 'node:fs';
import t from 'tap';
import { seedsPath } from '../../../gateway/paths.js';
import { parseAnnex3, parseAnnex3Lines } from '../../../scripts/catalog/annex3-parser.js';

const notice = readFileSync(seedsPath('huangshi-credit-notice-2017.txt'), 'utf8');
const lines = (...texts: string[]) => texts.map((text, i) => ({ line: i + 1, text }));

t.test('synthetic: rows keep their provider across page breaks and shifted columns', async (t) => {
  const providers = parseAnnex3Lines(lines(
    '市公共信用信息平台第一批归集数据项',
    '序号\t数据提供单位 (行业领域)\t类别\t对接频率',
    '1\t市甲局\t行政处罚信息\t实时',
    '',
    '\t\t行政强制信息\t实时\t\t',
    '个人处罚信息\t实时\t\t',
    '\t\t2\t市乙委',
    '资质信息\t实时\t\t',
  ));
  t.same(providers.map((p) => [p.seq, p.name, p.rows.map((r) => [r.line, r.name])]), [
    [1, '市甲局', [[3, '行政处罚信息'], [5, '行政强制信息'], [6, '个人处罚信息']]],
    [2, '市乙委', [[8, '资质信息']]],
  ]);
});

t.test('synthetic: numbering must run without gaps', async (t) => {
  t.throws(() => parseAnnex3Lines(lines('1\t市甲局\t表彰信息\t实时', '3\t市丙局\t表彰信息\t实时')),
    /line 2: provider number 3, expected 2/);
});

t.test('synthetic: a provider without categories, or a category without provider, is an error', async (t) => {
  t.throws(() => parseAnnex3Lines(lines('\t\t1\t市甲局', '2\t市乙局\t表彰信息\t实时')), /市甲局 has no categories/);
  t.throws(() => parseAnnex3Lines(lines('\t\t1\t市甲局')), /市甲局 has no categories/);
  t.throws(() => parseAnnex3Lines(lines('表彰信息\t实时')), /a category before any provider/);
});

t.test('the notice: 69 providers in document order', async (t) => {
  const providers = parseAnnex3(notice);
  t.equal(providers.length, 69);
  t.same(providers.map((p) => p.seq), Array.from({ length: 69 }, (_, i) => i + 1));
  t.equal(providers[0]!.name, '市工商局');
  t.equal(providers[6]!.name, '市人社局');
  t.equal(providers[8]!.name, '市城乡建设委员会');
  t.equal(providers[18]!.name, '市规划局（市测绘地理信息局）');
  t.equal(providers[53]!.name, '中石油昆仑城投燃气公司');
  t.equal(providers[56]!.name, '市楚天视讯网络有限公司');
  t.equal(providers[59]!.name, '市人民银行黄石分行');
  t.equal(providers[68]!.name, '市机关事务管理局');
});

t.test('the notice: 502 rows, every one 实时', async (t) => {
  const rows = parseAnnex3(notice).flatMap((p) => p.rows);
  t.equal(rows.length, 502);
  t.ok(rows.every((r) => r.frequency === '实时'));
});

t.test('the notice: the mess cases land where a reader of the PDF expects', async (t) => {
  const providers = parseAnnex3(notice);
  const rowsOf = (seq: number) => providers[seq - 1]!.rows;
  // 市人社局: 2nd row 行政处罚信息 (the platform spec's worked example P07-002)
  t.same([rowsOf(7)[1]!.name, rowsOf(7)[1]!.line], ['行政处罚信息', 307]);
  // provider number and name alone on a line; first category on the next line
  t.same([providers[8]!.line, rowsOf(9)[0]!.line, rowsOf(9)[0]!.name], [357, 358, '资质信息']);
  t.same([providers[10]!.line, rowsOf(11)[0]!.line], [392, 393]);
  // unindented 个人处罚信息 after four-tab rows stays with 市工商局
  t.same(rowsOf(1).at(-2), { line: 190, name: '个人处罚信息', frequency: '实时' });
  // 市民政局's line is shifted right by two tabs
  t.same([providers[2]!.line, rowsOf(3)[0]!.name], [219, '行政许可/行政确认信息']);
  // a page break inside 市城管局's list does not end it
  t.equal(rowsOf(42).length, 8);
  t.equal(rowsOf(46)[4]!.name, '地税税务登记（变更）信息');
  t.equal(rowsOf(7)[3]!.name, '登记/注册/备案信息');
});

t.test('the notice: no row leaks in from 附件2 or 附件4', async (t) => {
  const providers = parseAnnex3(notice);
  t.equal(providers[0]!.line, 166);
  t.equal(providers.at(-1)!.rows.at(-1)!.line, 683);
});
