/**
 * The proposed profiles as YAML to paste under `profiles:`, with Chinese
 * comments where a clerk has to look: what each field is, which matches are
 * only close, which dates were seen, what is missing. The yaml package's
 * Document API attaches comments to the nodes they are about, so the text
 * stays valid YAML that loads to exactly the proposed profiles. Pure.
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { DatesSeen } from './date-shapes.js';
import type { Proposal, Suggestion } from './propose.js';

const RULE_WORDS = { 'common-name': '常见列名', 'close-match': '相近写法' } as const;

const SHAPE_WORDS: Record<string, string> = {
  'YYYY-MM-DD': '2017-06-02',
  'YYYY/MM/DD': '2017/6/2',
  'YYYY.MM.DD': '2017.6.2',
  YYYYMMDD: '20170602',
  zh: '2017年6月2日',
  excel: '表格日期序号',
};

function datesWords(seen: DatesSeen): string {
  if (seen.shapes.length === 0) return '样本中没有填写';
  const shapes = seen.shapes.map((s) => `${SHAPE_WORDS[s.shape]} ${s.count} 行`).join('、');
  return `日期写法：${shapes}${seen.unreadable > 0 ? `；${seen.unreadable} 行无法识别为日期` : ''}`;
}

function pairOf(map: YAMLMap, key: string): Pair<Node, Node> | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node> | undefined;
}

/** Lists of names read best on one line. */
function flowLists(node: unknown): void {
  if (isSeq(node)) {
    if (node.items.every((i) => isScalar(i))) node.flow = true;
    else node.items.forEach(flowLists);
  } else if (isMap(node)) {
    for (const pair of node.items) flowLists(pair.value);
  }
}

function annotate(map: YAMLMap, proposal: Proposal): void {
  const { notes, category, standard, profile } = proposal;
  const lines = [` 类别 ${category.code} ${category.name}（${standard.infoType}）`];
  if (notes.alternatives.length > 0) lines.push(` 也可能是：${notes.alternatives.map((a) => `${a.code} ${a.name}`).join('、')}`);
  for (const { sheet, header } of proposal.sheets) {
    const where = header.rows === 2 ? `第 ${header.row}–${header.row + 1} 行（两行表头）` : `第 ${header.row} 行`;
    lines.push(` ${sheet.info.name === '' ? '表头' : `工作表“${sheet.info.name}”：表头`}在${where}，表头下有 ${Math.max(0, sheet.rows.length - header.dataFrom)} 行`);
  }
  map.commentBefore = lines.join('\n');

  const system = pairOf(map, 'system');
  if (system?.value) system.value.comment = ' 填写导出这个文件的系统，如 全国教师资格信息系统；上级部门返还的数据写 origin: returned';
  const match = pairOf(map, 'match');
  if (match?.value && isMap(match.value)) {
    const headers = pairOf(match.value, 'headers');
    if (headers?.value) headers.value.comment = ' 每一个都出现在表头里，才算这种导出文件';
  }
  const key = pairOf(map, 'key');
  if (key) {
    const missing = notes.missingKey.map((f) => `${f.code} ${f.name}`).join('、');
    const text = missing ? ` 标识字段缺少对应列：${missing}，请补上列名` : ' 标识一条记录的列：同一条记录下月再导出时不变';
    if ((profile.key ?? []).length === 0) (key.key as Node).commentBefore = text;
    else if (key.value) key.value.comment = text;
  }
  if (notes.subject) {
    const subject = pairOf(map, 'subject');
    if (subject?.value) subject.value.comment = ` ${notes.subject}`;
  }
  const fields = pairOf(map, 'fields');
  if (fields?.value && isMap(fields.value)) {
    for (const pair of fields.value.items) {
      const code = String((pair.key as { value: unknown }).value);
      const field = standard.fields.find((f) => f.code === code);
      const words = [field?.name ?? code];
      const approx = notes.approximate[code];
      if (approx) words.push(`近似匹配（${RULE_WORDS[approx.rule as keyof typeof RULE_WORDS] ?? approx.rule}：${approx.via}），请核对`);
      if (notes.dates[code]) words.push(datesWords(notes.dates[code]!));
      if (notes.constants[code]) words.push(notes.constants[code]!);
      if (notes.missingRequired.some((f) => f.code === code) || notes.missingKey.some((f) => f.code === code)) words.push('导出中没有对应的列：请把 <fill in: …> 改为列名，或写 { const: 值 }；改好之前这种文件不会被读取');
      (pair.value as Node).comment = ` ${words.join('；')}`;
    }
    const tail: string[] = [];
    if (notes.unused.length > 0) tail.push(` 未使用的列：${notes.unused.join('、')}`);
    if (notes.hidden.length > 0) tail.push(` 隐藏的列（不读）：${notes.hidden.join('、')}`);
    if (tail.length > 0) fields.value.comment = tail.join('\n');
  }
}

/** The proposals as one YAML sequence (the items of `profiles:`), commented. */
export function suggestionYaml(suggestion: Suggestion): string {
  const doc = new Document(suggestion.proposals.map((p) => p.profile));
  const seq = doc.contents;
  if (!isSeq(seq)) throw new Error('profiles render as a sequence');
  seq.items.forEach((item, i) => {
    if (!isMap(item)) return;
    flowLists(item);
    const subject = pairOf(item, 'subject');
    if (subject?.value && isMap(subject.value) && !isMap(pairOf(subject.value, 'kind')?.value)) subject.value.flow = true;
    const header = pairOf(item, 'header');
    if (header?.value && isMap(header.value)) header.value.flow = true;
    const fields = pairOf(item, 'fields');
    if (fields?.value && isMap(fields.value)) for (const pair of fields.value.items) if (isMap(pair.value)) pair.value.flow = true;
    annotate(item, suggestion.proposals[i]!);
  });
  const skipped = suggestion.sheets.filter((s) => s.skipped === 'no-header').map((s) => s.sheet);
  if (skipped.length > 0) doc.comment = ` 没有找到表头、不读的工作表：${skipped.join('、')}`;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
