import t from 'tap';
import { loadCatalog } from '../../../../gateway/catalog/index.js';
import { standardFor } from '../../../../gateway/standards/index.js';
import { suggestProfiles, FILL_IN } from '../../../../gateway/profiles/suggest/propose.js';
import { sample, sheet, teachers } from './grids.js';

const catalog = loadCatalog();
const education = catalog.categoriesOf('P13');
const input = (s: ReturnType<typeof sample>, extra: Partial<Parameters<typeof suggestProfiles>[0]> = {}) =>
  ({ sample: s, candidates: education, standardFor: (c: Parameters<typeof standardFor>[0]) => standardFor(c), ...extra });

t.test('an export with title rows: the header is the row that names fields, the category the department\'s that fits', async (t) => {
  const { proposals, sheets } = suggestProfiles(input(teachers()));
  t.equal(proposals.length, 1);
  const [p] = proposals;
  t.equal(p!.sheets[0]!.header.row, 3, 'the titles above are passed over');
  t.equal(p!.profile.category, 'P13-002', '资格证书信息: the 职业资格 category whose name the export repeats');
  t.match(p!.profile.fields, {
    ZG_ZTMC: '姓名',
    ZG_ZJHM: '身份证件号码',
    ZG_MC: '资格名称',
    ZG_ZSBH: '资格证书编号',
    ZG_RQ: { column: '取得日期', date: 'zh' },
    ZG_JG: '发证机关',
    ZG_ZTLB: { const: '自然人' },
  });
  t.same(Object.keys(p!.notes.approximate).sort(), ['ZG_RQ', 'ZG_ZJHM', 'ZG_ZTMC'], 'matches other than by name, code or alias are marked');
  t.same(p!.profile.key, ['身份证件号码', '资格名称', '取得日期'], 'the standard\'s identifying fields, the subject\'s code among them');
  t.same(p!.profile.subject, { kind: 'natural', name: '姓名', code: '身份证件号码' });
  t.same(p!.profile.match.name, ['教师资格证书导出_*.csv'], 'the date in the name becomes *');
  t.ok(p!.profile.match.headers.length >= 3 && p!.profile.match.headers.length <= 5, 'a signature of 3 to 5 headers');
  t.ok(p!.profile.match.headers.every((h) => !['序号', '备注'].includes(h)), 'never a header every export has');
  t.equal(p!.profile.system, FILL_IN);
  t.equal(p!.profile.origin, 'system');
  t.equal(p!.profile.title, '全国教师资格信息系统 资格证书信息导出');
  t.same(p!.notes.unused, ['序号'], '备注 is the standard\'s BZ');
  t.same(p!.notes.missingRequired.map((f) => f.code), ['ZG_JGDM', 'ZG_SJLY', 'ZG_SJLYDM'], 'required fields the export lacks are named');
  t.same(sheets, [{ sheet: '', hidden: false, profile: p!.profile.name }]);
});

t.test('the department, from the configuration, is the 数据来源单位', async (t) => {
  const [p] = suggestProfiles(input(teachers(), { department: '黄石市教育局' })).proposals;
  t.same(p!.profile.fields.ZG_SJLY, { const: '黄石市教育局' });
  t.notOk(p!.notes.missingRequired.some((f) => f.code === 'ZG_SJLY'));
});

/** 湖北省食品药品监管信息化业务平台-style: a merged title, 行政相对人代码 merged over its sub-columns. */
const licences = (merges = true) => sample('许可信息导出.xlsx', sheet('Sheet1', [
  ['行政许可信息（湖北省食品药品监管信息化业务平台）'],
  ['行政相对人名称', '行政相对人类别', '行政相对人代码', null, null, '法定代表人', '行政许可决定文书号', '许可内容', '许可决定日期', '有效期自', '有效期至', '许可机关', '当前状态'],
  [null, null, '统一社会信用代码', '组织机构代码', '工商注册号'],
  ['黄石市某某药房', '法人及非法人组织', '91420200045FUX8H1K', null, null, '赵六', '鄂食药许〔2017〕1号', '药品零售', '2017.6.2', '2017.6.2', 20220601, '黄石市食品药品监督管理局', '有效'],
  ['黄石市某某诊所', '法人', '91420200846J0URW7B', null, null, '钱七', '鄂食药许〔2017〕2号', '药品零售', '2017年6月3日', '2017.6.3', 20220602, '黄石市食品药品监督管理局', '有效'],
], merges ? {
  merges: [
    { top: 1, bottom: 1, left: 0, right: 12 },
    { top: 2, bottom: 3, left: 0, right: 0 },
    { top: 2, bottom: 3, left: 1, right: 1 },
    { top: 2, bottom: 2, left: 2, right: 4 },
    ...[5, 6, 7, 8, 9, 10, 11, 12].map((c) => ({ top: 2, bottom: 3, left: c, right: c })),
  ],
} : {}));

