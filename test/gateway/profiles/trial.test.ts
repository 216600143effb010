import t from 'tap';
import { compileProfile, globMatcher, trialSheet } from '../../../gateway/profiles/index.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { compiled, CTX, grid, NO_LAYOUT, PEOPLE, pharmacistProfile, SHEET } from './fixtures.js';

const [a, b, c] = PEOPLE as unknown as [typeof PEOPLE[0], typeof PEOPLE[0], typeof PEOPLE[0]];

const EXPORT = grid([
  ['湖北省食品药品监管信息化业务平台'],
  ['导出时间：2017-07-01'],
  ['序号', '姓名', '身份证号', '证书编号', '取得日期'],
  [1, ` ${a.name}\u3000`, a.id, `${a.cert} `, '2017.6.2'],
  // Wrong on purpose: the bad row (ID_CHECK_DIGIT; 420202199001011231 would be valid).
  [2, b.name, '420202199001011234', b.cert, 42888],
  [3, c.name, c.id, c.cert, '2017年6月2日'],
  ['合计', '3 人'],
  ['注：本表由系统自动生成'],
]);

t.test('an export runs through its profile: titles and footers passed over, good rows as records with provenance', async (t) => {
  const trial = trialSheet(SHEET, NO_LAYOUT, EXPORT, compiled(), CTX);
  t.equal(trial.rows, 3);
  t.equal(trial.footers, 2);
  t.same(trial.records.map((r) => [r.key, r.subject?.name, r.data?.ZG_RQ]), [[a.cert, a.name, '2017-06-02'], [c.cert, c.name, '2017-06-02']], 'stray and ideographic spaces trimmed; dates of any shape');
  t.same(trial.records[0]!.provenance, { kind: 'system', system: '湖北省食品药品监管信息化业务平台', profile: 'hbfda-ys' });
  t.equal(trial.records[0]!.category, 'P06-031');
});

t.test('a bad row is reported at its sheet and row as the export numbers it, under the export header', async (t) => {
  const trial = trialSheet(SHEET, NO_LAYOUT, EXPORT, compiled(), CTX);
  t.equal(trial.refused, 1);
  t.same(trial.report.map((l) => [l.sheet, l.row, l.field, l.code]), [['2017年6月', 5, '身份证号', 'ID_CHECK_DIGIT']]);
  t.match(trial.report[0]!.message, /校验位错误/);
});

t.test('a dry run counts the 合计 row as not data and rejects a keyless record appended below it', async (t) => {
  const rows = grid([
    ['序号', '姓名', '身份证号', '证书编号', '取得日期'],
    [1, a.name, a.id, a.cert, '2017-06-02'],
    ['合计', '1 人'],
    [2, c.name, c.id, null, '2017-06-20'],
    ['2017年7月1日'],
  ]);
  const trial = trialSheet(SHEET, NO_LAYOUT, rows, compiled(), CTX);
  t.equal(trial.footers, 2, '合计 and the date line');
  t.equal(trial.rows, 2);
  t.same(trial.report.map((l) => [l.row, l.field, l.code]), [[4, '证书编号', 'KEY_MISSING']]);
});

t.test('a refused cell rejects its row only where the profile reads the column', async (t) => {
  const rows = grid([['序号', '姓名', '身份证号', '证书编号', '取得日期'], [null, a.name, a.id, a.cert, '2017-06-02'], [2, b.name, null, b.cert, '2017-06-02']]);
  rows[1]!.problems.push({ column: 0, problem: { code: 'FILE_FORMULA_CELL', params: { cell: 'A2' } } });
  rows[2]!.problems.push({ column: 2, problem: { code: 'FILE_NUMBER_PRECISION', params: { cell: 'C3', value: '4.20202E+17' } } });
  const trial = trialSheet(SHEET, NO_LAYOUT, rows, compiled(), CTX);
  t.equal(trial.records.length, 1, 'the =ROW() in 序号 is nobody’s business');
  t.same(trial.report.map((l) => [l.row, l.field, l.code]), [[3, '身份证号', 'FILE_NUMBER_PRECISION']], 'the precision-lost ID, and not "subject code empty" besides');
});

