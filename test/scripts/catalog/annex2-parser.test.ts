import { readFileSync } from 'node:fs';
import t from 'tap';
import { seedsPath } from '../../../gateway/paths.js';
import { parseAnnex2, parseAnnex2Lines } from '../../../scripts/catalog/annex2-parser.js';
import { annexLines, bodyCategoryTotal } from '../../../scripts/catalog/notice-sections.js';

const notice = readFileSync(seedsPath('huangshi-credit-notice-2017.txt'), 'utf8');

t.test('the notice: 附件2 has 58 departments with a local database and 9 without a system', async (t) => {
  const entries = parseAnnex2(notice);
  t.equal(entries.filter((e) => e.table === 'local-database').length, 58);
  t.equal(entries.filter((e) => e.table === 'no-system').length, 9);
  t.equal(entries.reduce((sum, e) => sum + e.count, 0), 492);
  t.same(entries[0], { table: 'local-database', seq: 1, name: '市工商局', count: 26, line: 90 });
  t.same(entries.at(-1), { table: 'no-system', seq: 9, name: '市红十字会', count: 1, line: 159 });
});

t.test('the notice: names are normalised like 附件3 names', async (t) => {
  t.ok(parseAnnex2(notice).some((e) => e.name === '市机关事务管理局（行管局）'));
});

t.test('a row of unknown shape is an error', async (t) => {
  const lines = [
    { line: 1, text: '序号\t部门(有业务系统数据库在本地)\t信息类数' },
    { line: 2, text: '1\t市甲局\t很多' },
  ];
  t.throws(() => parseAnnex2Lines(lines), /附件2 line 2: not a department row/);
});

t.test('the body announces 504 categories', async (t) => {
  t.equal(bodyCategoryTotal(notice), 504);
  t.throws(() => bodyCategoryTotal('no figure here'), /states no category total/);
});

t.test('an annex is cut between its heading and the next one', async (t) => {
  const annex3 = annexLines(notice, 3);
  t.same([annex3[0]!.line, annex3.at(-1)!.line], [162, 684]);
  t.throws(() => annexLines(notice, 9), /no line "附件9："/);
});
