/**
 * The 填写说明 sheet: what the category is, how to fill in the data sheet,
 * and one row per field. The category's metadata lives here rather than
 * above the data sheet's header, so the data sheet stays one header row and
 * its rows, which any reader can take as a plain table.
 */
import type { CatalogCategory, CatalogSubjectKind } from '../catalog/types.js';
import { allowedValues } from '../standards/code-tables.js';
import type { CodeTable, Standard } from '../standards/types.js';
import { conditionalRules, requiredText, typeText, LONG_TERM_DATE, TEMPLATE_DATE_FORMAT } from './field-text.js';
import { DATA_SHEET, NOTES_SHEET } from './spec.js';
import type { NotesRow, NotesSheetSpec } from './spec.js';

export const NOTES_TABLE_HEADER = ['字段代码', '中文名', '必填', '类型/格式', '长度', '说明', '可选值'] as const;
const NOTES_WIDTHS = [18, 26, 12, 26, 8, 60, 50];

const SUBJECT_TEXT: Record<CatalogSubjectKind, string> = {
  legal: '法人及非法人组织',
  natural: '自然人',
  both: '法人及非法人组织、自然人',
};

const blank = (): NotesRow => ({ cells: [], style: 'text' });

function metaRows(category: CatalogCategory, standard: Standard, format: 'xlsx' | 'csv'): NotesRow[] {
  const meta = (key: string, value: string): NotesRow => ({ cells: [key, value], style: 'meta' });
  return [
    { cells: [`${category.name} 数据模板`], style: 'title' },
    meta('信息类别代码', category.code),
    meta('信息类别', category.name),
    meta('提供单位', `${category.providerName}（${category.provider}）`),
    meta('主体类型', SUBJECT_TEXT[category.subjectKind]),
    meta('更新频率', category.frequency),
    meta('数据标准', `${standard.name}（${standard.code}，版本 ${standard.version}）`),
    meta('标准依据', standard.source),
    meta('文件命名', `${category.code}_任意说明.${format}（文件名必须以信息类别代码开头，如 ${category.code}_2024年3月.${format}）`),
  ];
}

function instructionRows(standard: Standard, format: 'xlsx' | 'csv'): string[] {
  const lines = format === 'xlsx'
    ? [
      `在“${DATA_SHEET}”工作表第 1 行表头下逐行填写，每行一条记录；不要修改、删除或调换表头，不要合并单元格，不要在表头上方插入行。`,
      '红色表头为必填项；鼠标停在表头上可看到字段代码和说明。',
      '单元格已设为文本格式，统一社会信用代码、身份证号码、以 0 开头的代码请按原样填写，不要改成数值或科学计数法。',
      '带下拉列表的列请从列表中选择；填写不符合要求时 Excel 会提示。',
    ]
    : [
      '每行一条记录，第 1 行表头不要修改、删除或调换；文件保存为 UTF-8（带 BOM）或 GB18030 编码的 CSV。',
      '用 Excel 编辑 CSV 时，身份证号码、统一社会信用代码和以 0 开头的代码可能被改成数值或科学计数法，日期可能被改写；建议改用 XLSX 模板。',
    ];
  lines.push(`日期一律写成 ${TEMPLATE_DATE_FORMAT}（如 2024-03-05）${standard.fields.some((f) => f.longTerm) ? `，长期有效的截止日期写 ${LONG_TERM_DATE}` : ''}。`);
  if (standard.fields.some((f) => f.multiple)) lines.push('可多选的代码字段，多个值用英文分号“;”隔开。');
  if (standard.fields.some((f) => f.unit)) lines.push('金额、数量按“类型/格式”中的单位填写数字，不要带单位文字。');
  lines.push('表头也可以使用字段代码代替中文名。');
  return lines.map((line, i) => `${i + 1}. ${line}`);
}

function fieldRows(standard: Standard, codeTables: Readonly<Record<string, CodeTable>>): NotesRow[] {
  const conditional = conditionalRules(standard.rules);
  return standard.fields.map((field) => {
    const table = field.codeTable ? codeTables[field.codeTable] : undefined;
    return {
      cells: [
        field.code,
        field.name,
        requiredText(field, conditional),
        typeText(field),
        field.maxLength !== undefined ? String(field.maxLength) : '',
        field.description,
        table ? allowedValues(table) : '',
      ],
      style: field.required ? 'requiredField' : 'field',
    };
  });
}

export function notesSheet(
  category: CatalogCategory,
  standard: Standard,
  codeTables: Readonly<Record<string, CodeTable>>,
  format: 'xlsx' | 'csv' = 'xlsx',
): NotesSheetSpec {
  const heading = (text: string): NotesRow => ({ cells: [text], style: 'heading' });
  const text = (line: string): NotesRow => ({ cells: [line], style: 'text' });
  const rows: NotesRow[] = [
    ...metaRows(category, standard, format),
    blank(),
    heading('填写要求'),
    ...instructionRows(standard, format).map(text),
    blank(),
    heading('字段说明'),
    { cells: [...NOTES_TABLE_HEADER], style: 'tableHeader' },
    ...fieldRows(standard, codeTables),
  ];
  if (standard.rules.length > 0) {
    rows.push(blank(), heading('校验规则'), ...standard.rules.map((rule, i) => text(`规则 ${i + 1}：${rule.message}`)));
  }
  if (standard.retired?.length) {
    rows.push(blank(), heading('已停用字段（旧模板中的这些列仍可读取，但不再上报）'),
      ...standard.retired.map((r) => text(`${r.name}（${r.code}）：${r.note}`)));
  }
  return { name: NOTES_SHEET, widths: NOTES_WIDTHS, rows };
}