t.test('a code typed as a number reaches a text field as its decimal text', async (t) => {
  const rows = grid([['姓名', '身份证号', '证书编号', '取得日期'], [a.name, a.id, 2017001, '2017-06-02']]);
  const trial = trialSheet(SHEET, NO_LAYOUT, rows, compiled(), CTX);
  t.equal(trial.records[0]!.data!.ZG_ZSBH, '2017001');
  t.equal(trial.records[0]!.key, '2017001');
});

t.test('a sheet lacking a column the profile needs reads no row and names the column as the profile writes it', async (t) => {
  const rows = grid([['姓名', '身份证号', '取得日期'], [a.name, a.id, '2017-06-02']]);
  const trial = trialSheet(SHEET, NO_LAYOUT, rows, compiled(pharmacistProfile({ match: { name: ['*.csv'] } })), CTX);
  t.same(trial.report.map((l) => [l.row, l.field, l.code]), [[1, '证书编号', 'FILE_COLUMN_MISSING']]);
  t.equal(trial.records.length, 0);
});

t.test('a sheet without the signature in its first 30 rows is reported, not guessed', async (t) => {
  const trial = trialSheet(SHEET, NO_LAYOUT, grid([['单位', '人数'], ['黄石', 3]]), compiled(), CTX);
  t.equal(trial.report[0]!.code, 'FILE_HEADER_NOT_FOUND');
  t.match(trial.report[0]!.message, /姓名、身份证号、证书编号/);
});

t.test('the key defaults to the columns of the standard key fields; the subject code stands for the one it repeats', async (t) => {
  const { key: _key, ...rest } = pharmacistProfile();
  const profile = compiled({ ...rest, fields: { ...rest.fields, ZG_MC: '资格名称' } } as never);
  t.same(profile.keyColumns, ['身份证号', '资格名称', '取得日期']);
});

t.test('returned data says whence it came back; provenance is part of the fingerprint', async (t) => {
  const own = trialSheet(SHEET, NO_LAYOUT, EXPORT, compiled(pharmacistProfile({ origin: 'returned', system: '湖北省市场监督管理局' })), CTX).records[0]!;
  const system = trialSheet(SHEET, NO_LAYOUT, EXPORT, compiled(), CTX).records[0]!;
  t.same(own.provenance, { kind: 'returned', system: '湖北省市场监督管理局', profile: 'hbfda-ys' });
  t.equal(own.id, system.id, 'the same record');
  t.not(own.fingerprint, system.fingerprint, 'a new provenance is a change the platform hears of');
});

t.test('sheets are chosen by name globs and visibility', async (t) => {
  const standards = loadStandards();
  const standard = standards.standardFor(loadCatalog().byCode('P06-031')!);
  const p = compileProfile(pharmacistProfile({ sheets: { include: ['2017*', '*月'], exclude: ['说明'], hidden: false } }), standard);
  t.ok(p.wantsSheet({ name: '2017年6月', index: 0, hidden: false }));
  t.notOk(p.wantsSheet({ name: '2017年7月', index: 1, hidden: true }), 'hidden');
  t.notOk(p.wantsSheet({ name: '说明', index: 2, hidden: false }));
  t.notOk(p.wantsSheet({ name: '代码表', index: 3, hidden: false }));
  t.ok(p.matchesName('药师资格2017年6月.XLS'), 'file names compared without regard to case');
  t.notOk(p.matchesName('药师资格.xlsx'));
});

t.test('globs: * and ? only, whole names, width and case folded', async (t) => {
  const m = globMatcher(['教师资格认定*.xls', '*jszg?.csv']);
  t.ok(m('教师资格认定2017.xls'));
  t.ok(m('export_JSZG1.CSV'));
  t.ok(m('教师资格认定２０１７.ＸＬＳ'));
  t.notOk(m('x教师资格认定.xls'));
  t.notOk(m('export_jszg12.csv'));
  t.ok(globMatcher(['a.b(1)+.csv'])('A.B(1)+.csv'), 'regular-expression characters are plain');
});
