import t from 'tap';
import { mapRow } from '../../../gateway/mapping/map-row.js';
import type { JobMapping } from '../../../gateway/mapping/types.js';
import { loadStandards } from '../../../gateway/standards/index.js';

const { codeTables } = loadStandards();
const ctx = { gatewayId: 'hs-rsj', observedAt: '2026-11-26T08:00:00.000Z', codeTables };

function job(fields: JobMapping['fields']): JobMapping {
  return { name: 'penalties', category: 'P07-002', key: ['id'], subject: { kind: 'legal', name: 'name', code: 'code' }, fields };
}

const row = { id: 7, name: '黄石市某某有限公司', code: '91350100M000100Y43', kind: '1', party: '法人', zt: ' 有效 ', nothing: null };

function data(fields: JobMapping['fields'], r: Record<string, string | number | null> = row) {
  const result = mapRow(job(fields), r, ctx);
  if (!result.ok) throw new Error(JSON.stringify(result.rejection.findings));
  return result.record.data;
}

function findings(fields: JobMapping['fields'], r: Record<string, string | number | null> = row) {
  const result = mapRow(job(fields), r, ctx);
  if (result.ok) throw new Error('expected a rejection');
  return result.rejection.findings;
}

t.test('an inline table turns the department\'s codes into the values the standard expects', async (t) => {
  const codes = { '1': '罚款', '2': '警告' };
  t.same(data({ CF_CFLB: { column: 'kind', codes } }), { CF_CFLB: '罚款' });
  t.same(data({ CF_CFLB: { column: 'kind', codes } }, { ...row, kind: 2 }), { CF_CFLB: '警告' }, 'a number from the database is the same code');
  t.same(data({ CF_CFLB: { column: 'kind', codes: { a: '罚款' } } }, { ...row, kind: 'Ａ' }), { CF_CFLB: '罚款' }, 'widths and case do not matter');
  t.same(data({ CF_CFLB: { column: 'nothing', codes } }), { CF_CFLB: null }, 'an empty cell stays empty');
});

t.test('a value the inline table does not know is a finding that lists the allowed values', async (t) => {
  t.same(findings({ CF_CFLB: { column: 'kind', codes: { '1': '罚款', '2': '警告' } } }, { ...row, kind: '9' }), [
    { field: 'CF_CFLB', code: 'CODE_UNMAPPED', message: '字段 CF_CFLB 的值“9”不在作业配置的代码对照表中，允许的值：1（罚款）、2（警告）' },
  ]);
});

t.test('a named standard table accepts its values and their other spellings, and sends the value', async (t) => {
  t.same(data({ CF_XDR_LB: { column: 'party', codes: 'xdr-lb' } }), { CF_XDR_LB: '法人及非法人组织' });
  t.same(data({ XK_ZT: { column: 'zt', codes: 'zt' } }), { XK_ZT: '1' }, '有效 is how clerks write 1');
  t.same(data({ XK_XKLB: { column: 'kind', codes: 'xklb' } }, { ...row, kind: '其他-备案' }), { XK_XKLB: '其他-备案' }, '其他 with its kind');
});

t.test('a value a named table does not know names the table and what it allows', async (t) => {
  t.same(findings({ XK_ZT: { column: 'zt', codes: 'zt' } }, { ...row, zt: '正常' }), [
    { field: 'XK_ZT', code: 'CODE_NOT_IN_TABLE', message: 'XK_ZT 的值“正常”不在代码表“当前状态”中，应为：1（有效）、2（无效）' },
  ]);
});

t.test('a table name that does not exist is reported, not taken as "anything goes"', async (t) => {
  t.same(findings({ CF_CFLB: { column: 'kind', codes: 'cflb-2017' } }), [
    { field: 'CF_CFLB', code: 'CODE_TABLE_UNKNOWN', message: '字段 CF_CFLB 引用的代码表“cflb-2017”不存在' },
  ]);
  const without = mapRow(job({ CF_CFLB: { column: 'kind', codes: 'cflb' } }), row, { gatewayId: 'hs-rsj', observedAt: ctx.observedAt });
  t.match(without, { ok: false, rejection: { findings: [{ code: 'CODE_TABLE_UNKNOWN' }] } }, 'nor when the caller passed no tables');
});

t.test('codes apply after clean-up and before dates', async (t) => {
  t.same(data({ CF_JDRQ: { column: 'kind', codes: { '1': '20261120' }, date: 'YYYYMMDD' } }), { CF_JDRQ: '2026-11-20' });
});

t.test('a date column saying 长期 becomes 2099-12-31, whatever its format', async (t) => {
  for (const word of ['长期', ' 长 期 ', '永久', '长期有效', '无固定期限']) {
    t.same(data({ XK_YXQZI: { column: 'end', date: 'YYYYMMDD' } }, { ...row, end: word }), { XK_YXQZI: '2099-12-31' }, word);
  }
  t.same(findings({ XK_YXQZI: { column: 'end', date: 'zh' } }, { ...row, end: '很久' }).map((f) => f.code), ['DATE_INVALID']);
});
