import t from 'tap';
import { loadCatalog } from '../../../gateway/catalog/load.js';
import type { CatalogCategory } from '../../../gateway/catalog/types.js';
import { fieldByHeader, lookupCode } from '../../../gateway/standards/index.js';
import { loadStandards } from '../../../gateway/standards/load.js';
import type { CodeTable, Standard } from '../../../gateway/standards/types.js';
import { buildTemplate } from '../../../gateway/templates/build-template.js';
import { listItems } from '../../../gateway/templates/code-lists.js';
import { NOTES_TABLE_HEADER } from '../../../gateway/templates/notes.js';
import { CODE_TABLE_SHEET, DATA_SHEET, NOTES_SHEET } from '../../../gateway/templates/spec.js';
import type { ColumnSpec, TemplateSpec } from '../../../gateway/templates/spec.js';

const catalog = loadCatalog();
const standards = loadStandards();
const category = (code: string): CatalogCategory => catalog.byCode(code)!;
const build = (code: string): TemplateSpec => buildTemplate(category(code), standards.standardFor(category(code)), standards.codeTables);
const column = (spec: TemplateSpec, code: string): ColumnSpec => spec.data.columns.find((c) => c.code === code)!;

const PENALTY = 'P07-002'; // 市人社局 行政处罚信息
const LICENCE = 'P02-001'; // 市质监局 行政许可/行政确认信息
const GENERIC = 'P01-016'; // 市工商局 董事会信息（变更）

t.test('the categories under test follow the standards they are picked for', async (t) => {
  t.same([PENALTY, LICENCE, GENERIC].map((c) => category(c).infoType), ['行政处罚', '行政许可', '通用']);
});

t.test('the data sheet has one column per field, headed by its Chinese name as the standard spells it', async (t) => {
  for (const code of [PENALTY, LICENCE, GENERIC]) {
    const spec = build(code);
    const standard = standards.standardFor(category(code));
    t.equal(spec.data.name, DATA_SHEET);
    t.same(spec.data.columns.map((c) => c.header), standard.fields.map((f) => f.name), `${code}: headers in standard order`);
    t.same(spec.data.columns.map((c) => c.code), standard.fields.map((f) => f.code));
    for (const c of spec.data.columns) {
      t.equal(fieldByHeader(standard, c.header)?.code, c.code, `${code}: "${c.header}" reads back as ${c.code}`);
    }
  }
});

t.test('required fields are marked by flag and colour, never by changing the header', async (t) => {
  const spec = build(PENALTY);
  t.match(column(spec, 'CF_WSH'), { header: '行政处罚决定书文号', required: true });
  t.match(column(spec, 'BZ'), { header: '备注', required: false });
  t.notOk(spec.data.columns.some((c) => /^\*|\*$|必填/.test(c.header)));
});

t.test('identifiers, codes and dates are text columns; amounts stay numbers', async (t) => {
  const spec = build(PENALTY);
  t.equal(column(spec, 'CF_XDR_SHXYM').text, true, 'a credit code keeps its letters and leading zeros');
  t.equal(column(spec, 'CF_XDR_ZJHM').text, true, 'an identity number is not turned into 1.2E+17');
  t.equal(column(spec, 'CF_JDRQ').text, true, 'a date stays as typed, not an Excel serial');
  t.equal(column(spec, 'CF_XDR_LB').text, true);
  t.equal(column(spec, 'CF_NR_FK').text, false);
});

t.test('the header note gives the field code, whether it is required, its format and meaning', async (t) => {
  const note = column(build(PENALTY), 'CF_JDRQ').note;
  t.match(note, /^字段代码：CF_JDRQ\n必填：是\n类型\/格式：日期 YYYY-MM-DD/);
  t.match(note, standards.byCode('xzcf')!.fields.find((f) => f.code === 'CF_JDRQ')!.description);
});

t.test('a code field gets a drop-down list of its table; a closed table refuses other values', async (t) => {
  const kind = column(build(PENALTY), 'CF_XDR_LB').validation;
  t.match(kind, { type: 'list', formulae: ['"法人及非法人组织,自然人,个体工商户"'], errorStyle: 'stop', allowBlank: true });
});

t.test('a table that takes 其他-… or several values only warns about values outside the list', async (t) => {
  const penalty = column(build(PENALTY), 'CF_CFLB').validation!;
  t.equal(penalty.type, 'list');
  t.equal(penalty.errorStyle, 'warning');
  t.match(penalty.prompt, /其他-具体类别/);
  t.notMatch(penalty.formulae[0], /暂扣或者吊销/, 'superseded spellings are not offered');
  t.equal(column(build(LICENCE), 'XK_XKLB').validation?.errorStyle, 'warning');
});

t.test('a list offers labels when the table reads them back as its codes, otherwise the codes', async (t) => {
  t.same(listItems(standards.codeTables['zt']!), ['有效', '无效'], '有效 is read back as 1');
  t.same(listItems(standards.codeTables['xb']!), ['0', '1', '2', '9'], '未知的性别 is not a spelling of 0, so codes throughout');
  t.match(column(build(LICENCE), 'XK_ZT').validation, { formulae: ['"有效,无效"'] });
});

t.test('every list item of every shipped table is read back as a current value', async (t) => {
  for (const table of Object.values(standards.codeTables)) {
    for (const item of listItems(table)) {
      const match = lookupCode(table, item);
      t.ok(match.ok && !('legacy' in match && match.legacy), `${table.code}: "${item}"`);
    }
  }
});