t.test('a two-row header with a group merged over its sub-columns', async (t) => {
  const [p] = suggestProfiles(input(licences(), { candidates: catalog.categoriesOf('P06') })).proposals;
  const header = p!.sheets[0]!.header;
  t.same([header.row, header.rows], [2, 2]);
  t.same(p!.profile.header, { rows: 2 });
  t.equal(p!.standard.infoType, '行政许可');
  t.match(p!.profile.fields, {
    XK_XDR_MC: '行政相对人名称',
    XK_XDR_LB: '行政相对人类别',
    XK_XDR_SHXYM: '行政相对人代码/统一社会信用代码',
    XK_XDR_ZZJG: '行政相对人代码/组织机构代码',
    XK_XDR_GSZC: '行政相对人代码/工商注册号',
    XK_WSH: '行政许可决定文书号',
    XK_JDRQ: { column: '许可决定日期', date: 'any' },
    XK_YXQZ: { column: '有效期自', date: 'YYYY.MM.DD' },
    XK_YXQZI: { column: '有效期至', date: 'YYYYMMDD' },
  });
  t.same(p!.notes.approximate, {}, 'every one by its name or an alias');
  t.same(p!.profile.key, ['行政许可决定文书号', '行政相对人代码/统一社会信用代码']);
  t.match(p!.profile.subject, { kind: { column: '行政相对人类别', values: { 法人及非法人组织: 'legal', 自然人: 'natural', 法人: 'legal' } }, name: '行政相对人名称', code: '行政相对人代码/统一社会信用代码' });
  t.ok(p!.profile.match.headers.every((h) => !h.includes('/')), 'the signature uses headers written in one cell');
});

t.test('a two-row header in a CSV (no merges): an empty cell under a group takes the group to its left', async (t) => {
  const [p] = suggestProfiles(input(licences(false), { candidates: catalog.categoriesOf('P06') })).proposals;
  t.equal(p!.sheets[0]!.header.rows, 2);
  t.match(p!.profile.fields, { XK_XDR_SHXYM: '行政相对人代码/统一社会信用代码', XK_XDR_GSZC: '行政相对人代码/工商注册号', XK_XDR_MC: '行政相对人名称' });
});

t.test('a workbook of one sheet per month is one profile; hidden sheets and sheets without a header are left out', async (t) => {
  const month = (name: string, index: number) => ({ ...teachers().sheets[0]!, info: { name, index, hidden: false } });
  const notes = sheet('说明', [['本表说明'], ['1. 数据来自全国教师资格信息系统']], { index: 3 });
  const old = { ...teachers().sheets[0]!, info: { name: '旧表', index: 4, hidden: true } };
  const { proposals, sheets } = suggestProfiles(input(sample('教师资格.xlsx', month('2017年5月', 0), month('2017年6月', 1), notes, old)));
  t.equal(proposals.length, 1);
  t.same(proposals[0]!.sheets.map((s) => s.sheet.info.name), ['2017年5月', '2017年6月']);
  t.notOk(proposals[0]!.profile.sheets, 'the default (every visible sheet whose header matches) is right');
  t.same(sheets.map((s) => [s.sheet, s.skipped ?? s.profile]), [['2017年5月', proposals[0]!.profile.name], ['2017年6月', proposals[0]!.profile.name], ['说明', 'no-header'], ['旧表', 'hidden']]);
});

t.test('a workbook of one sheet per category gives a profile per sheet, each naming its sheet', async (t) => {
  const penalties = sheet('处罚', [
    ['行政相对人名称', '行政相对人类别', '统一社会信用代码', '行政处罚决定书文号', '违法行为类型', '违法事实', '处罚依据', '处罚类别', '处罚内容', '处罚决定日期', '处罚有效期', '处罚机关'],
    ['某公司', '法人及非法人组织', '91420200045FUX8H1K', '黄教罚〔2017〕1号', '违规办学', '事实', '依据', '警告', '警告', '2017-06-02', '2018-06-02', '黄石市教育局'],
  ], { index: 1 });
  const { proposals } = suggestProfiles(input(sample('教育局导出.xlsx', { ...teachers().sheets[0]!, info: { name: '资格', index: 0, hidden: false } }, penalties)));
  t.same(proposals.map((p) => [p.profile.category, p.profile.sheets]), [['P13-002', { include: ['资格'] }], ['P13-001', { include: ['处罚'] }]]);
  t.not(proposals[0]!.profile.name, proposals[1]!.profile.name, 'names do not repeat');
});

t.test('--sheet reads that sheet only; a name the file lacks, or a file no standard fits, is an error with a code', async (t) => {
  const s = sample('教师资格.xlsx', { ...teachers().sheets[0]!, info: { name: 'A', index: 0, hidden: false } }, { ...teachers().sheets[0]!, info: { name: 'B', index: 1, hidden: false } });
  const { proposals, sheets } = suggestProfiles(input(s, { sheet: 'B' }));
  t.same(proposals[0]!.profile.sheets, { include: ['B'] });
  t.equal(sheets[0]!.skipped, 'not-asked');
  t.throws(() => suggestProfiles(input(s, { sheet: 'C' })), { code: 'SUGGEST_SHEET_UNKNOWN', message: /"A", "B"/ });
  t.throws(() => suggestProfiles(input(sample('x.csv', sheet('', [['a', 'b'], ['1', '2']])))), { code: 'SUGGEST_NO_CATEGORY' });
});

