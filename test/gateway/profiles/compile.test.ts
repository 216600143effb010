import t from 'tap';
import type { ProfileConfig } from '../../../config/schema.js';
import { trialSheet } from '../../../gateway/profiles/index.js';
import { joinKey } from '../../../gateway/records/record-id.js';
import { compileProfiles, profileProblems } from '../../../gateway/profiles/checks.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { compiled, CTX, grid, NO_LAYOUT, PEOPLE, pharmacistProfile, SHEET } from './fixtures.js';

const AUTHORITY = '黄石市市场监督管理局';
const AUTHORITY_CODE = '11420200011079463Y';
const COMPANY = { name: '黄石市甲贸易有限公司', code: '91420200045FUX8H1K' };
const person = PEOPLE[0]!;

/** A 行政处罚 export as a market-regulation system writes it: companies and people in one sheet, each with its own code column. */
function penaltyProfile(overrides: Partial<ProfileConfig> = {}): ProfileConfig {
  return {
    name: 'scjg-cf',
    origin: 'system',
    system: '湖北省市场监管综合业务平台',
    match: { headers: ['处罚决定书文号', '统一社会信用代码', '身份证号'] },
    category: 'P07-002',
    subject: {
      kind: { column: '相对人类别', values: { 法人: 'legal', 自然人: 'natural' } },
      name: '当事人名称',
      code: ['统一社会信用代码', '身份证号'],
    },
    fields: {
      CF_XDR_MC: '当事人名称',
      CF_XDR_LB: { column: '相对人类别', codes: 'xdr-lb' },
      CF_XDR_SHXYM: '统一社会信用代码',
      CF_XDR_ZJLX: { column: '证件类型', codes: 'zjlx' },
      CF_XDR_ZJHM: '身份证号',
      CF_FRDB: '法定代表人',
      CF_WSH: '处罚决定书文号',
      CF_WFXW: '违法行为',
      CF_SY: '违法行为',
      CF_YJ: { const: '《中华人民共和国食品安全法》' },
      CF_CFLB: { const: '警告' },
      CF_NR: { const: '警告' },
      CF_JDRQ: '决定日期',
      CF_YXQ: { const: '2099-12-31' },
      CF_CFJG: { const: AUTHORITY },
      CF_CFJGDM: { const: AUTHORITY_CODE },
      CF_SJLY: { const: AUTHORITY },
      CF_SJLYDM: { const: AUTHORITY_CODE },
    },
    ...overrides,
  } as ProfileConfig;
}

const HEADER = ['处罚决定书文号', '当事人名称', '相对人类别', '统一社会信用代码', '法定代表人', '证件类型', '身份证号', '违法行为', '决定日期'];

t.test('legal and natural persons in one export: the subject\'s code is whichever of its columns the row fills, and so is the key', async (t) => {
  const rows = grid([
    HEADER,
    ['黄市监罚〔2017〕1号', COMPANY.name, '法人', COMPANY.code, '王经理', null, null, '销售过期食品', '2017.6.2'],
    ['黄市监罚〔2017〕2号', person.name, '自然人', '', null, '身份证', person.id, '无证经营', '2017年6月2日'],
  ]);
  const trial = trialSheet(SHEET, NO_LAYOUT, rows, compiled(penaltyProfile()), CTX);
  t.same(trial.report, [], 'no row refused');
  t.same(trial.records.map((r) => r.subject), [{ kind: 'legal', name: COMPANY.name, code: COMPANY.code }, { kind: 'natural', name: person.name, code: person.id }]);
  t.same(trial.records.map((r) => r.key), [joinKey(['黄市监罚〔2017〕1号', COMPANY.code]), joinKey(['黄市监罚〔2017〕2号', person.id])], 'the key (文书号 and the party\'s code) takes whichever code the row has');
  t.same(trial.records.map((r) => r.data!.CF_XDR_LB), ['法人及非法人组织', '自然人']);
});

t.test('a row with neither code is refused, the report naming both code columns as the export heads them', async (t) => {
  const rows = grid([HEADER, ['黄市监罚〔2017〕3号', person.name, '自然人', null, null, '身份证', null, '无证经营', '2017-06-02']]);
  const trial = trialSheet(SHEET, NO_LAYOUT, rows, compiled(penaltyProfile()), CTX);
  t.equal(trial.records.length, 0);
  t.match(trial.report, [
    { row: 2, code: 'KEY_MISSING' },
    { row: 2, field: '统一社会信用代码、身份证号', code: 'ID_EMPTY' },
    { row: 2, field: '身份证号', code: 'FIELD_REQUIRED_WHEN' },
  ]);
});

t.test('a profile may name any standard code table the configuration check accepts, as database jobs may', async (t) => {
  const catalog = loadCatalog();
  const standards = loadStandards();
  // 性别 (xb) is no table of the 资格 standard: it is one of the shared tables every job may use.
  const profile = pharmacistProfile({ fields: { ...pharmacistProfile().fields, BZ: { column: '性别', codes: 'xb' } } });
  t.same(profileProblems([profile], { catalog, standards, folders: null }), [], 'config check accepts it');
  const [compiledProfile] = compileProfiles([profile], { catalog, standards, folders: null });
  const rows = grid([['姓名', '身份证号', '证书编号', '取得日期', '性别'], [person.name, person.id, person.cert, '2017-06-02', '男']]);
  const trial = trialSheet(SHEET, NO_LAYOUT, rows, compiledProfile!, CTX);
  t.same(trial.rejections.map((r) => r.findings.map((f) => f.code)), [], 'the row is not refused for an unknown table');
  t.equal(trial.records[0]?.data?.BZ, '1', '男 as the 性别 table codes it');
});