t.test('dates, numbers and lengths get the check that catches their likeliest mistake', async (t) => {
  const spec = build(PENALTY);
  t.match(column(spec, 'CF_JDRQ').validation, { type: 'textLength', operator: 'equal', formulae: [10], errorStyle: 'warning' });
  t.match(column(spec, 'CF_NR_FK').validation, { type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0] });
  t.match(column(spec, 'CF_WSH').validation, { type: 'textLength', operator: 'lessThanOrEqual', formulae: [64], errorStyle: 'stop' });
  t.match(column(spec, 'CF_XDR_SHXYM').validation, { formulae: [18] });
});

t.test('the notes sheet: the category first, then how to fill in, then one row per field', async (t) => {
  const spec = build(PENALTY);
  const rows = spec.notes.rows.map((r) => r.cells);
  t.equal(spec.notes.name, NOTES_SHEET);
  t.same(rows[0], ['行政处罚信息 数据模板']);
  t.same(rows.slice(1, 4), [['信息类别代码', 'P07-002'], ['信息类别', '行政处罚信息'], ['提供单位', '市人社局（P07）']]);
  t.ok(rows.some((r) => r[0] === '数据标准' && /xzcf/.test(r[1]!)));
  const header = rows.findIndex((r) => r.join() === NOTES_TABLE_HEADER.join());
  t.ok(header > 0, 'the field table has its header');
  const fields = standards.byCode('xzcf')!.fields;
  const table = rows.slice(header + 1, header + 1 + fields.length);
  t.same(table.map((r) => r[0]), fields.map((f) => f.code));
  t.same(table.find((r) => r[0] === 'CF_WSH')!.slice(1, 5), ['行政处罚决定书文号', '是', '文本', '64']);
  t.match(table.find((r) => r[0] === 'CF_XDR_LB')![6], '法人及非法人组织、自然人、个体工商户');
  t.match(table.find((r) => r[0] === 'CF_NR_FK')![3], /单位：万元/);
});

t.test('fields a rule may require say so, and the rules are listed', async (t) => {
  const spec = build(PENALTY);
  const standard = standards.byCode('xzcf')!;
  const rows = spec.notes.rows.map((r) => r.cells);
  for (const [i, rule] of standard.rules.entries()) t.ok(rows.some((r) => r[0] === `规则 ${i + 1}：${rule.message}`));
  const anyOf = standard.rules.findIndex((r) => r.kind === 'anyOf');
  t.ok(anyOf >= 0, 'the penalty standard asks for one of several subject codes');
  for (const code of standard.rules[anyOf]!.fields) t.match(rows.find((r) => r[0] === code)![2], `条件必填（见规则 ${anyOf + 1}`);
  t.equal(rows.find((r) => r[0] === 'BZ')![2], '否');
});

t.test('a list too long to inline moves to the hidden code table sheet', async (t) => {
  const regions: CodeTable = {
    code: 'qh', name: '行政区划', source: 'test',
    values: Array.from({ length: 60 }, (_, i) => ({ value: `4202${String(i).padStart(2, '0')}`, label: `区县${i}` })),
  };
  const sides: CodeTable = { code: 'fx', name: '方向', source: 'test', values: [{ value: '东' }, { value: '西' }] };
  const standard: Standard = {
    infoType: '通用', code: 'test', name: '测试', version: '1', source: 'test', rules: [], key: ['A'], codeTables: { qh: regions, fx: sides },
    fields: [
      { code: 'A', name: '区划', type: 'code', codeTable: 'qh', required: true, description: '所在区县' },
      { code: 'B', name: '方向', type: 'code', codeTable: 'fx', required: false, description: '方向' },
      { code: 'C', name: '区划二', type: 'code', codeTable: 'qh', required: false, description: '另一个区县' },
    ],
  };
  const spec = buildTemplate(category(GENERIC), standard, standard.codeTables);
  t.same(spec.codeTables, { name: CODE_TABLE_SHEET, columns: [{ header: '行政区划', values: regions.values.map((v) => v.value) }] });
  t.equal(column(spec, 'A').validation?.formulae[0], `'${CODE_TABLE_SHEET}'!$A$2:$A$61`);
  t.equal(column(spec, 'C').validation?.formulae[0], `'${CODE_TABLE_SHEET}'!$A$2:$A$61`, 'one column per table');
  t.equal(column(spec, 'B').validation?.formulae[0], '"东,西"');
  t.equal(build(PENALTY).codeTables, undefined, 'the shipped tables all fit inline');
});

t.test('every catalog category can produce a template', async (t) => {
  const dropFolderName = /^P\d{2}-\d{3}(?:_[^/\\:*?"<>|]*)?$/;
  let built = 0;
  for (const c of catalog.categories) {
    const standard = standards.standardFor(c);
    const spec = buildTemplate(c, standard, standards.codeTables);
    const problems: string[] = [];
    if (spec.data.columns.length !== standard.fields.length) problems.push('columns');
    if (!dropFolderName.test(spec.baseName)) problems.push(`name ${spec.baseName}`);
    if (!spec.notes.rows.some((r) => r.cells[1] === c.code)) problems.push('no code on the notes sheet');
    for (const col of spec.data.columns) {
      const v = col.validation;
      if (!v) continue;
      if (v.promptTitle.length > 32 || v.errorTitle.length > 32 || v.prompt.length > 255 || v.error.length > 225) problems.push(`${col.code} texts too long`);
      if (v.type === 'list' && typeof v.formulae[0] === 'string' && v.formulae[0].startsWith('"') && v.formulae[0].length > 257) problems.push(`${col.code} list too long`);
    }
    if (problems.length) t.fail(`${c.code} ${c.name}: ${problems.join(', ')}`);
    else built++;
  }
  t.equal(built, catalog.categories.length, `all ${catalog.categories.length} categories`);
});