t.test('without a department every category is a candidate; the standard the header fits decides', async (t) => {
  const [p] = suggestProfiles(input(licences(), { candidates: catalog.categories })).proposals;
  t.equal(p!.standard.infoType, '行政许可');
  t.ok(p!.notes.alternatives.length > 0, 'other categories of that standard are offered');
});

t.test('an export holding companies and people, each with its own code column: both columns proposed, and every row of either kind read', async (t) => {
  const { parse } = await import('yaml');
  const { validateConfig } = await import('../../../../config/validate.js');
  const { compileProfile, trialSheet } = await import('../../../../gateway/profiles/index.js');
  const { readSample } = await import('../../../../gateway/profiles/suggest/read-sample.js');
  const { suggestionYaml } = await import('../../../../gateway/profiles/suggest/profile-yaml.js');
  const { joinKey } = await import('../../../../gateway/records/record-id.js');
  const { penaltiesMixedCsv, penaltiesMixedXlsx } = await import('../../../helpers/profile-samples.js');
  const dir = t.testdir({});
  for (const file of [penaltiesMixedCsv(dir), await penaltiesMixedXlsx(dir)]) {
    const s = await readSample(file);
    const suggestion = suggestProfiles({ sample: s, candidates: catalog.categoriesOf('P07'), standardFor: (c) => standardFor(c) });
    const [proposal] = suggestion.proposals;
    t.equal(proposal!.profile.category, 'P07-002');
    // What the clerk pastes: the printed YAML, through the configuration's own schema.
    const [printed] = parse(suggestionYaml(suggestion)) as unknown[];
    const config = validateConfig({
      gateway: { id: 'hs-rsj', department: '黄石市人力资源和社会保障局', dataDir: './data' },
      platform: { url: 'http://127.0.0.1:9/', secretRef: 'platform' }, sources: [], jobs: [], profiles: [printed],
    });
    const profile = config.profiles![0]!;
    t.same(profile.subject.code, ['统一社会信用代码', '证件号码'], `${file}: the subject's code is whichever of the two columns the row fills`);
    t.notOk(profile.key, 'no key naming one code column, blank in half the rows: the gateway keys each row by its own code');
    t.match(profile.fields, { CF_XDR_SHXYM: '统一社会信用代码', CF_XDR_ZJHM: '证件号码' }, 'each code column mapped to its own field');

    const compiled = compileProfile(profile, proposal!.standard);
    const sheet = s.sheets[0]!;
    const trial = trialSheet(sheet.info, sheet, sheet.rows, compiled, { gatewayId: 'hs-rsj', observedAt: '2017-07-01T00:00:00.000Z' });
    t.same(trial.report, [], 'no row refused');
    t.same(trial.records.map((r) => r.subject), [
      { kind: 'legal', name: '黄石市甲贸易有限公司', code: '91420200045FUX8H1K' },
      { kind: 'natural', name: '李四', code: '420202199001011231' },
      { kind: 'legal', name: '黄石市丙建筑有限公司', code: '9142020024TAJQBP0R' },
      { kind: 'natural', name: '王五', code: '420202198503120046' },
    ]);
    t.same(trial.records.map((r) => r.key), [
      joinKey(['黄人社监罚〔2017〕1号', '91420200045FUX8H1K']), joinKey(['黄人社监罚〔2017〕2号', '420202199001011231']),
      joinKey(['黄人社监罚〔2017〕3号', '9142020024TAJQBP0R']), joinKey(['黄人社监罚〔2017〕4号', '420202198503120046']),
    ], 'each row keyed by 文书号 and the code it has');
    t.same(trial.records.map((r) => r.data!.CF_XDR_ZJLX ?? null), [null, '身份证', null, '身份证'], '证件类型 for the people only: the export has no such column');
  }
});

t.test('companies and people in one export without a kind column: one kind for every row, and the note says the others will be refused and why', async (t) => {
  const { readSample } = await import('../../../../gateway/profiles/suggest/read-sample.js');
  const { penaltiesMixedCsv } = await import('../../../helpers/profile-samples.js');
  const { writeFileSync, readFileSync } = await import('node:fs');
  const file = penaltiesMixedCsv(t.testdir({}));
  // The same export with its 行政相对人类别 column taken out.
  writeFileSync(file, readFileSync(file, 'utf8').split('\r\n').map((line) => line.split(',').filter((_, i) => i !== 1).join(',')).join('\r\n'));
  const [p] = suggestProfiles({ sample: await readSample(file), candidates: catalog.categoriesOf('P07'), standardFor: (c) => standardFor(c) }).proposals;
  t.same(p!.profile.subject, { kind: 'legal', name: '行政相对人名称', code: '统一社会信用代码' });
  t.match(p!.notes.subject, /“证件号码”列也有填写：导出中两种主体都有，却没有主体类别列，自然人的行会被拒收/);
});
