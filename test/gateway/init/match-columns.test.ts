import t from 'tap';
import type { ColumnInfo } from '../../../connectors/contract.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { columnKey, proposeColumns, type MatchRule } from '../../../gateway/init/match-columns.js';

const standards = loadStandards();
const xzcf = standards.byInfoType('行政处罚');
const xzxk = standards.byInfoType('行政许可');
const djzc = standards.byInfoType('登记注册备案');

const columns = (...names: string[]): ColumnInfo[] => names.map((name) => ({ name, type: 'TEXT', primaryKey: false }));
const withKey = (key: string, ...names: string[]): ColumnInfo[] => [{ name: key, type: 'INTEGER', primaryKey: true }, ...columns(...names)];
const matched = (p: ReturnType<typeof proposeColumns>) => Object.fromEntries(p.matches.map((m) => [m.column, [m.field.code, m.rule]]));

t.test('each rule matches the column names departments use, and says which rule it was', async (t) => {
  const table: [string, string, MatchRule][] = [
    // column, field, rule
    ['行政相对人名称', 'CF_XDR_MC', 'chinese-name'],
    ['处罚决定日期', 'CF_JDRQ', 'chinese-name'],
    ['cf_wsh', 'CF_WSH', 'field-code'],
    ['CF_CFJG', 'CF_CFJG', 'field-code'],
    ['统一社会信用代码', 'CF_XDR_SHXYM', 'standard-alias'],
    ['处罚名称', 'CF_WFXW', 'standard-alias'],
    ['xdr_mc', 'CF_XDR_MC', 'code-initials'],
    ['xdrmc', 'CF_XDR_MC', 'code-initials'],
    ['cfjg', 'CF_CFJG', 'code-initials'],
    ['CF_JG', 'CF_NR', 'standard-alias'],
    ['sjlydm', 'CF_SJLYDM', 'code-initials'],
    ['tyshxydm', 'CF_XDR_SHXYM', 'common-name'],
    ['credit_code', 'CF_XDR_SHXYM', 'common-name'],
    ['party_name', 'CF_XDR_MC', 'common-name'],
    ['decision_no', 'CF_WSH', 'common-name'],
    ['punish_date', 'CF_JDRQ', 'common-name'],
    ['Legal_Person', 'CF_FRDB', 'common-name'],
    ['authority_code', 'CF_CFJGDM', 'common-name'],
    ['fine_wan', 'CF_NR_FK', 'common-name'],
    ['tyshxydmm', 'CF_XDR_SHXYM', 'close-match'],
    ['行政相对人名', 'CF_XDR_MC', 'close-match'],
  ];
  for (const [column, field, rule] of table) {
    const p = proposeColumns(xzcf, columns(column));
    t.same(matched(p)[column], [field, rule], `${column} → ${field} by ${rule}`);
  }
});

t.test('the same pinyin initials land on another standard\'s own code', async (t) => {
  const p = proposeColumns(djzc, columns('tyshxydm', 'ztmc'));
  t.same(matched(p).tyshxydm, ['DJ_TYSHXYDM', 'code-initials']);
  t.equal(p.matches.find((m) => m.column === 'ztmc')?.field.subject, 'name', 'the subject name, by its initials');
  t.same(matched(proposeColumns(xzxk, columns('xkjg')))['xkjg'], ['XK_XKJG', 'code-initials']);
});

t.test('a stronger rule wins over a weaker one for the same field, and a column carries one field', async (t) => {
  const p = proposeColumns(xzcf, columns('credit_code', '统一社会信用代码', 'tyshxydm'));
  t.same(matched(p)['统一社会信用代码'], ['CF_XDR_SHXYM', 'standard-alias'], 'the alias wins');
  t.notOk(matched(p).credit_code, 'the weaker candidates are left unused');
  t.same(p.unused.sort(), ['credit_code', 'tyshxydm'].sort());
  t.equal(new Set(p.matches.map((m) => m.field.code)).size, p.matches.length, 'no field matched twice');
});

t.test('short or unrelated names are not stretched into a match', async (t) => {
  const p = proposeColumns(xzcf, columns('mc', 'id_x', 'flag', 'photo', 'zzzzzz', 'name'));
  t.same(p.matches, [], 'nothing matched');
  t.same(p.unused, ['mc', 'id_x', 'flag', 'photo', 'zzzzzz', 'name']);
});

t.test('unmatched fields are listed, required ones among them', async (t) => {
  const p = proposeColumns(xzcf, columns('xdrmc', 'tyshxydm'));
  t.ok(p.unmatched.some((f) => f.code === 'CF_YJ' && f.required), '处罚依据 is required and missing');
  t.notOk(p.unmatched.some((f) => f.code === 'CF_XDR_MC'));
});

t.test('the key: the primary key, else an id column, else the standard\'s identifying fields', async (t) => {
  t.same(proposeColumns(xzcf, withKey('rec_no', 'xdrmc')).key, { columns: ['rec_no'], rule: 'primary-key' });
  t.same(proposeColumns(xzcf, columns('ID', 'xdrmc')).key, { columns: ['ID'], rule: 'id-column' });
  t.same(proposeColumns(xzcf, columns('wsh', 'tyshxydm')).key, { columns: ['wsh', 'tyshxydm'], rule: 'standard-key' });
  t.equal(proposeColumns(xzcf, columns('xdrmc')).key, null, 'none found: null, never a guess');
});

t.test('a change-time column makes the job incremental; none leaves it a snapshot', async (t) => {
  t.equal(proposeColumns(xzcf, withKey('id', 'xdrmc', 'updated_at')).changeTime, 'updated_at');
  t.equal(proposeColumns(xzcf, withKey('id', 'GXSJ')).changeTime, 'GXSJ');
  t.equal(proposeColumns(xzcf, withKey('id', 'modify_time', 'update_time')).changeTime, 'update_time', 'the likelier name wins');
  t.equal(proposeColumns(xzcf, withKey('id', 'xdrmc')).changeTime, null);
  t.notOk(proposeColumns(xzcf, withKey('id', 'updated_at')).unused.includes('updated_at'), 'the change time is not an unused column');
});

t.test('column names compare without case, widths, underscores or spaces', async (t) => {
  t.equal(columnKey('Credit_Code'), 'creditcode');
  t.equal(columnKey('ＣＦ－ＷＳＨ'), 'cfwsh');
  t.equal(columnKey(' xdr mc '), 'xdrmc');
});
